"""Puts the current edition and the visitor's time zone into every template."""

from django.utils.functional import SimpleLazyObject

from forum.selectors import get_current_edition


def forum(request):
    return {
        "current_edition": SimpleLazyObject(lambda: get_current_edition(request)),
        "visitor_tz": getattr(request, "visitor_tz", None),
    }
