"""The admin's sign-in page, throttled: password guessing stops after a few tries."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from common import ratelimit


@never_cache
def admin_login(request, extra_context=None):
    """Counts every sign-in attempt per connection and per username from that connection.

    Past the limit even the right password is refused until the window ends; a username alone
    isn't a key, or anyone could lock a staff member out by guessing their name.
    """
    if request.method == "POST":
        client = ratelimit.client_address(request)
        username = str(request.POST.get("username", ""))[:150]
        if not ratelimit.hit_all(
            [("admin_login_ip", client), ("admin_login_user", f"{username} {client}")]
        ):
            context = {**admin.site.each_context(request), "title": admin.site.site_header}
            return TemplateResponse(request, "admin/login_throttled.html", context, status=429)
    return admin.site.login(request, extra_context)
