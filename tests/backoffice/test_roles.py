"""The roles declared in code (Organiser, Staff, Viewer): what each can and cannot do."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal

from backoffice.roles import ORGANISER, ROLES, STAFF, VIEWER
from common.models import AuditLog
from registrations.models import ConsentText, Registration, RegistrationSettings
from registrations.services.registrations import register_attendee
from tests.registrations.admin_forms import change_form_data
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_role(client, django_user_model):
    def login(role: str):
        user = django_user_model.objects.create_user(role.lower(), is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client

    return login


def held(group: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=group).permissions.select_related("content_type")
    }


def test_each_group_holds_exactly_its_declared_permissions():
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    for role, declared in ROLES.items():
        assert held(role) == set(declared) & existing, role
    assert {"registrations.view_registration"} <= held(STAFF)


def test_migrate_brings_a_hand_edited_group_back_to_its_role():
    staff = Group.objects.get(name=STAFF)
    staff.permissions.add(Permission.objects.get(codename="delete_registration"))
    Group.objects.filter(name=VIEWER).delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert "registrations.delete_registration" not in held(STAFF)
    assert Group.objects.filter(name=VIEWER).exists()


def test_a_viewer_sees_counts_but_never_personal_data(as_role, open_edition, small_session):
    register_attendee(edition=open_edition, data=service_data(sessions=[small_session]))
    registration = Registration.objects.get()
    client = as_role(VIEWER)

    sessions = client.get("/admin/forum/session/")
    refused = [
        client.get("/admin/registrations/registration/").status_code,
        client.get(f"/admin/registrations/registration/{registration.pk}/change/").status_code,
        client.get("/admin/registrations/sessionbooking/").status_code,
        client.get("/admin/common/auditlog/").status_code,
        client.get("/admin/common/outgoingemail/").status_code,
        client.get("/admin/backoffice/exportlog/").status_code,
    ]

    assert sessions.status_code == 200
    row = next(r for r in sessions.context["results"] if small_session.title in "".join(r))
    assert row[-2:] == [
        '<td class="field-booked_count">1</td>',
        '<td class="field-waiting_count">0</td>',
    ]
    assert "jiwon.park" not in sessions.content.decode()
    assert refused == [403] * 6


def test_staff_work_the_list_but_cant_delete_or_change_settings(
    as_role, open_edition, small_session
):
    registration = register_attendee(edition=open_edition, data=service_data())
    settings = RegistrationSettings.objects.get(edition=open_edition)
    client = as_role(STAFF)

    listing = client.get("/admin/registrations/registration/")
    cancelled = client.post(
        "/admin/registrations/registration/",
        {"action": "cancel", "_selected_action": [registration.pk], "confirmed": "yes"},
    )
    delete = client.post(
        f"/admin/registrations/registration/{registration.pk}/delete/", {"post": "yes"}
    )
    settings_page = client.get(f"/admin/registrations/registrationsettings/{settings.pk}/change/")
    settings_post = client.post(
        f"/admin/registrations/registrationsettings/{settings.pk}/change/",
        change_form_data(settings_page, confirmation_hours="1"),
    )

    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()
    assert cancelled.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert delete.status_code == 403
    assert settings_post.status_code == 403
    settings.refresh_from_db()
    assert settings.confirmation_hours == 48


def test_staff_cant_delete_the_audit_trail(as_role, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    entry = AuditLog.objects.filter(object_id=registration.pk).first()
    client = as_role(STAFF)

    assert client.get("/admin/common/auditlog/").status_code == 200
    response = client.post(f"/admin/common/auditlog/{entry.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_organisers_keep_the_settings_within_sane_bounds(as_role, open_edition):
    settings = RegistrationSettings.objects.get(edition=open_edition)
    client = as_role(ORGANISER)
    url = f"/admin/registrations/registrationsettings/{settings.pk}/change/"
    page = client.get(url)

    too_short = client.post(url, change_form_data(page, confirmation_hours="1"))
    too_long = client.post(url, change_form_data(page, manage_link_days="9999"))
    fine = client.post(url, change_form_data(page, confirmation_hours="72"))

    assert "greater than or equal to 12" in too_short.content.decode()
    assert "less than or equal to 180" in too_long.content.decode()
    assert fine.status_code == 302
    settings.refresh_from_db()
    assert (settings.confirmation_hours, settings.manage_link_days) == (72, 90)
    entry = AuditLog.objects.get(action="settings.changed")
    assert entry.fields == ["confirmation_hours"]


def test_an_agreed_to_consent_text_cant_be_edited_but_a_new_version_can_be_published(
    as_role, open_edition
):
    register_attendee(edition=open_edition, data=service_data())
    agreed = ConsentText.objects.get(edition=open_edition, kind="collection")
    client = as_role(ORGANISER)
    url = f"/admin/registrations/consenttext/{agreed.pk}/change/"

    page = client.get(url)
    client.post(url, {**change_form_data(page), "text_en": "Something nobody agreed to"})
    new_version = client.get(f"/admin/registrations/consenttext/add/?copy_from={agreed.pk}")
    form = new_version.context["adminform"].form

    agreed.refresh_from_db()
    assert agreed.text_en != "Something nobody agreed to"
    assert "text_en" not in page.context["adminform"].form.fields  # shown read-only
    assert (form.initial["kind"], form.initial["text_en"]) == ("collection", agreed.text_en)


NEW_VERSION = {
    "kind": "collection",
    "version": "2",
    "requirement": "required",
    "text_en": "We keep your details for the forum, version two.",
    "text_ko": "",
    "common-auditlog-content_type-object_id-TOTAL_FORMS": "0",
    "common-auditlog-content_type-object_id-INITIAL_FORMS": "0",
}


def test_staff_cant_publish_a_new_consent_version(as_role, open_edition, client):
    """Legal texts are the organisers': Staff see them, only Organisers publish one."""
    staff = as_role(STAFF)
    assert staff.get("/admin/registrations/consenttext/").status_code == 200
    assert staff.get("/admin/registrations/consenttext/add/").status_code == 403
    before = ConsentText.objects.count()
    response = staff.post(
        "/admin/registrations/consenttext/add/", {"edition": open_edition.pk, **NEW_VERSION}
    )
    assert response.status_code == 403
    assert ConsentText.objects.count() == before
    assert "version two" not in client.get("/register/").content.decode()


