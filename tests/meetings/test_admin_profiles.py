"""Business profiles in the admin: adding and changing them by each staff role, through the
service, and never listing someone who may not be listed."""

import html

import pytest
from django.contrib.auth.models import Group, User

from common.models import AuditLog
from meetings.models import BusinessProfile
from registrations.choices import ConsentKind
from registrations.services.consents import give_consent, withdraw_consent
from tests.factories import (
    BusinessProfileFactory,
    MeetingSettingsFactory,
    ParticipantFactory,
    SectorFactory,
    consent_texts_for,
)

pytestmark = pytest.mark.django_db

INLINE = "common-auditlog-content_type-object_id"


def signed_in(client, role: str):
    user = User.objects.create_user(f"{role.lower()}-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def form_data(registration, **overrides) -> dict:
    data = {
        "registration": registration.pk,
        "side": "company",
        "listed": "on",
        "description": "Tunnels and metro lines.",
        "offer": "Design and build",
        "seek": "",
        "languages": '["en", "ko"]',
        "countries_of_interest": ["VN"],
        "website": "",
        f"{INLINE}-TOTAL_FORMS": "0",
        f"{INLINE}-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def participant(edition):
    MeetingSettingsFactory(edition=edition)
    consent_texts_for(edition)
    registration = ParticipantFactory(edition=edition)
    give_consent(registration=registration, kind=ConsentKind.SHARING)
    return registration


def test_an_organiser_adds_a_profile(client, participant):
    user = signed_in(client, "Organiser")
    sector = SectorFactory()
    response = client.post(
        "/admin/meetings/businessprofile/add/",
        form_data(participant, sectors=[sector.pk]),
    )
    assert response.status_code == 302
    profile = BusinessProfile.objects.get(registration=participant)
    assert (profile.description, profile.listed, profile.languages) == (
        "Tunnels and metro lines.",
        True,
        ["en", "ko"],
    )
    assert list(profile.sectors.all()) == [sector]
    entry = AuditLog.objects.get(object_id=profile.pk, action="profile.created")
    assert entry.actor == user


@pytest.mark.parametrize("role", ["Organiser", "Staff"])
def test_organisers_and_staff_change_a_profile(client, participant, role):
    user = signed_in(client, role)
    profile = BusinessProfileFactory(registration=participant)
    response = client.post(
        f"/admin/meetings/businessprofile/{profile.pk}/change/",
        form_data(participant, description="Now also rail signalling."),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.description == "Now also rail signalling."
    entry = AuditLog.objects.get(object_id=profile.pk, action="profile.changed")
    assert (entry.actor, "description" in entry.fields) == (user, True)


@pytest.mark.parametrize(("role", "status"), [("Staff", 403), ("Viewer", 403)])
def test_staff_and_viewers_cannot_add_a_profile(client, participant, role, status):
    signed_in(client, role)
    response = client.post("/admin/meetings/businessprofile/add/", form_data(participant))
    assert response.status_code == status
    assert not BusinessProfile.objects.exists()


def test_a_viewer_cannot_change_a_profile(client, participant):
    signed_in(client, "Viewer")
    profile = BusinessProfileFactory(registration=participant, description="Before")
    response = client.post(
        f"/admin/meetings/businessprofile/{profile.pk}/change/",
        form_data(participant, description="After"),
    )
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.description == "Before"


@pytest.mark.parametrize("role", ["Organiser", "Staff"])
def test_nobody_lists_someone_who_withdrew_the_sharing_consent(client, participant, role):
    signed_in(client, role)
    profile = BusinessProfileFactory(registration=participant, description="Before")
    withdraw_consent(registration=participant, kind=ConsentKind.SHARING)
    profile.refresh_from_db()
    assert profile.listed is False  # withdrawing unlisted it

    response = client.post(
        f"/admin/meetings/businessprofile/{profile.pk}/change/",
        form_data(participant, description="After"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["listed"] == [
        "This person has not chosen to take part in business meetings: "
        "their profile can't be listed."
    ]
    assert response.context["adminform"].form["description"].value() == "After"  # kept
    profile.refresh_from_db()
    assert (profile.listed, profile.description) == (False, "Before")

    # Unlisted, the rest of the profile can still be corrected.
    response = client.post(
        f"/admin/meetings/businessprofile/{profile.pk}/change/",
        form_data(participant, description="After", listed=None),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.listed, profile.description) == (False, "After")


def test_the_service_refuses_to_list_without_the_consent_even_without_the_form(participant):
    from meetings.errors import MeetingError
    from meetings.services.profiles import save_business_profile

    user = User.objects.create_user("someone", is_staff=True)
    profile = BusinessProfileFactory(registration=participant, listed=False)
    participant.consents.filter(kind=ConsentKind.SHARING).update(withdrawn_at="2030-01-01T00:00Z")
    with pytest.raises(MeetingError) as refused:
        save_business_profile(registration=participant, data={"listed": True}, user=user)
    assert refused.value.code == "not_listable"
    profile.refresh_from_db()
    assert profile.listed is False


def test_searching_profiles_by_the_latin_name_finds_a_korean_named_participant(
    admin_client, edition
):
    korean = BusinessProfileFactory(
        registration=ParticipantFactory(
            edition=edition,
            name="이지원",
            name_latin="Lee Ji-won",
            organisation="한빛엔지니어링건설",
            organisation_en="Hanbit Engineering & Construction",
        )
    )
    BusinessProfileFactory(registration=ParticipantFactory(edition=edition, name="Lee Min-ho"))

    for query in ("ji-won", "hanbit engineering"):
        found = admin_client.get("/admin/meetings/businessprofile/", {"q": query})
        assert list(found.context["cl"].result_list) == [korean]
    page = html.unescape(found.content.decode())
    assert "이지원 (Lee Ji-won)" in page
    assert "한빛엔지니어링건설 (Hanbit Engineering & Construction)" in page
