"""How a time is shown to people: the one helper for pages, emails, forms, admin columns, messages.

A time is shown in a zone (the edition's, a participant's) with one of the named formats of the
active language's format module (`common/formats/<language>/formats.py`: DATE_FORMAT,
SESSION_DATETIME_FORMAT, …), never with a pattern, so a Korean page or email reads
"1월 21일 (월) 11:00" where an English one reads "Mon 21 Jan, 11:00". Templates do the same with
`{{ value|timezone:zone|date:"SESSION_DATETIME_FORMAT" }}`.

Machine formats — ISO 8601 in feeds, exports and `<time datetime>`, iCalendar, file names — are
not shown to people and don't come here; a line that writes one says so with a
`# machine format` comment (`tests/common/test_times.py` looks for any other pattern).
"""

import datetime as dt
import zoneinfo

from django.utils import formats, timezone
from django.utils.translation import pgettext

Zone = zoneinfo.ZoneInfo | dt.tzinfo | str | None


def as_zone(zone: Zone) -> dt.tzinfo:
    """A zone from a name or a zone; an unknown name or None is the active zone."""
    if isinstance(zone, str):
        try:
            return zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return timezone.get_current_timezone()
    return zone or timezone.get_current_timezone()


def shown(value: dt.datetime | dt.date | None, format_name: str, *, zone: Zone = None) -> str:
    """`value` in `zone` (the active zone when None; a date stays a date) in the active
    language's named format; "" for None."""
    if not format_name.endswith("_FORMAT"):
        # Django takes any unknown name as a pattern: refuse it, or patterns creep back in.
        raise ValueError(f"{format_name!r} is not the name of a format")
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, as_zone(zone))
    return formats.date_format(value, format_name)


def shown_span(
    start: dt.datetime, end: dt.datetime, *, zone: Zone = None, day_format: str = "DATE_FORMAT"
) -> str:
    """A span on one day, e.g. "21 January 2030, 11:00–11:30" ("2030년 1월 21일 11:00–11:30");
    `day_format` None gives the hours only."""
    times = f"{shown(start, 'TIME_FORMAT', zone=zone)}–{shown(end, 'TIME_FORMAT', zone=zone)}"
    if day_format is None:
        return times
    return pgettext("a time span: its day, then its hours", "%(day)s, %(times)s") % {
        "day": shown(start, day_format, zone=zone),
        "times": times,
    }
