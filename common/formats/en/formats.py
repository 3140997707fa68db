"""English dates as the forum writes them: "Tuesday 18 January 2022", times in 24 hours."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DAY_FORMAT = "l j F Y"
SESSION_DATETIME_FORMAT = "D j M, H:i"
ZONED_DATETIME_FORMAT = "j F Y, H:i T"
ZONED_SESSION_DATETIME_FORMAT = "D j M, H:i T"
# The forum's own names (besides Django's), each used where its comment says.
SHORT_DAY_FORMAT = "D j M"  # a day in a filter or a choice: "Mon 21 Jan"
WEEKDAY_DATETIME_FORMAT = "D j M Y, H:i"  # an admin column: "Mon 21 Jan 2030, 11:00"
ZONE_FORMAT = "T"  # the zone's abbreviation beside a time: "KST"
# A range of days (forum/templatetags/dates.py): its first and last day, the year once.
DATE_RANGE_SAME_MONTH_START_FORMAT = "j"  # 18–19 January 2022
DATE_RANGE_SAME_MONTH_END_FORMAT = "j F Y"
DATE_RANGE_SAME_YEAR_START_FORMAT = "j F"  # 24 January – 11 February 2022
DATE_RANGE_SAME_YEAR_END_FORMAT = "j F Y"
DATE_RANGE_OTHER_YEARS_START_FORMAT = "j F Y"
DATE_RANGE_OTHER_YEARS_END_FORMAT = "j F Y"
# Between the first and the last day, by kind of range.
DATE_RANGE_SEPARATORS = {"SAME_MONTH": "–", "SAME_YEAR": " – ", "OTHER_YEARS": " – "}
