"""The demo forum, loaded idempotently: the 9th ASEAN Connectivity Forum (18–19 January 2022) as
a past edition, and a rehearsal edition, its programme moved ahead of the day the demo is loaded,
as the current one."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

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
    ("water", "Water and sanitation", "상하수도"),
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


# Korean values of the demo data, beside the English ones above (docs/glossary.md's words).
EDITION_KO = {
    "title": "제9회 아세안 연계성 포럼",
    "theme": "코로나19 이후 시대의 아세안 연계성과 한-아세안 파트너십",
    "summary": (
        "한-아세안센터와 해외건설협회가 교통, 에너지, 스마트시티 분야의 연계성 사업을 소개하는 "
        "아세안 각국 정부와 한국 기업을 한자리에 모읍니다."
    ),
}

ORGANISATIONS_KO = {
    "ASEAN-Korea Centre": "한-아세안센터",
    "International Contractors Association of Korea": "해외건설협회",
    "Ministry of Foreign Affairs of the Republic of Korea": "외교부",
    "ASEAN Secretariat": "아세안 사무국",
    "United Nations Economic and Social Commission for Asia and the Pacific": (
        "유엔 아시아태평양경제사회위원회"
    ),
    "Multilateral Investment Guarantee Agency, Korea Office": "국제투자보증기구(MIGA) 한국사무소",
    "Export-Import Bank of Korea": "한국수출입은행",
    "ASEAN-ROK Programme Management Team": "한-아세안 협력사업팀(AKPMT)",
    "Permanent Mission of the Kingdom of Cambodia to ASEAN": "주아세안 캄보디아 대표부",
}

# slug: (name, position); "H.E." stays as it is in both languages
SPEAKERS_KO = {
    "kim-hae-yong": ("김해용", "사무총장"),
    "lee-seong-ho": ("이성호", "경제외교조정관"),
    "yeap-samnang": (
        "얍 삼낭",
        "아세안 연계성 조정위원회 의장, 주아세안 캄보디아 대사",
    ),
    "asean-secretariat-speaker": ("아세안 사무국 연사", ""),
    "un-escap-speaker": ("유엔 아시아태평양경제사회위원회 연사", ""),
    "miga-korea-speaker": ("국제투자보증기구 한국사무소 연사", ""),
    "kexim-speaker": ("한국수출입은행 연사", ""),
    "akpmt-speaker": ("한-아세안 협력사업팀 연사", ""),
}

# slug: description (the Korean titles sit in SESSIONS)
SESSION_DESCRIPTIONS_KO = {
    "opening": "한-아세안센터와 해외건설협회의 환영사.",
    "keynotes": "아세안 연계성 사업의 진척 상황과 팬데믹 시기에 사업이 마주한 과제.",
    "panel-post-covid-connectivity": (
        "코로나19 이후 아세안 연계성의 나아갈 길과 연계성 사업의 금융 조달 가능성을 높이는 방안."
    ),
    "akcf-for-connectivity": (
        "자카르타의 한-아세안 협력사업팀이 연계성 사업에 한-아세안 협력기금(AKCF)을 활용하는 "
        "방법을 소개합니다."
    ),
    "projects-transport": "아세안 회원국이 한국 파트너를 찾는 교통 사업을 발표합니다.",
    "projects-energy": "아세안 회원국이 한국 파트너를 찾는 에너지 사업을 발표합니다.",
    "projects-smart-cities": "아세안 회원국이 한국 파트너를 찾는 스마트시티 사업을 발표합니다.",
    "closing": (
        "사전 등록한 참가자가 1월 24일부터 2월 11일까지 온라인 비즈니스 미팅에 참여하는 방법."
    ),
}
ROOM = ("Main stream", "메인 스트림")

# slug: (title, agency, summary)
PROJECTS_KO = {
    "sample-urban-rail-extension": (
        "예시: 도시철도 노선 연장",
        "교통부(예시)",
        "예시 사업: 도로 혼잡을 줄이기 위한 대도시 철도 노선 연장.",
    ),
    "sample-port-logistics-platform": (
        "예시: 항만 물류 디지털 플랫폼",
        "공공사업교통부(예시)",
        "예시 사업: 항만·세관 절차를 위한 단일 창구.",
    ),
    "sample-cross-border-interconnection": (
        "예시: 국경 간 전력망 연계",
        "에너지광업부(예시)",
        "예시 사업: 역내 각국 전력망을 잇는 고압 송전선.",
    ),
    "sample-solar-hybrid-minigrids": (
        "예시: 도서 지역 태양광 하이브리드 소규모 전력망",
        "에너지광물자원부(예시)",
        "예시 사업: 외딴 섬의 디젤 발전을 대체합니다.",
    ),
    "sample-smart-traffic-centre": (
        "예시: 스마트 교통관리센터",
        "시 인민위원회(예시)",
        "예시 사업: 감응식 신호와 도시 전역 교통운영센터.",
    ),
    "sample-smart-water-network": (
        "예시: 스마트 상수도망",
        "지방수도청(예시)",
        "예시 사업: 센서와 계량기로 누수를 줄입니다.",
    ),
}

# email: (name, position, unit)
CONTACTS_KO = {
    "sjkim@aseankorea.org": ("김수정", "선임 담당관", "무역투자부"),
    "crbak@aseankorea.org": ("박채린", "홍보 담당관", "정보자료부"),
}


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
