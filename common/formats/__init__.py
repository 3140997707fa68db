"""Date and time formats per language (Django format modules): templates name a format.

Besides Django's own names (DATE_FORMAT, TIME_FORMAT, DATETIME_FORMAT, MONTH_DAY_FORMAT…), the
modules define the forum's: DAY_FORMAT (a programme day's heading) and SESSION_DATETIME_FORMAT
(a session's start in a list). `{{ value|date:"DAY_FORMAT" }}` and
`formats.date_format(value, "DAY_FORMAT")` look them up in the active language's module.
"""
