"""The production WSGI app for the race tests' gunicorn workers, with what a control changes.

Test-only; production code reads no switch. The test that starts the workers says, in their
environment, what each request's connection does differently (tests/races.py):

- RACE_NO_ROW_LOCKS=1: every query goes without its `FOR UPDATE`;
- RACE_NO_SEAT_LIMIT=1: the session's seat counter UPDATE goes without its limit;
- RACE_WIDEN_AFTER=<regex>: sleep RACE_WIDEN_SECONDS (default 0.2) after each SELECT matching it.

Constraints a control drops, the test drops in the database itself.
"""

import os

from forum.wsgi import application as production_application
from tests.races import race_wrappers

ROW_LOCKS = os.environ.get("RACE_NO_ROW_LOCKS") != "1"
SEAT_LIMIT = os.environ.get("RACE_NO_SEAT_LIMIT") != "1"
WIDEN = os.environ.get("RACE_WIDEN_AFTER", "")
SECONDS = float(os.environ.get("RACE_WIDEN_SECONDS", "0.2"))


def application(environ, start_response):
    with race_wrappers(row_locks=ROW_LOCKS, seat_limit=SEAT_LIMIT, widen=WIDEN, seconds=SECONDS):
        return production_application(environ, start_response)
