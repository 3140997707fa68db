"""The demo's programme in English: strategic areas, sectors, sessions, who speaks in which,
and the sample ASEAN projects (the 9th forum's dates; the loaders move them for the rehearsal)."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from forum.choices import FinancingMode, ProjectStage, SessionKind, SpeakerRole

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
