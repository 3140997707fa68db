"""The expiry command, which a scheduler runs hourly."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from registrations.models import Registration
from registrations.services.registrations import register_attendee
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def test_expire_registrations_deletes_the_stale_and_says_how_many(open_edition):
    stale = register_attendee(edition=open_edition, data=service_data(email="old@example.org"))
    register_attendee(edition=open_edition, data=service_data(email="new@example.org"))
    Registration.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=48, minutes=1)
    )
    out = io.StringIO()

    call_command("expire_registrations", stdout=out)

    assert out.getvalue() == "Expired 1 unconfirmed registrations.\n"
    assert list(Registration.objects.values_list("email", flat=True)) == ["new@example.org"]
