"""The audit trail: services record who did what, without personal values; nobody deletes it."""

import fnmatch
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backoffice.models import ExportLog
from backoffice.services.exports import log_export
from common.choices import AuditActor
from common.models import AuditLog
from common.services.audit import known_actions, log_action
from registrations.services.details import update_registration
from registrations.services.registrations import (
    cancel_registration,
    register_attendee,
)
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def trail(registration) -> list[tuple[str, str, list[str]]]:
    return list(
        AuditLog.objects.filter(object_id=registration.pk, content_type__model="registration")
        .order_by("pk")
        .values_list("actor_kind", "action", "fields")
    )


def test_services_record_who_did_what_and_which_fields_changed(
    open_edition, small_session, admin_user
):
    registration = register_attendee(
        edition=open_edition, data=service_data(sessions=[small_session])
    )
    update_registration(
        registration=registration,
        data={"email": "new.address@example.org", "phone": "+82 10 1234 5678"},
    )
    cancel_registration(registration=registration, actor=admin_user)

    assert [(kind, action, fields) for kind, action, fields in trail(registration)] == [
        ("attendee", "registration.created", []),
        ("attendee", "registration.email_change_asked", ["pending_email", "phone"]),
        ("staff", "booking.released", []),
        ("staff", "registration.cancelled", ["link_key", "status"]),
    ]
    assert AuditLog.objects.filter(actor=admin_user).count() == 2


def test_the_trail_holds_no_personal_values(open_edition, small_session):
    registration = register_attendee(
        edition=open_edition, data=service_data(sessions=[small_session])
    )
    update_registration(
        registration=registration,
        data={"email": "new.address@example.org", "name": "Kim Min-jun", "phone": "+8210"},
    )
    stored = json.dumps(list(AuditLog.objects.values("fields", "details", "action")))
    for value in ["jiwon", "new.address", "Kim Min-jun", "Park", "+8210", "Hanbit"]:
        assert value not in stored


def test_an_unknown_action_is_refused(open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    with pytest.raises(ValueError, match="Unknown audit action"):
        log_action(actor=AuditActor.SYSTEM, obj=registration, action="registration.teleported")


def test_exports_appear_in_the_trail(open_edition, admin_user):
    export = log_export(
        edition=open_edition, user=admin_user, source="admin", format="csv", filters={}, row_count=3
    )
    entry = AuditLog.objects.get(action="export.created")
    assert (entry.actor, entry.object_id, entry.details) == (
        admin_user,
        export.pk,
        {"format": "csv", "source": "admin", "rows": 3},
    )


def test_the_history_is_shown_on_the_registration_page(admin_client, open_edition, admin_user):
    registration = register_attendee(edition=open_edition, data=service_data())
    cancel_registration(registration=registration, actor=admin_user)

    page = admin_client.get(f"/admin/registrations/registration/{registration.pk}/change/")

    text = page.content.decode()
    assert "History" in text
    assert "Cancelled" in text and "Registered" in text


def test_nobody_edits_or_deletes_the_audit_trail_or_the_export_log(
    admin_client, open_edition, admin_user
):
    """Not even a superuser: the admin offers neither, and refuses the direct requests."""
    export = log_export(
        edition=open_edition, user=admin_user, source="admin", format="csv", filters={}, row_count=1
    )
    entry = AuditLog.objects.get()

    responses = [
        admin_client.post(f"/admin/common/auditlog/{entry.pk}/delete/", {"post": "yes"}),
        admin_client.post(f"/admin/common/auditlog/{entry.pk}/change/", {"action": "x"}),
        admin_client.post(f"/admin/backoffice/exportlog/{export.pk}/delete/", {"post": "yes"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert (AuditLog.objects.count(), ExportLog.objects.count()) == (1, 1)
    listing = admin_client.get("/admin/common/auditlog/")
    assert "delete_selected" not in listing.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/common/auditlog/",
        "/admin/common/outgoingemail/",
        "/admin/registrations/consenttext/",
        "/admin/forum/session/",
    ],
)
def test_the_new_admin_lists_need_the_same_queries_for_few_and_many(
    admin_client, open_edition, small_session, url
):
    register_attendee(edition=open_edition, data=service_data(sessions=[small_session]))
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    for n in range(12):
        registration = register_attendee(
            edition=open_edition,
            data=service_data(email=f"m{n}@example.org", sessions=[small_session]),
        )
        cancel_registration(registration=registration)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    assert len(many) == len(few)


def documented_action_codes() -> list[str]:
    """The action codes docs/ gives as examples or lists ("(codes `meeting.*`, …)")."""
    found = []
    for path in sorted((Path(__file__).resolve().parents[2] / "docs").glob("*.md")):
        text = path.read_text()
        found += re.findall(r'action="([\w.]+)"', text)
        found += re.findall(r'audit_actions = \{"([\w.]+)"', text)
        for listed in re.findall(r"\(codes ([^)]*)\)", text):
            found += re.findall(r"`([a-z_]+\.[a-z_*]+)`", listed)
    return sorted(set(found))


@pytest.mark.parametrize("code", documented_action_codes())
def test_each_action_code_the_docs_name_exists(code):
    """Issue 16, defect 7: the docs' example `meeting.requested` was no code at all."""
    assert fnmatch.filter(known_actions(), code), f"docs/ name {code}, which no app declares"
