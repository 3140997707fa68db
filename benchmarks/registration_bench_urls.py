"""The site's URLs plus one bare view, for benchmarks/registration_load.py only."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from forum.urls import urlpatterns as site_urlpatterns


@csrf_exempt
def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
