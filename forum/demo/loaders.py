"""The demo's loaders: the 9th forum as a past edition and the rehearsal edition ahead of the
day the demo is loaded, both from the same programme."""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from forum.choices import EditionFormat
from forum.demo.korean import (
    CONTACTS_KO,
    EDITION_KO,
    ORGANISATIONS_KO,
    PROJECTS_KO,
    ROOM,
    SESSION_DESCRIPTIONS_KO,
    SPEAKERS_KO,
)
from forum.demo.people import CONTACTS, ORGANISATIONS, PARTNERS, SPEAKERS
from forum.demo.programme import APPEARANCES, PROJECTS, SECTORS, SEOUL, SESSIONS, STRATEGIC_AREAS
from forum.editions import make_edition_current
from forum.models import (
    ContactPerson,
    Edition,
    EditionOrganisation,
    Organisation,
    Project,
    Sector,
    Session,
    SessionSpeaker,
    Speaker,
    StrategicArea,
)


def _both(field: str, english: str, korean: str) -> dict[str, str]:
    """The English and Korean columns of one translated field (forum/translation.py)."""
    return {f"{field}_en": english, f"{field}_ko": korean}


NINTH_FIRST_DAY = dt.date(2022, 1, 18)
REHEARSAL_SLUG = "rehearsal"
# The rehearsal's first day lies at least this far ahead of the day the demo is loaded, so a
# newcomer can register, and meet in the weeks after the forum days, before anything is past.
REHEARSAL_LEAD = dt.timedelta(days=14)

NINTH = {
    "number": 9,
    "slug": "9th-acf-2022",
    **_both("title", "9th ASEAN Connectivity Forum", EDITION_KO["title"]),
    **_both(
        "summary",
        "The ASEAN-Korea Centre and the International Contractors Association of Korea "
        "bring Korean companies together with ASEAN governments that present connectivity "
        "projects in transport, energy and smart cities.",
        EDITION_KO["summary"],
    ),
    "is_rehearsal": False,
}

REHEARSAL = {
    "slug": REHEARSAL_SLUG,
    **_both(
        "title",
        "ASEAN Connectivity Forum — rehearsal (demo)",
        "아세안 연계성 포럼 — 리허설(데모)",
    ),
    **_both(
        "summary",
        "A rehearsal with sample data: the 9th forum's programme moved ahead of today, with "
        "sample participants on every side. Register, confirm your address, send a meeting "
        "request and book a meeting as a participant would; nothing here is a real forum.",
        "예시 데이터로 꾸민 리허설입니다. 제9회 포럼의 프로그램을 오늘 이후로 옮기고 분야별 예시 "
        "참가자를 넣었습니다. 참가자처럼 등록하고, 이메일 주소를 확인하고, 미팅을 요청하고 "
        "예약해 보세요. 실제 포럼이 아닙니다.",
    ),
    "is_rehearsal": True,
}


