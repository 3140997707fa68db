"""The 9th forum's consent texts and registration settings.

Loaded idempotently for the demo.
"""

from django.db import transaction

from forum.models import Edition
from registrations.choices import (
    ConsentKind,
    ConsentRequirement,
    ParticipantCategory,
)
from registrations.models import ConsentText, RegistrationSettings

DEMO_VERSION = "2021-12"
# The transfer text says where the data goes (it said "outside my country" before, wrong for a
# resident of Korea): a new version, so consents given to the old wording keep theirs.
VERSIONS = {ConsentKind.TRANSFER: "2026-12"}

CONSENTS = [
    (
        ConsentKind.COLLECTION,
        ConsentRequirement.REQUIRED,
        "I agree that the ASEAN-Korea Centre collects and uses my name, contact details, "
        "organisation, job title, country and session choices to run my registration for the "
        "forum, and keeps them until the retention period ends.",
        "한-아세안센터가 포럼 등록 운영을 위해 본인의 이름, 연락처, 소속, 직위, 국가 및 세션 "
        "선택 정보를 수집·이용하고 보유 기간이 끝날 때까지 보관하는 데 동의합니다.",
    ),
    (
        ConsentKind.SHARING,
        ConsentRequirement.WITH_MEETINGS,
        "I agree that my name, organisation, job title, country and business profile are shown "
        "to other participants of the 1:1 business meetings.",
        "본인의 이름, 소속, 직위, 국가 및 비즈니스 프로필이 1:1 비즈니스 미팅의 다른 참가자에게 "
        "공개되는 데 동의합니다.",
    ),
    (
        ConsentKind.TRANSFER,
        ConsentRequirement.REQUIRED,
        # Where the data goes, in words true for every reader (a resident of Korea too).
        "I agree that my data is transferred to and stored on the ASEAN-Korea Centre's servers "
        "in Seoul, Republic of Korea, to run the forum.",
        "포럼 운영을 위해 본인의 정보가 대한민국 서울에 있는 한-아세안센터의 서버로 이전·보관되는 "
        "데 동의합니다.",
    ),
    (
        ConsentKind.MARKETING,
        ConsentRequirement.OPTIONAL,
        "I would like to receive news about future ASEAN Connectivity Forums by email.",
        "향후 아세안 연계성 포럼 소식을 이메일로 받겠습니다.",
    ),
]


@transaction.atomic
def load_demo_consents(edition: Edition) -> None:
    """Creates the edition's consent texts and settings; running it again changes nothing."""
    for kind, requirement, text_en, text_ko in CONSENTS:
        ConsentText.objects.update_or_create(
            edition=edition,
            kind=kind,
            version=VERSIONS.get(kind, DEMO_VERSION),
            defaults={"requirement": requirement, "text_en": text_en, "text_ko": text_ko},
        )
    RegistrationSettings.objects.get_or_create(
        edition=edition, defaults={"approval_categories": [ParticipantCategory.MEDIA.value]}
    )
