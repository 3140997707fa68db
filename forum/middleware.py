"""Activates the visitor's own time zone, chosen on the page or by the browser, kept in a cookie."""

import zoneinfo

from django.utils import timezone

from common.timezones import canonical_zone

VISITOR_TZ_COOKIE = "visitor_tz"
ADMIN_PREFIX = "/admin/"


def parse_time_zone(value: str | None) -> zoneinfo.ZoneInfo | None:
    """The offered zone the cookie names, under its canonical name (a browser may report a
    legacy alias such as Asia/Saigon); None for a zone no form offers."""
    zone = canonical_zone(value)
    return zoneinfo.ZoneInfo(zone) if zone else None


class VisitorTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.visitor_tz = parse_time_zone(request.COOKIES.get(VISITOR_TZ_COOKIE))
        # The back office works in each edition's own zone (forum/admin_zones.py), never in the
        # zone a visitor picked on the public site.
        if request.visitor_tz and not request.path_info.startswith(ADMIN_PREFIX):
            timezone.activate(request.visitor_tz)
        else:
            timezone.deactivate()
        return self.get_response(request)
