"""Activates the visitor's own time zone, chosen on the page or by the browser, kept in a cookie."""

import zoneinfo

from django.utils import timezone

from forum.timezones import known_time_zones

VISITOR_TZ_COOKIE = "visitor_tz"


def parse_time_zone(value: str | None) -> zoneinfo.ZoneInfo | None:
    if not value or value not in known_time_zones():
        return None
    return zoneinfo.ZoneInfo(value)


class VisitorTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.visitor_tz = parse_time_zone(request.COOKIES.get(VISITOR_TZ_COOKIE))
        if request.visitor_tz:
            timezone.activate(request.visitor_tz)
        else:
            timezone.deactivate()
        return self.get_response(request)
