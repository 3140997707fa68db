"""Fixtures for the programme pages: the demo forum as visitors see it."""

import pytest
from django.core.management import call_command

from forum.models import Edition


@pytest.fixture
def demo_forum(db) -> Edition:
    call_command("load_demo_forum")
    return Edition.objects.get(number=9)
