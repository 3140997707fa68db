"""The database refuses programme rows that break the rules, on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from forum.models import Edition, Project, Session
from tests.factories import EditionFactory, ProjectFactory, SessionFactory


def refuses(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
def test_session_must_start_before_it_ends():
    session = SessionFactory()
    assert refuses(lambda: Session.objects.filter(pk=session.pk).update(ends_at=session.starts_at))
    assert Session.objects.get(pk=session.pk).ends_at == session.ends_at


@pytest.mark.django_db
def test_session_kind_outside_the_choices_is_refused():
    session = SessionFactory()
    assert refuses(lambda: Session.objects.filter(pk=session.pk).update(kind="party"))


@pytest.mark.django_db
def test_session_capacity_must_be_positive_when_set():
    session = SessionFactory(capacity=10)
    assert refuses(lambda: Session.objects.filter(pk=session.pk).update(capacity=0))
    Session.objects.filter(pk=session.pk).update(capacity=None)
    assert Session.objects.get(pk=session.pk).capacity is None


@pytest.mark.django_db
def test_session_slugs_are_unique_within_an_edition_only():
    first = SessionFactory(slug="keynotes")
    assert refuses(lambda: SessionFactory(edition=first.edition, slug="keynotes"))
    other_edition = EditionFactory(is_current=False)
    assert SessionFactory(edition=other_edition, slug="keynotes").slug == "keynotes"


@pytest.mark.django_db
def test_edition_dates_must_be_ordered():
    edition = EditionFactory()
    assert refuses(
        lambda: Edition.objects.filter(pk=edition.pk).update(end_date=dt.date(2029, 12, 31))
    )


@pytest.mark.django_db
def test_only_one_edition_can_be_current():
    EditionFactory(is_current=True)
    assert refuses(lambda: EditionFactory(is_current=True))
    assert EditionFactory(is_current=False).is_current is False
    assert Edition.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db
def test_edition_format_outside_the_choices_is_refused():
    edition = EditionFactory()
    assert refuses(lambda: Edition.objects.filter(pk=edition.pk).update(format="metaverse"))


@pytest.mark.django_db
def test_project_cost_cannot_be_negative_and_stage_must_be_known():
    project = ProjectFactory()
    assert refuses(lambda: Project.objects.filter(pk=project.pk).update(estimated_cost_usd=-1))
    assert refuses(lambda: Project.objects.filter(pk=project.pk).update(stage="dreaming"))


@pytest.mark.django_db
def test_session_day_is_the_date_in_the_forums_time_zone():
    # 23:30 UTC on 17 January is 08:30 on 18 January in Seoul.
    session = SessionFactory(
        starts_at=dt.datetime(2030, 1, 17, 23, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 1, 18, 0, 30, tzinfo=dt.UTC),
    )
    assert session.day == dt.date(2030, 1, 18)