def test_organisers_publish_a_new_consent_version_and_the_form_shows_it(
    as_role, open_edition, client
):
    organiser = as_role(ORGANISER)
    response = organiser.post(
        "/admin/registrations/consenttext/add/", {"edition": open_edition.pk, **NEW_VERSION}
    )

    assert response.status_code == 302
    assert "version two" in client.get("/register/").content.decode()
    entry = AuditLog.objects.get(action="consent_text.published")
    assert entry.details == {"kind": "collection", "version": "2"}


def test_the_roles_have_their_documented_differences():
    organiser, staff, viewer = held(ORGANISER), held(STAFF), held(VIEWER)
    assert "registrations.delete_registration" in organiser - staff
    assert "registrations.change_registrationsettings" in organiser - staff
    assert not {p for p in staff | viewer if p.startswith("registrations.delete_")}
    assert not {p for p in viewer if p.startswith("registrations.") and "dashboard" not in p}
    assert not any("auditlog" in p and not p.endswith("view_auditlog") for p in organiser)
    assert not any(p.startswith("common.add_auditlog") for p in organiser | staff)


def test_organisers_run_the_scheduler_staff_follow_it_viewers_dont_see_it(as_role, edition):
    organiser = as_role(ORGANISER)
    assert organiser.get("/admin/meetings/schedulerun/add/").status_code == 200
    staff = as_role(STAFF)
    assert staff.get("/admin/meetings/schedulerun/").status_code == 200
    assert staff.get("/admin/meetings/schedulerun/add/").status_code == 403
    viewer = as_role(VIEWER)
    assert viewer.get("/admin/meetings/schedulerun/").status_code == 403
