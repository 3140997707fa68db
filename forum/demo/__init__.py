"""The demo forum, loaded idempotently: the 9th ASEAN Connectivity Forum (18–19 January 2022) as
a past edition, and a rehearsal edition, its programme moved ahead of the day the demo is loaded,
as the current one.

Split by what it holds: `programme` and `people` (the English data), `korean` (its Korean values),
`loaders` (the two editions), `online` (the rehearsal's example streams, and a recording and a
sample material for its first session). Each app's demo loader is called in dependency order by
`backoffice.demo.load_demo_forum` (`manage.py load_demo_forum`).
"""

from forum.demo.loaders import (
    NINTH_FIRST_DAY,
    REHEARSAL_SLUG,
    load_demo_programme,
    load_demo_rehearsal,
    rehearsal_shift,
)
from forum.demo.online import load_demo_online

__all__ = [
    "NINTH_FIRST_DAY",
    "REHEARSAL_SLUG",
    "load_demo_online",
    "load_demo_programme",
    "load_demo_rehearsal",
    "rehearsal_shift",
]
