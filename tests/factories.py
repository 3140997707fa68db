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


# Registrations ---------------------------------------------------------------------------------

from registrations.choices import (  # noqa: E402
    ConsentKind,
    ConsentRequirement,
    ParticipantCategory,
)
from registrations.models import ConsentText, Registration, RegistrationSettings  # noqa: E402


class RegistrationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationSettings
        django_get_or_create = ["edition"]

    edition = factory.SubFactory(EditionFactory)


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentText

    edition = factory.SubFactory(EditionFactory)
    kind = ConsentKind.COLLECTION
    version = "1"
    requirement = ConsentRequirement.REQUIRED
    text_en = factory.LazyAttribute(lambda o: f"I agree to {o.kind}.")
    text_ko = factory.LazyAttribute(lambda o: f"{o.kind}에 동의합니다.")


def consent_texts_for(edition, *, transfer_required: bool = True) -> list[ConsentText]:
    """The four consents of an edition, as the 9th forum has them."""
    return [
        ConsentTextFactory(edition=edition, kind=ConsentKind.COLLECTION),
        ConsentTextFactory(
            edition=edition, kind=ConsentKind.SHARING, requirement=ConsentRequirement.WITH_MEETINGS
        ),
        ConsentTextFactory(
            edition=edition,
            kind=ConsentKind.TRANSFER,
            requirement=(
                ConsentRequirement.REQUIRED if transfer_required else ConsentRequirement.OPTIONAL
            ),
        ),
        ConsentTextFactory(
            edition=edition, kind=ConsentKind.MARKETING, requirement=ConsentRequirement.OPTIONAL
        ),
    ]


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration row as the services leave it; book seats through the services."""

    class Meta:
        model = Registration

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Attendee {n}")
    email = factory.Sequence(lambda n: f"attendee{n}@example.org")
    organisation = "Korea Engineering Co."
    job_title = "Manager"
    country = "KR"
    category = ParticipantCategory.KOREAN_COMPANY
    time_zone = "Asia/Seoul"
    language = "en"


# Business meetings -----------------------------------------------------------------------------

from meetings.choices import ProfileSide  # noqa: E402
from meetings.models import BusinessProfile, MeetingSettings, MeetingSlot  # noqa: E402
from registrations.choices import RegistrationStatus  # noqa: E402


class MeetingSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSettings
        django_get_or_create = ["edition"]

    edition = factory.SubFactory(EditionFactory)
    window_start = dt.date(2030, 1, 21)  # a Monday
    window_end = dt.date(2030, 1, 25)
    day_start = dt.time(9, 0)
    day_end = dt.time(17, 0)
    slot_minutes = 30
    rooms = 2


class MeetingSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSlot

    edition = factory.SubFactory(EditionFactory)
    starts_at = factory.Sequence(
        lambda n: dt.datetime(2030, 1, 21, 10, 0, tzinfo=SEOUL) + dt.timedelta(minutes=30 * n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=30))
    rooms = 2


class ParticipantFactory(RegistrationFactory):
    """A confirmed registration that takes part in business meetings (consents: give them)."""

    status = RegistrationStatus.CONFIRMED
    wants_meetings = True


class BusinessProfileFactory(factory.django.DjangoModelFactory):
    """A listed profile; its registration is a confirmed meeting participant."""

    class Meta:
        model = BusinessProfile

    registration = factory.SubFactory(ParticipantFactory)
    side = ProfileSide.COMPANY
    description = "We build bridges."
    languages = factory.LazyFunction(lambda: ["en"])


def bulk_profiles(
    edition, count: int, *, sectors=(), projects=(), seed: int = 1
) -> list[BusinessProfile]:
    """`count` listed profiles of confirmed participants, written with a few bulk INSERTs (a
    2,000-profile forum in a second); varied sides, sectors, countries, projects and languages.

    Bulk writes send no signals: call `mark_profiles_changed()` if a process kept candidates."""
    import random

    from forum.choices import ASEAN_MEMBER_STATES

    rng = random.Random(seed)
    places = [*ASEAN_MEMBER_STATES, "KR"]
    sides = list(ProfileSide.values)
    registrations = Registration.objects.bulk_create(
        [
            ParticipantFactory.build(
                edition=edition,
                name=f"Participant {seed}-{n}",
                email=f"participant-{seed}-{n}@example.org",
                organisation=f"Organisation {seed}-{n:05d}",
                country=rng.choice(places),
            )
            for n in range(count)
        ]
    )
    profiles = BusinessProfile.objects.bulk_create(
        [
            BusinessProfileFactory.build(
                registration=registration,
                side=rng.choice(sides),
                countries_of_interest=rng.sample(places, rng.randint(0, 3)),
                languages=rng.sample(["en", "ko", "vi", "th", "id"], rng.randint(1, 2)),
                listed=rng.random() < 0.9,
            )
            for registration in registrations
        ]
    )
    links = {"sectors": [], "projects_presented": [], "projects_of_interest": []}
    for profile in profiles:
        for sector in rng.sample(list(sectors), min(len(sectors), rng.randint(0, 2))):
            links["sectors"].append((profile.pk, sector.pk))
        if projects and profile.side == ProfileSide.PROJECT_OWNER and rng.random() < 0.5:
            links["projects_presented"].append((profile.pk, rng.choice(projects).pk))
        for project in rng.sample(list(projects), min(len(projects), rng.randint(0, 3))):
            links["projects_of_interest"].append((profile.pk, project.pk))
    for name, pairs in links.items():
        through = getattr(BusinessProfile, name).through
        target = "sector_id" if name == "sectors" else "project_id"
        through.objects.bulk_create(
            [through(businessprofile_id=a, **{target: b}) for a, b in pairs]
        )
    return profiles
