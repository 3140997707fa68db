"""`{% date_range start end %}`: a range of days with the year written once, where the page's
language puts it ("18–19 January 2022", "2022년 1월 18일~19일")."""

import datetime as dt

from django import template
from django.utils.formats import get_format

from common.times import shown

register = template.Library()


def format_date_range(start: dt.date, end: dt.date | None) -> str:
    if end is None or end == start:
        return shown(start, "DATE_FORMAT")
    if (start.year, start.month) == (end.year, end.month):
        kind = "SAME_MONTH"
    elif start.year == end.year:
        kind = "SAME_YEAR"
    else:
        kind = "OTHER_YEARS"
    separator = get_format("DATE_RANGE_SEPARATORS")[kind]
    first = shown(start, f"DATE_RANGE_{kind}_START_FORMAT")
    return f"{first}{separator}{shown(end, f'DATE_RANGE_{kind}_END_FORMAT')}"


@register.simple_tag
def date_range(start: dt.date, end: dt.date | None = None) -> str:
    return format_date_range(start, end)
