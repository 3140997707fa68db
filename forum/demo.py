"""The 9th ASEAN Connectivity Forum (18–19 January 2022) as demo data, loaded idempotently."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import transaction

from forum.choices import (
    ContactPurpose,
    EditionFormat,
    FinancingMode,
    OrganisationKind,
    OrganisationRole,
    ProjectStage,
    SessionKind,
    SpeakerRole,
)
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

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")

STRATEGIC_AREAS = [
    ("sustainable-infrastructure", "Sustainable infrastructure", "지속가능한 인프라"),
    ("digital-innovation", "Digital innovation", "디지털 혁신"),
    ("seamless-logistics", "Seamless logistics", "원활한 물류"),
    ("regulatory-excellence", "Regulatory excellence", "규제 개선"),
    ("people-mobility", "People mobility", "인적 이동"),
]

SECTORS = [
    ("transport", "Transport", "교통"),
    ("energy", "Energy", "에너지"),
    ("smart-cities", "Smart cities", "스마트시티"),
    ("ict", "ICT", "정보통신"),
    ("water", "Water and sanitation", "수자원"),
    ("finance", "Finance", "금융"),
]

ORGANISATIONS = [
    # name, short name, kind, country
    ("ASEAN-Korea Centre", "AKC", OrganisationKind.INTERNATIONAL, "KR"),
    ("International Contractors Association of Korea", "ICAK", OrganisationKind.ASSOCIATION, "KR"),
    (
        "Ministry of Foreign Affairs of the Republic of Korea",
        "MOFA",
        OrganisationKind.GOVERNMENT,
        "KR",
    ),
    ("ASEAN Secretariat", "ASEC", OrganisationKind.INTERNATIONAL, "ID"),
    (
        "United Nations Economic and Social Commission for Asia and the Pacific",
        "UN-ESCAP",
        OrganisationKind.INTERNATIONAL,
        "TH",
    ),
    (
        "Multilateral Investment Guarantee Agency, Korea Office",
        "MIGA Korea",
        OrganisationKind.FINANCIAL,
        "KR",
    ),
    ("Export-Import Bank of Korea", "KEXIM", OrganisationKind.FINANCIAL, "KR"),
    ("ASEAN-ROK Programme Management Team", "AKPMT", OrganisationKind.INTERNATIONAL, "ID"),
    (
        "Permanent Mission of the Kingdom of Cambodia to ASEAN",
        "",
        OrganisationKind.GOVERNMENT,
        "KH",
    ),
]

PARTNERS = [
    ("ASEAN-Korea Centre", OrganisationRole.ORGANISER),
    ("International Contractors Association of Korea", OrganisationRole.CO_HOST),
    ("Ministry of Foreign Affairs of the Republic of Korea", OrganisationRole.SUPPORTER),
    ("ASEAN Secretariat", OrganisationRole.SUPPORTER),
]

SPEAKERS = [
    # slug, honorific, name, position, organisation, country, name announced
    (
        "kim-hae-yong",
        "",
        "Kim Hae-yong",
        "Secretary General",
        "ASEAN-Korea Centre",
        "KR",
        True,
    ),
    (
        "lee-seong-ho",
        "H.E.",
        "Lee Seong-ho",
        "Deputy Minister for Economic Affairs",
        "Ministry of Foreign Affairs of the Republic of Korea",
        "KR",
        True,
    ),
    (
        "yeap-samnang",
        "H.E.",
        "Yeap Samnang",
        "Chair of the ASEAN Connectivity Coordinating Committee; Permanent Representative to ASEAN",
        "Permanent Mission of the Kingdom of Cambodia to ASEAN",
        "KH",
        True,
    ),
    # The announcement names the panel's organisations, not its speakers.
    (
        "asean-secretariat-speaker",
        "",
        "ASEAN Secretariat speaker",
        "",
        "ASEAN Secretariat",
        "",
        False,
    ),
    (
        "un-escap-speaker",
        "",
        "UN-ESCAP speaker",
        "",
        "United Nations Economic and Social Commission for Asia and the Pacific",
        "",
        False,
    ),
    (
        "miga-korea-speaker",
        "",
        "MIGA Korea Office speaker",
        "",
        "Multilateral Investment Guarantee Agency, Korea Office",
        "",
        False,
    ),
    (
        "kexim-speaker",
        "",
        "Export-Import Bank of Korea speaker",
        "",
        "Export-Import Bank of Korea",
        "",
        False,
    ),
    (
        "akpmt-speaker",
        "",
        "AKPMT speaker",
        "",
        "ASEAN-ROK Programme Management Team",
        "",
        False,
    ),
]


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2022, 1, day, hour, minute, tzinfo=SEOUL)


# slug, kind, title, Korean title, start, end, sectors, areas, capacity, description
SESSIONS = [
    (
        "opening",
        SessionKind.OPENING,
        "Opening ceremony",
        "개회식",
        _at(18, 10, 0),
        _at(18, 10, 20),
        [],
        [],
        None,
        "Welcome by the ASEAN-Korea Centre and the International Contractors Association of Korea.",
    ),
    (
        "keynotes",
        SessionKind.KEYNOTE,
        "Keynotes: connectivity projects during the pandemic",
        "기조연설: 팬데믹 시기의 연계성 사업",
        _at(18, 10, 20),
        _at(18, 11, 0),
        [],
        ["sustainable-infrastructure", "digital-innovation"],
        None,
        "The progress of ASEAN connectivity projects and the challenges they face during the "
        "pandemic.",
    ),
    (
        "panel-post-covid-connectivity",
        SessionKind.PANEL,
        "Panel: ASEAN connectivity after COVID-19 and the bankability of connectivity projects",
        "패널 토론: 코로나19 이후 아세안 연계성과 연계성 사업의 금융 조달 가능성",
        _at(18, 11, 10),
        _at(18, 12, 30),
        ["finance"],
        ["sustainable-infrastructure"],
        None,
        "The way forward for ASEAN connectivity in the post-COVID era and ways to promote the "
        "bankability of connectivity projects.",
    ),
    (
        "akcf-for-connectivity",
        SessionKind.PRESENTATION,
        "Using the ASEAN-Korea Cooperation Fund (AKCF) for connectivity projects",
        "연계성 사업을 위한 한-아세안 협력기금(AKCF) 활용",
        _at(19, 10, 0),
        _at(19, 10, 40),
        ["finance"],
        [],
        None,
        "The ASEAN-ROK Programme Management Team (Jakarta) on how to use the AKCF for "
        "connectivity projects.",
    ),
    (
        "projects-transport",
        SessionKind.PROJECT_PRESENTATION,
        "Project presentations: transport",
        "사업 발표: 교통",
        _at(19, 10, 50),
        _at(19, 11, 40),
        ["transport"],
        ["sustainable-infrastructure", "seamless-logistics"],
        300,
        "ASEAN Member States present transport projects looking for Korean partners.",
    ),
    (
        "projects-energy",
        SessionKind.PROJECT_PRESENTATION,
        "Project presentations: energy",
        "사업 발표: 에너지",
        _at(19, 13, 0),
        _at(19, 13, 50),
        ["energy"],
        ["sustainable-infrastructure"],
        300,
        "ASEAN Member States present energy projects looking for Korean partners.",
    ),
    (
        "projects-smart-cities",
        SessionKind.PROJECT_PRESENTATION,
        "Project presentations: smart cities",
        "사업 발표: 스마트시티",
        _at(19, 14, 0),
        _at(19, 14, 50),
        ["smart-cities", "ict"],
        ["digital-innovation"],
        300,
        "ASEAN Member States present smart-city projects looking for Korean partners.",
    ),
    (
        "closing",
        SessionKind.CLOSING,
        "Closing and introduction to the 1:1 business meetings",
        "폐회 및 1:1 비즈니스 미팅 안내",
        _at(19, 14, 50),
        _at(19, 15, 10),
        [],
        [],
        None,
        "How pre-registered participants take part in the online business meetings from "
        "24 January to 11 February.",
    ),
]

APPEARANCES = [
    # session slug, speaker slug, role, order
    ("opening", "kim-hae-yong", SpeakerRole.REMARKS, 1),
    ("keynotes", "lee-seong-ho", SpeakerRole.KEYNOTE_SPEAKER, 1),
    ("keynotes", "yeap-samnang", SpeakerRole.KEYNOTE_SPEAKER, 2),
    ("panel-post-covid-connectivity", "asean-secretariat-speaker", SpeakerRole.PANELIST, 1),
    ("panel-post-covid-connectivity", "un-escap-speaker", SpeakerRole.PANELIST, 2),
    ("panel-post-covid-connectivity", "miga-korea-speaker", SpeakerRole.PANELIST, 3),
    ("panel-post-covid-connectivity", "kexim-speaker", SpeakerRole.PANELIST, 4),
    ("akcf-for-connectivity", "akpmt-speaker", SpeakerRole.PRESENTER, 1),
]

# Samples only: the announcement names the sectors of the presentations, not the projects.
PROJECTS = [
    # slug, title, country, sector, session, agency, cost, financing, stage, summary
    (
        "sample-urban-rail-extension",
        "Sample: urban rail line extension",
        "PH",
        "transport",
        "projects-transport",
        "Department of Transportation (sample)",
        Decimal("1200000000"),
        FinancingMode.PPP,
        ProjectStage.FEASIBILITY,
        "A sample project: extending a metropolitan rail line to relieve road congestion.",
    ),
    (
        "sample-port-logistics-platform",
        "Sample: port logistics digital platform",
        "KH",
        "transport",
        "projects-transport",
        "Ministry of Public Works and Transport (sample)",
        Decimal("85000000"),
        FinancingMode.LOAN,
        ProjectStage.DESIGN,
        "A sample project: a single window for port and customs procedures.",
    ),
    (
        "sample-cross-border-interconnection",
        "Sample: cross-border power interconnection",
        "LA",
        "energy",
        "projects-energy",
        "Ministry of Energy and Mines (sample)",
        Decimal("650000000"),
        FinancingMode.MIXED,
        ProjectStage.FEASIBILITY,
        "A sample project: a high-voltage line linking national grids in the region.",
    ),
    (
        "sample-solar-hybrid-minigrids",
        "Sample: solar-hybrid mini-grids for islands",
        "ID",
        "energy",
        "projects-energy",
        "Ministry of Energy and Mineral Resources (sample)",
        Decimal("140000000"),
        FinancingMode.PPP,
        ProjectStage.PROCUREMENT,
        "A sample project: replacing diesel generation on remote islands.",
    ),
    (
        "sample-smart-traffic-centre",
        "Sample: smart traffic management centre",
        "VN",
        "smart-cities",
        "projects-smart-cities",
        "City People's Committee (sample)",
        Decimal("60000000"),
        FinancingMode.LOAN,
        ProjectStage.CONCEPT,
        "A sample project: adaptive signals and a city-wide traffic operations centre.",
    ),
    (
        "sample-smart-water-network",
        "Sample: smart water network",
        "TH",
        "smart-cities",
        "projects-smart-cities",
        "Provincial Waterworks Authority (sample)",
        Decimal("45000000"),
        FinancingMode.PUBLIC,
        ProjectStage.DESIGN,
        "A sample project: sensors and metering to cut water losses.",
    ),
]

CONTACTS = [
    (
        ContactPurpose.CONTENTS,
        "Kim Su-jung",
        "Senior Officer",
        "TIU",
        "+82-2-2287-1192",
        "sjkim@aseankorea.org",
    ),
    (
        ContactPurpose.PRESS,
        "Bak Chae-rin",
        "PR Officer",
        "IDU",
        "+82-2-2287-1146",
        "crbak@aseankorea.org",
    ),
]


@transaction.atomic
def load_demo_forum() -> Edition:
    """Creates or updates the 9th forum; running it again changes nothing."""
    areas = {
        slug: StrategicArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_ko": name_ko, "order": order}
        )[0]
        for order, (slug, name, name_ko) in enumerate(STRATEGIC_AREAS, start=1)
    }
    sectors = {
        slug: Sector.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_ko": name_ko}
        )[0]
        for slug, name, name_ko in SECTORS
    }
    organisations = {
        name: Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "country": country}
        )[0]
        for name, short, kind, country in ORGANISATIONS
    }
    # Another edition may be current already (staff set up the next one): don't take its place.
    other_current = Edition.objects.filter(is_current=True).exclude(number=9).exists()
    edition, _ = Edition.objects.update_or_create(
        number=9,
        defaults={
            "slug": "9th-acf-2022",
            "title": "9th ASEAN Connectivity Forum",
            "title_ko": "제9회 아세안 연계성 포럼",
            "theme": "ASEAN Connectivity and ASEAN-Korea Partnership in the Post COVID-19 era",
            "summary": (
                "The ASEAN-Korea Centre and the International Contractors Association of Korea "
                "bring Korean companies together with ASEAN governments that present connectivity "
                "projects in transport, energy and smart cities."
            ),
            "start_date": dt.date(2022, 1, 18),
            "end_date": dt.date(2022, 1, 19),
            "time_zone": "Asia/Seoul",
            "format": EditionFormat.ONLINE,
            "venue": "",  # the announcement names no platform; the format says online
            "registration_opens": dt.datetime(2021, 12, 1, 9, 0, tzinfo=SEOUL),
            # The announcement gives no deadline; staff set one in the admin.
            "registration_closes": None,
            "meetings_start": dt.date(2022, 1, 24),
            "meetings_end": dt.date(2022, 2, 11),
            "retention_days": 365,
            "times_are_illustrative": True,
            "is_current": not other_current,
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
        ContactPerson.objects.update_or_create(
            edition=edition,
            purpose=purpose,
            name=name,
            defaults={
                "position": position,
                "unit": unit,
                "phone": phone,
                "email": email,
                "order": order,
            },
        )
    speakers = {}
    for slug, honorific, name, position, organisation, country, announced in SPEAKERS:
        speakers[slug] = Speaker.objects.update_or_create(
            slug=slug,
            defaults={
                "honorific": honorific,
                "name": name,
                "position": position,
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
                "title": title,
                "title_ko": title_ko,
                "starts_at": start,
                "ends_at": end,
                "capacity": capacity,
                "room": "Main stream",
                "description": text,
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
        Project.objects.update_or_create(
            edition=edition,
            slug=slug,
            defaults={
                "title": title,
                "country": country,
                "sector": sectors[sector],
                "session": sessions[session],
                "implementing_agency": agency,
                "estimated_cost_usd": cost,
                "financing_mode": financing,
                "stage": stage,
                "summary": summary,
                "is_sample": True,
            },
        )
    # The consent texts and registration settings the pre-registration form needs.
    from registrations.demo import load_demo_consents

    load_demo_consents(edition)
    return edition
