"""The site as the race tests serve it with gunicorn; the negative control turns the guard off.

Test-only: production code reads no switch from the environment. With MEETINGS_RACE_NO_GUARD=1
each worker runs the same booking code without row locks, seat rows and room numbers, and with
the window between check and write widened, as the negative control needs.
"""

import os

from forum.wsgi import application  # noqa: F401 — what gunicorn serves

if os.environ.get("MEETINGS_RACE_NO_GUARD") == "1":
    from common import db
    from meetings.services import booking

    db.ROW_LOCKS = False
    booking.MEETING_GUARD = False
    booking.RACE_WINDOW = 0.3
