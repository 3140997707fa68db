"""Fixtures for the programme pages: the demo forum as visitors see it."""

import pytest
from django.core.management import call_command

from forum.editions import make_edition_current
from forum.models import Edition


@pytest.fixture
def demo_forum(db) -> Edition:
    """The 9th forum from the seeds, made the current edition again: its pages as visitors saw
    them (the demo itself makes the rehearsal edition current and keeps the 9th as a past one)."""
    call_command("load_demo_forum")
    edition = Edition.objects.get(number=9)
    make_edition_current(edition=edition)
    return edition


@pytest.fixture
def rehearsal(db) -> Edition:
    """The demo as `make run` loads it: the rehearsal edition current, ahead of today."""
    call_command("load_demo_forum")
    return Edition.objects.get(is_current=True)
