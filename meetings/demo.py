"""The demo editions' meeting windows and sample participants on every side; loaded idempotently."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from forum.demo import NINTH_FIRST_DAY
from forum.models import Edition, Project, Sector
from meetings.choices import ProfileSide
from meetings.models import MeetingSettings
from meetings.services.profiles import save_business_profile
from meetings.services.slots import generate_slots
from registrations.choices import ConsentKind, ParticipantCategory, RegistrationStatus
from registrations.models import Consent, ConsentText, Registration

# Business meetings: the 9th forum's meeting window, and sample participants on every side, so a
# new user sees a directory and recommendations at once. Every sample is labelled as one
# (`Registration.is_sample`: "Sample:" / "예시:" in the reader's language, as the projects are).
# Names in Hangul or Burmese come with their Latin-letter companion and the organisation in
# English, as the registration form asks of such names, so ASEAN counterparts and staff read them.
MEETING_SETTINGS = {
    "window_start": dt.date(2022, 1, 24),
    "window_end": dt.date(2022, 2, 11),
    "weekdays": [0, 1, 2, 3, 4],
    "day_start": dt.time(10, 0),
    "day_end": dt.time(17, 0),
    "slot_minutes": 30,
    "pause_minutes": 0,
    "rooms": 10,
    "request_limit": 20,
    "video_link_template": "https://meet.jit.si/{room}",
}

SAMPLE_PARTICIPANTS = [
    # email, (name, in Latin letters), (organisation, in English), job title, country,
    # time zone, category, language, side, sectors, countries of interest, projects presented,
    # projects of interest, offer, seek, languages
    (
        "sample.hanbit@example.org",
        ("이지원", "Lee Ji-won"),
        ("한빛엔지니어링건설", "Hanbit Engineering & Construction"),
        "Director, Overseas Business",
        "KR",
        "Asia/Seoul",
        ParticipantCategory.KOREAN_COMPANY,
        "ko",
        ProfileSide.COMPANY,
        ["transport", "smart-cities"],
        ["VN", "PH", "KH"],
        [],
        ["sample-urban-rail-extension", "sample-smart-traffic-centre"],
        "Design and construction of urban rail and intelligent transport systems.",
        "Rail and traffic projects looking for an EPC partner.",
        ["ko", "en"],
    ),
    (
        "sample.saebit@example.org",
        ("박민서", "Park Min-seo"),
        ("새빛에너지솔루션", "Saebit Energy Solutions"),
        "Head of ASEAN Projects",
        "KR",
        "Asia/Seoul",
        ParticipantCategory.KOREAN_COMPANY,
        "en",
        ProfileSide.COMPANY,
        ["energy"],
        ["ID", "LA", "PH"],
        [],
        ["sample-solar-hybrid-minigrids", "sample-cross-border-interconnection"],
        "Solar-hybrid power plants, battery storage and grid engineering.",
        "Island electrification and interconnection projects.",
        ["ko", "en"],
    ),
    (
        "sample.dasarang@example.org",
        ("최우진", "Choi Woo-jin"),
        ("다사랑스마트시티시스템즈", "Dasarang Smart City Systems"),
        "Managing Director",
        "KR",
        "Asia/Seoul",
        ParticipantCategory.KOREAN_COMPANY,
        "ko",
        ProfileSide.COMPANY,
        ["smart-cities", "ict", "water"],
        ["TH", "VN"],
        [],
        ["sample-smart-water-network", "sample-smart-traffic-centre"],
        "Smart water metering, traffic control software and city data platforms.",
        "City governments planning smart infrastructure.",
        ["ko", "en"],
    ),
    (
        "sample.dotr@example.org",
        ("Maria Santos", ""),
        ("Department of Transportation, Philippines", ""),
        "Project Director",
        "PH",
        "Asia/Manila",
        ParticipantCategory.ASEAN_GOVERNMENT,
        "en",
        ProfileSide.PROJECT_OWNER,
        ["transport"],
        ["KR"],
        ["sample-urban-rail-extension"],
        [],
        "A PPP urban rail extension at feasibility stage.",
        "Contractors and financiers with urban rail experience.",
        ["en", "tl"],
    ),
    (
        "sample.hcmc@example.org",
        ("Nguyễn Thị Lan", ""),
        ("Department of Transport, Ho Chi Minh City", ""),
        "Deputy Director",
        "VN",
        "Asia/Ho_Chi_Minh",
        ParticipantCategory.ASEAN_GOVERNMENT,
        "en",
        ProfileSide.PROJECT_OWNER,
        ["smart-cities", "transport"],
        ["KR"],
        ["sample-smart-traffic-centre"],
        [],
        "A smart traffic management centre for the city.",
        "Technology providers and funding for the first phase.",
        ["vi", "en"],
    ),
    (
        "sample.esdm@example.org",
        ("Budi Santoso", ""),
        ("Ministry of Energy and Mineral Resources, Indonesia", ""),
        "Head of Section, Renewable Energy",
        "ID",
        "Asia/Jakarta",
        ParticipantCategory.ASEAN_GOVERNMENT,
        "en",
        ProfileSide.PROJECT_OWNER,
        ["energy"],
        ["KR"],
        ["sample-solar-hybrid-minigrids"],
        [],
        "Solar-hybrid mini-grids for remote islands.",
        "EPC contractors and concessional finance.",
        ["id", "en"],
    ),
    (
        "sample.mandalay@example.org",
        ("အောင်ကိုကို", "Aung Ko Ko"),
        ("မန္တလေးမြို့တော်စည်ပင်သာယာရေးကော်မတီ", "Mandalay City Development Committee"),
        "Engineer",
        "MM",
        "Asia/Yangon",
        ParticipantCategory.ASEAN_GOVERNMENT,
        "en",
        ProfileSide.PROJECT_OWNER,
        ["water", "smart-cities"],
        ["KR"],
        [],
        ["sample-smart-water-network"],
        "Experience from the city's water network programme.",
        "Partners for smart water metering.",
        ["my", "en"],
    ),
    (
        "sample.keximbank@example.org",
        ("정해인", "Jung Hae-in"),
        ("한국수출입은행", "Export-Import Bank of Korea"),
        "Senior Loan Officer",
        "KR",
        "Asia/Seoul",
        ParticipantCategory.FINANCIAL,
        "ko",
        ProfileSide.FINANCIER,
        ["transport", "energy", "finance"],
        ["PH", "ID", "VN", "LA"],
        [],
        ["sample-urban-rail-extension", "sample-cross-border-interconnection"],
        "Export credit and project finance for infrastructure with Korean participation.",
        "Bankable projects and their sponsors.",
        ["ko", "en"],
    ),
    (
        "sample.mdb@example.org",
        ("Sarah Tan", ""),
        ("Regional Development Finance Facility", ""),
        "Investment Officer",
        "SG",
        "Asia/Singapore",
        ParticipantCategory.INTERNATIONAL,
        "en",
        ProfileSide.FINANCIER,
        ["energy", "smart-cities", "finance"],
        ["KH", "LA", "TH", "ID"],
        [],
        ["sample-port-logistics-platform", "sample-solar-hybrid-minigrids"],
        "Project preparation grants and guarantees.",
        "Early-stage connectivity projects.",
        ["en"],
    ),
]


@transaction.atomic
def load_demo_meetings(edition: Edition) -> None:
    """Meeting settings and slots of the edition, and labelled sample participants; idempotent."""
    # The rehearsal moves the 9th forum's meeting window with its own dates.
    days = edition.start_date - NINTH_FIRST_DAY
    MeetingSettings.objects.update_or_create(
        edition=edition,
        defaults={
            **MEETING_SETTINGS,
            "window_start": MEETING_SETTINGS["window_start"] + days,
            "window_end": MEETING_SETTINGS["window_end"] + days,
        },
    )
    generate_slots(edition=edition)
    texts = {text.kind: text for text in ConsentText.objects.filter(edition=edition)}
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    projects = {project.slug: project for project in Project.objects.filter(edition=edition)}
    now = timezone.now()
    for (
        email,
        (name, name_latin),
        (organisation, organisation_en),
        job_title,
        country,
        time_zone,
        category,
        language,
        side,
        sector_slugs,
        interests,
        presented,
        wanted,
        offer,
        seek,
        languages,
    ) in SAMPLE_PARTICIPANTS:
        registration, created = Registration.objects.update_or_create(
            edition=edition,
            email=email,
            defaults={
                "name": name,
                "name_latin": name_latin,
                "organisation": organisation,
                "organisation_en": organisation_en,
                "is_sample": True,
                "job_title": job_title,
                "country": country,
                "time_zone": time_zone,
                "category": category,
                "language": language,
                "wants_meetings": True,
                "status": RegistrationStatus.CONFIRMED,
            },
        )
        if created:
            registration.email_confirmed_at = registration.confirmed_at = now
            registration.save(update_fields=["email_confirmed_at", "confirmed_at"])
        for kind in (ConsentKind.COLLECTION, ConsentKind.SHARING, ConsentKind.TRANSFER):
            text = texts.get(kind)
            if (
                text is not None
                and not registration.consents.filter(kind=kind, withdrawn_at=None).exists()
            ):
                Consent.objects.create(
                    registration=registration,
                    text=text,
                    kind=kind,
                    version=text.version,
                    given_at=now,
                )
        save_business_profile(
            registration=registration,
            data={
                "side": side,
                "description": (
                    f"{organisation_en or organisation} — a sample participant of the demo."
                ),
                "countries_of_interest": interests,
                "offer": offer,
                "seek": seek,
                "languages": languages,
                "listed": True,
                "sectors": [sectors[slug] for slug in sector_slugs if slug in sectors],
                "projects_presented": [projects[s] for s in presented if s in projects],
                "projects_of_interest": [projects[s] for s in wanted if s in projects],
            },
        )
