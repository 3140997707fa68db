"""The demo forum: each app's demo loader, called in the order the apps depend on each other."""

import datetime as dt

from django.db import transaction

from forum.demo import load_demo_online, load_demo_programme, load_demo_rehearsal
from forum.models import Edition
from meetings.demo import load_demo_meetings
from registrations.demo import load_demo_consents


@transaction.atomic
def load_demo_forum(*, today: dt.date | None = None) -> Edition:
    """The 9th forum as a past edition and the rehearsal edition ahead of `today` (the day the
    demo is loaded), each with its programme, consent texts and settings, meeting slots and
    sample participants, and the rehearsal with example streams, a recording and a sample
    material; returns the rehearsal. Running it again changes nothing."""
    ninth = load_demo_programme()
    rehearsal = load_demo_rehearsal(today=today)
    load_demo_online(rehearsal)
    for edition in (ninth, rehearsal):
        load_demo_consents(edition)
        load_demo_meetings(edition)
    return rehearsal
