"""Bulk email: preview, each recipient in their language, through the outbox, once, logged;
marketing only with the marketing consent and with a way to stop."""

import pytest
from django.contrib.auth.models import Group, User

from backoffice.emails.bulk import bulk_message
from backoffice.models import BulkEmail
from common.models import AuditLog, OutgoingEmail
from registrations.services.consents import withdraw_consent
from registrations.services.registrations import register_attendee
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db

ADD = "/admin/backoffice/bulkemail/add/"


@pytest.fixture
def people(open_edition):
    english = register_attendee(
        edition=open_edition,
        data=service_data(
            name="Ana Santos",
            email="ana@example.ph",
            country="PH",
            category="media",
            consents=["collection", "transfer", "marketing"],
        ),
    )
    korean = register_attendee(
        edition=open_edition,
        data=service_data(
            name="김민준",
            email="minjun@example.kr",
            language="ko",
            category="media",
            consents=["collection", "transfer", "marketing"],
        ),
    )
    no_news = register_attendee(
        edition=open_edition,
        data=service_data(name="No News", email="nonews@example.org", category="media"),
    )
    other = register_attendee(
        edition=open_edition,
        data=service_data(name="Engineer", email="eng@example.kr", category="korean_company"),
    )
    return english, korean, no_news, other


def write(client, edition, **overrides):
    data = {
        "edition": edition.pk,
        "subject_en": "Press briefing on 18 January",
        "body_en": "The press briefing starts at 10:00 Seoul time.\n\nBring your press card.",
        "subject_ko": "1월 18일 언론 브리핑",
        "body_ko": "언론 브리핑은 서울 시간 10시에 시작합니다.",
        "categories": ["media"],
    }
    data.update(overrides)
    return client.post(ADD, data)


def test_write_preview_and_send_each_in_their_language(
    admin_client, admin_user, open_edition, people, mailoutbox, django_capture_on_commit_callbacks
):
    english, korean, no_news, _other = people
    response = write(admin_client, open_edition)
    bulk = BulkEmail.objects.get()
    assert response["Location"] == f"/admin/backoffice/bulkemail/{bulk.pk}/send/"
    assert bulk.filters == {"categories": ["media"]}

    preview = admin_client.get(response["Location"])
    assert preview.context["recipient_count"] == 3
    body = preview.content.decode()
    assert "3 recipients, each in their own language." in body
    assert "Press briefing on 18 January" in body and "1월 18일 언론 브리핑" in body
    assert OutgoingEmail.objects.filter(kind="bulk_message").count() == 0  # nothing sent yet

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin_client.post(response["Location"])
    assert sent.status_code == 302
    queued = OutgoingEmail.objects.filter(kind="bulk_message")
    assert sorted(queued.values_list("registration__email", flat=True)) == [
        "ana@example.ph",
        "minjun@example.kr",
        "nonews@example.org",
    ]
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert by_address["ana@example.ph"].subject == "Press briefing on 18 January"
    assert "Dear Ana Santos," in by_address["ana@example.ph"].body
    assert "Bring your press card." in by_address["ana@example.ph"].body
    assert by_address["minjun@example.kr"].subject == "1월 18일 언론 브리핑"
    assert "언론 브리핑은 서울 시간 10시에 시작합니다." in by_address["minjun@example.kr"].body
    # Not marketing: no unsubscribe line.
    assert "withdraw that consent" not in by_address["ana@example.ph"].body
    bulk.refresh_from_db()
    assert (bulk.recipient_count, bulk.sent_by) == (3, admin_user)
    log = AuditLog.objects.get(action="bulk_email.sent")
    assert log.details == {"recipients": 3, "marketing": False}

    # A second click sends nothing more, and the sent message can't be edited.
    admin_client.post(response["Location"])
    assert queued.count() == 3
    assert (
        admin_client.get(f"/admin/backoffice/bulkemail/{bulk.pk}/change/").context[
            "has_change_permission"
        ]
        is False
    )


def test_marketing_goes_only_to_consenting_people_with_a_way_to_stop(
    admin_client, open_edition, people, mailoutbox, django_capture_on_commit_callbacks
):
    english, korean, no_news, _other = people
    write(admin_client, open_edition, is_marketing="on")
    bulk = BulkEmail.objects.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/backoffice/bulkemail/{bulk.pk}/send/")
    assert sorted(mail.to[0] for mail in mailoutbox) == ["ana@example.ph", "minjun@example.kr"]
    ana = next(mail for mail in mailoutbox if mail.to[0] == "ana@example.ph")
    assert "You receive this because you agreed to news about future forums." in ana.body
    assert "/register/manage/" in ana.body


def test_a_marketing_email_is_not_sent_after_the_consent_is_withdrawn(open_edition, people):
    english = people[0]
    bulk = BulkEmail.objects.create(
        edition=open_edition, subject_en="News", body_en="Hello", is_marketing=True
    )
    assert bulk_message(english, {"bulk_email": bulk.pk}) is not None
    withdraw_consent(registration=english, kind="marketing")
    assert bulk_message(english, {"bulk_email": bulk.pk}) is None


def test_staff_cannot_send_bulk_email(client, open_edition, people):
    bulk = BulkEmail.objects.create(edition=open_edition, subject_en="News", body_en="Hello")
    user = User.objects.create_user("staff-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Staff"))
    client.force_login(user)
    assert client.get(f"/admin/backoffice/bulkemail/{bulk.pk}/send/").status_code == 403
    assert client.post(f"/admin/backoffice/bulkemail/{bulk.pk}/send/").status_code == 403
    assert OutgoingEmail.objects.filter(kind="bulk_message").count() == 0


def test_nobody_matching_is_a_clear_message(admin_client, open_edition, people):
    write(admin_client, open_edition, categories=["academia"])
    bulk = BulkEmail.objects.get()
    response = admin_client.post(f"/admin/backoffice/bulkemail/{bulk.pk}/send/", follow=True)
    assert "Nobody matches these filters: nothing was sent." in response.content.decode()
    bulk.refresh_from_db()
    assert bulk.sent_at is None


def test_an_organiser_can_write_and_send(client, open_edition, people):
    user = User.objects.create_user("organiser-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Organiser"))
    client.force_login(user)
    response = write(client, open_edition)
    assert response.status_code == 302
    bulk = BulkEmail.objects.get()
    assert client.post(f"/admin/backoffice/bulkemail/{bulk.pk}/send/").status_code == 302
    assert OutgoingEmail.objects.filter(kind="bulk_message").count() == 3