def rehearsal_shift(today: dt.date) -> dt.timedelta:
    """How far the 9th forum's dates move for the rehearsal: whole weeks (so weekdays, and
    the meeting days with them, stay as announced), its first day at least REHEARSAL_LEAD
    after `today`."""
    days = (today + REHEARSAL_LEAD - NINTH_FIRST_DAY).days
    return dt.timedelta(weeks=-(-days // 7))


def _shifted(value: dt.datetime | None, days: dt.timedelta) -> dt.datetime | None:
    """The same wall-clock time in Seoul `days` later."""
    return None if value is None else value.astimezone(SEOUL) + days


def _taxonomy():
    areas = {
        slug: StrategicArea.objects.update_or_create(
            slug=slug, defaults={**_both("name", name, name_ko), "order": order}
        )[0]
        for order, (slug, name, name_ko) in enumerate(STRATEGIC_AREAS, start=1)
    }
    sectors = {
        slug: Sector.objects.update_or_create(slug=slug, defaults=_both("name", name, name_ko))[0]
        for slug, name, name_ko in SECTORS
    }
    organisations = {
        name: Organisation.objects.update_or_create(
            name_en=name,
            defaults={
                "name_ko": ORGANISATIONS_KO[name],
                "short_name": short,
                "kind": kind,
                "country": country,
            },
        )[0]
        for name, short, kind, country in ORGANISATIONS
    }
    return areas, sectors, organisations


@transaction.atomic
def load_demo_programme() -> Edition:
    """Creates or updates the 9th forum, a past edition; running it again changes nothing."""
    return _load_edition(NINTH, days=dt.timedelta(0))


@transaction.atomic
def load_demo_rehearsal(*, today: dt.date | None = None) -> Edition:
    """The rehearsal edition: the 9th forum's programme moved ahead of `today` (the day the demo
    is loaded), current unless staff made another edition current. Loaded again while its first
    day is still ahead, it changes nothing; once that day has come, its dates move ahead again."""
    today = today or timezone.localdate(timezone=SEOUL)
    existing = Edition.objects.filter(slug=REHEARSAL_SLUG).first()
    if existing is not None and existing.start_date > today:
        days = existing.start_date - NINTH_FIRST_DAY
    else:
        days = rehearsal_shift(today)
    if existing is not None:
        number = existing.number
    else:
        number = max(10, (Edition.objects.aggregate(Max("number"))["number__max"] or 0) + 1)
    edition = _load_edition({**REHEARSAL, "number": number}, days=days)
    current = Edition.objects.filter(is_current=True).first()
    if current is None or current.slug in (NINTH["slug"], REHEARSAL_SLUG):
        make_edition_current(edition=edition)
        edition.refresh_from_db()
    return edition


def _load_edition(identity: dict, *, days: dt.timedelta) -> Edition:
    """The 9th forum's programme as the edition `identity` names, its dates `days` later."""
    areas, sectors, organisations = _taxonomy()
    edition, _ = Edition.objects.update_or_create(
        slug=identity["slug"],
        defaults={
            **identity,
            **_both(
                "theme",
                "ASEAN Connectivity and ASEAN-Korea Partnership in the Post COVID-19 era",
                EDITION_KO["theme"],
            ),
            "start_date": NINTH_FIRST_DAY + days,
            "end_date": dt.date(2022, 1, 19) + days,
            "time_zone": "Asia/Seoul",
            "format": EditionFormat.ONLINE,
            # The announcement names no platform; the format already says online.
            **_both("venue", "", ""),
            "registration_opens": _shifted(dt.datetime(2021, 12, 1, 9, 0, tzinfo=SEOUL), days),
            # The announcement gives no deadline; staff set one in the admin.
            "registration_closes": None,
            "meetings_start": dt.date(2022, 1, 24) + days,
            "meetings_end": dt.date(2022, 2, 11) + days,
            "retention_days": 365,
            "times_are_illustrative": True,
        },
    )
    edition.focus_areas.set([areas["sustainable-infrastructure"], areas["digital-innovation"]])
    for order, (name, role) in enumerate(PARTNERS, start=1):
        EditionOrganisation.objects.update_or_create(
            edition=edition,
            organisation=organisations[name],
            role=role,
            defaults={"order": order},
        )
    for order, (purpose, name, position, unit, phone, email) in enumerate(CONTACTS, start=1):
        name_ko, position_ko, unit_ko = CONTACTS_KO[email]
        ContactPerson.objects.update_or_create(
            edition=edition,
            purpose=purpose,
            email=email,
            defaults={
                **_both("name", name, name_ko),
                **_both("position", position, position_ko),
                **_both("unit", unit, unit_ko),
                "phone": phone,
                "order": order,
            },
        )
    speakers = {}
    for slug, honorific, name, position, organisation, country, announced in SPEAKERS:
        name_ko, position_ko = SPEAKERS_KO[slug]
        speakers[slug] = Speaker.objects.update_or_create(
            slug=slug,
            defaults={
                "honorific": honorific,
                **_both("name", name, name_ko),
                **_both("position", position, position_ko),
                "organisation": organisations[organisation],
                "country": country,
                "name_announced": announced,
            },
        )[0]
    sessions = {}
    for (
        slug,
        kind,
        title,
        title_ko,
        start,
        end,
        sector_slugs,
        area_slugs,
        capacity,
        text,
    ) in SESSIONS:
        session, _ = Session.objects.update_or_create(
            edition=edition,
            slug=slug,
            defaults={
                "kind": kind,
                **_both("title", title, title_ko),
                "starts_at": _shifted(start, days),
                "ends_at": _shifted(end, days),
                "capacity": capacity,
                **_both("room", *ROOM),
                **_both("description", text, SESSION_DESCRIPTIONS_KO[slug]),
            },
        )
        session.sectors.set([sectors[s] for s in sector_slugs])
        session.strategic_areas.set([areas[a] for a in area_slugs])
        sessions[slug] = session
    for session_slug, speaker_slug, role, order in APPEARANCES:
        SessionSpeaker.objects.update_or_create(
            session=sessions[session_slug],
            speaker=speakers[speaker_slug],
            role=role,
            defaults={"order": order},
        )
    for slug, title, country, sector, session, agency, cost, financing, stage, summary in PROJECTS:
        title_ko, agency_ko, summary_ko = PROJECTS_KO[slug]
        Project.objects.update_or_create(
            edition=edition,
            slug=slug,
            defaults={
                **_both("title", title, title_ko),
                "country": country,
                "sector": sectors[sector],
                "session": sessions[session],
                **_both("implementing_agency", agency, agency_ko),
                "estimated_cost_usd": cost,
                "financing_mode": financing,
                "stage": stage,
                **_both("summary", summary, summary_ko),
                "is_sample": True,
            },
        )
    return edition
