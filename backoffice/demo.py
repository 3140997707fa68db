"""The demo forum: each app's demo loader, called in the order the apps depend on each other."""

from django.db import transaction

from forum.demo import load_demo_programme
from forum.models import Edition
from meetings.demo import load_demo_meetings
from registrations.demo import load_demo_consents


@transaction.atomic
def load_demo_forum() -> Edition:
    """The 9th forum's programme, consent texts and settings, meeting slots and sample
    participants; running it again changes nothing."""
    edition = load_demo_programme()
    load_demo_consents(edition)
    load_demo_meetings(edition)
    return edition
