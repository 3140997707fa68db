"""factory_boy factories for every model the tests build: one place, shared by all test modules."""

import datetime as dt
import zoneinfo

import factory

from forum.choices import OrganisationKind, SessionKind, SpeakerRole
from forum.models import (
    Edition,
    Organisation,
    Project,
    Sector,
    Session,
    SessionSpeaker,
    Speaker,
    StrategicArea,
)

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


class StrategicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicArea
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Strategic area {n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Sector {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.COMPANY
    country = "KR"


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    number = factory.Sequence(lambda n: 100 + n)
    slug = factory.LazyAttribute(lambda o: f"edition-{o.number}")
    title = factory.LazyAttribute(lambda o: f"{o.number}th ASEAN Connectivity Forum")
    start_date = dt.date(2030, 1, 15)
    end_date = dt.date(2030, 1, 16)
    time_zone = "Asia/Seoul"
    is_current = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    edition = factory.SubFactory(EditionFactory)
    slug = factory.Sequence(lambda n: f"session-{n}")
    title = factory.Sequence(lambda n: f"Session {n}")
    kind = SessionKind.PRESENTATION
    starts_at = factory.Sequence(
        lambda n: dt.datetime(2030, 1, 15, 9, 0, tzinfo=SEOUL) + dt.timedelta(minutes=10 * n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=45))
    capacity = None


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    slug = factory.Sequence(lambda n: f"speaker-{n}")
    name = factory.Sequence(lambda n: f"Speaker {n}")
    position = "Director"
    organisation = factory.SubFactory(OrganisationFactory)


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    role = SpeakerRole.PANELIST


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    edition = factory.SubFactory(EditionFactory)
    slug = factory.Sequence(lambda n: f"project-{n}")
    title = factory.Sequence(lambda n: f"Project {n}")
    country = "VN"
    sector = factory.SubFactory(SectorFactory)
