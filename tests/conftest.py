"""Fixtures every test can use: an edition, an open edition with sessions and consent texts,
meeting slots, and the emails handed to on_commit."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import (
    EditionFactory,
    RegistrationSettingsFactory,
    SessionFactory,
    consent_texts_for,
)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page, candidates or form rows, as a freshly started app
    process does."""
    from django.core.cache import caches

    from forum.pagecache import forget_recent_reads
    from forum.selectors import forget_kept_editions
    from meetings.selectors.recommendations import forget_candidates
    from registrations.selectors.registrations import forget_kept_form_rows
    from registrations.services.seats import forget_full_sessions

    caches["pages"].clear()
    forget_recent_reads()
    forget_candidates()
    forget_kept_editions()
    forget_kept_form_rows()
    forget_full_sessions()


@pytest.fixture
def edition(db):
    return EditionFactory()


@pytest.fixture
def open_edition(db):
    edition = EditionFactory(
        registration_opens=timezone.now() - dt.timedelta(days=1),
        registration_closes=timezone.now() + dt.timedelta(days=30),
    )
    RegistrationSettingsFactory(edition=edition)
    consent_texts_for(edition)
    return edition


@pytest.fixture
def small_session(open_edition):
    return SessionFactory(edition=open_edition, capacity=1, title="Project presentations")


@pytest.fixture
def big_session(open_edition):
    return SessionFactory(edition=open_edition, capacity=100, title="Opening")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs what the code hands to transaction.on_commit (the emails) within the test."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner


@pytest.fixture
def meeting_slots(edition):
    """Meeting settings and three future slots on 21 Jan 2030 (11:00, 12:00, 13:00 in Seoul)."""
    import zoneinfo

    from tests.factories import MeetingSettingsFactory, MeetingSlotFactory

    MeetingSettingsFactory(edition=edition)
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    return [
        MeetingSlotFactory(
            edition=edition,
            starts_at=dt.datetime(2030, 1, 21, 11, 0, tzinfo=seoul) + dt.timedelta(hours=n),
        )
        for n in range(3)
    ]
