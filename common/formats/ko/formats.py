"""Korean dates as Koreans write them: "2022년 1월 18일 (화)", times in 24 hours ("21:38")."""

DATE_FORMAT = "Y년 n월 j일"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y년 n월 j일 H:i"
MONTH_DAY_FORMAT = "n월 j일"
YEAR_MONTH_FORMAT = "Y년 n월"
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. H:i"
DAY_FORMAT = "Y년 n월 j일 (D)"
SESSION_DATETIME_FORMAT = "n월 j일 (D) H:i"
ZONED_DATETIME_FORMAT = "Y년 n월 j일 H:i T"
ZONED_SESSION_DATETIME_FORMAT = "n월 j일 (D) H:i T"
# The forum's own names (besides Django's), each used where its comment says.
SHORT_DAY_FORMAT = "n월 j일 (D)"
WEEKDAY_DATETIME_FORMAT = "Y년 n월 j일 (D) H:i"
ZONE_FORMAT = "T"
# A range of days (forum/templatetags/dates.py): the year once, first, as Koreans write it.
DATE_RANGE_SAME_MONTH_START_FORMAT = "Y년 n월 j일"  # 2022년 1월 18일~19일
DATE_RANGE_SAME_MONTH_END_FORMAT = "j일"
DATE_RANGE_SAME_YEAR_START_FORMAT = "Y년 n월 j일"  # 2022년 1월 24일~2월 11일
DATE_RANGE_SAME_YEAR_END_FORMAT = "n월 j일"
DATE_RANGE_OTHER_YEARS_START_FORMAT = "Y년 n월 j일"
DATE_RANGE_OTHER_YEARS_END_FORMAT = "Y년 n월 j일"
DATE_RANGE_SEPARATORS = {"SAME_MONTH": "~", "SAME_YEAR": "~", "OTHER_YEARS": "~"}
