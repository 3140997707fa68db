"""The site's URLs plus the baselines of benchmarks/web_load.py, which exist only there.

- /bench/bare/: a bare Django view behind the same middleware, the floor for pages;
- /bench/form/ and /bench/insert/: a form page with a CSRF token and a POST that does one
  INSERT in one transaction and redirects, the floor for a sign-up (form GET, then POST).
"""

from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.http import require_POST

from forum.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok")


def form(request):
    return HttpResponse(
        '<form id="bench-form" method="post"><input type="hidden" '
        f'name="csrfmiddlewaretoken" value="{get_token(request)}"></form>'
    )


@require_POST
def insert(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_signup (email, created_at) VALUES (%s, now())",
            [request.POST.get("email", "")],
        )
    return HttpResponseRedirect("/bench/form/")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/form/", form),
    path("bench/insert/", insert),
    *site_urlpatterns,
]
