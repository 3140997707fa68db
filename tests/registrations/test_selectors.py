"""Selectors that pages and submissions share."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Edition
from registrations.models import RegistrationSettings
from registrations.selectors.registrations import current_edition_light

pytestmark = pytest.mark.django_db


def test_the_edition_a_submission_reads_is_what_the_orm_reads_in_one_query(open_edition):
    """current_edition_light runs a statement built once per process: each value as the ORM
    reads it (dates, the time zone, JSON, translated titles), the settings with it."""
    expected = Edition.objects.filter(is_current=True).select_related("registration_settings").get()
    with CaptureQueriesContext(connection) as captured:
        edition = current_edition_light()
        settings = edition.registration_settings

    assert len(captured) == 1
    for field in Edition._meta.concrete_fields:
        read, wanted = getattr(edition, field.attname), getattr(expected, field.attname)
        assert (read, type(read)) == (wanted, type(wanted)), field.attname
    for field in RegistrationSettings._meta.concrete_fields:
        read = getattr(settings, field.attname)
        wanted = getattr(expected.registration_settings, field.attname)
        assert (read, type(read)) == (wanted, type(wanted)), field.attname
    assert edition._state.adding is False
    assert settings.edition is edition


def test_an_edition_without_settings_reads_as_such_and_none_without_a_current_one(edition):
    Edition.objects.filter(pk=edition.pk).update(is_current=True)
    read = current_edition_light()

    assert read.pk == edition.pk
    with pytest.raises(RegistrationSettings.DoesNotExist):
        read.registration_settings  # noqa: B018 — the access is what is tested
    Edition.objects.update(is_current=False)
    assert current_edition_light() is None
