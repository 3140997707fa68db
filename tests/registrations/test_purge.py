"""Personal data leaves the database once an edition's retention period has ended."""

import datetime as dt

import pytest
from django.core.management import call_command

from registrations.models import Consent, Registration, SessionBooking
from registrations.services.bookings import book_session
from registrations.services.consents import give_consent
from registrations.services.privacy import purge_personal_data
from tests.factories import (
    EditionFactory,
    RegistrationFactory,
    SessionFactory,
    consent_texts_for,
)


@pytest.fixture
def two_editions(db):
    # The 9th ended on 19 Jan 2022 and keeps data for 365 days; the 10th is still within its period.
    old = EditionFactory(
        number=9,
        start_date=dt.date(2022, 1, 18),
        end_date=dt.date(2022, 1, 19),
        retention_days=365,
        is_current=False,
    )
    new = EditionFactory(
        number=10,
        start_date=dt.date(2023, 1, 17),
        end_date=dt.date(2023, 1, 18),
        retention_days=365,
        is_current=True,
    )
    old_registration = RegistrationFactory(edition=old, email="old@example.org")
    book_session(registration=old_registration, session=SessionFactory(edition=old))
    consent_texts_for(old)
    give_consent(registration=old_registration, kind="marketing")
    assert Consent.objects.filter(registration=old_registration).count() == 1
    RegistrationFactory(edition=new, email="new@example.org")
    return old, new


def test_purge_deletes_only_editions_past_their_retention(two_editions):
    old, new = two_editions
    purged = purge_personal_data(today=dt.date(2023, 6, 1))
    assert purged == {old.slug: 1}
    assert list(Registration.objects.values_list("email", flat=True)) == ["new@example.org"]
    assert SessionBooking.objects.filter(session__edition=old).count() == 0
    assert Consent.objects.filter(registration__edition=old).count() == 0
    # The purge is in the audit trail of the edition, without a word about the people.
    from common.models import AuditLog

    assert list(
        AuditLog.objects.filter(
            object_id=old.pk, action="edition.personal_data_purged"
        ).values_list("actor_kind", "details")
    ) == [("system", {"registrations": 1})]


def test_retention_period_includes_its_last_day(two_editions):
    old, _ = two_editions
    assert purge_personal_data(today=dt.date(2023, 1, 19)) == {}
    assert purge_personal_data(today=dt.date(2023, 1, 20)) == {old.slug: 1}


def test_dry_run_deletes_nothing(two_editions):
    old, _ = two_editions
    assert purge_personal_data(today=dt.date(2023, 6, 1), dry_run=True) == {old.slug: 1}
    assert Registration.objects.count() == 2


def test_command_reports_what_it_deleted(two_editions, capsys):
    old, _ = two_editions
    # Today (2026) both editions are past their retention.
    call_command("purge_personal_data", "--dry-run")
    assert capsys.readouterr().out.splitlines() == [
        f"Would delete 1 registration(s) of {old.slug}.",
        "Would delete 1 registration(s) of edition-10.",
    ]
    call_command("purge_personal_data")
    assert Registration.objects.count() == 0
    call_command("purge_personal_data")
    assert "No edition is past its retention period" in capsys.readouterr().out.splitlines()[-1]
