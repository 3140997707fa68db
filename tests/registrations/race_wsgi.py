"""The production WSGI app for the process race test, with what its negative control changes.

With RACE_GUARD_OFF=1 the workers take no row locks (the test drops the seat constraint too);
with RACE_WIDEN=1 each request sleeps after counting the booked seats, so every racer counts
before anyone inserts. Nothing else differs from production.
"""

import os
import time

from django.db import connection

from common import db
from forum.wsgi import application as production_application


def _widen_the_window(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.startswith("SELECT") and '"seat"' in sql and "registrations_sessionbooking" in sql:
        time.sleep(0.2)
    return result


if os.environ.get("RACE_GUARD_OFF") == "1":
    db.ROW_LOCKS = False


def application(environ, start_response):
    if os.environ.get("RACE_WIDEN") != "1":
        return production_application(environ, start_response)
    with connection.execute_wrapper(_widen_the_window):
        return production_application(environ, start_response)
