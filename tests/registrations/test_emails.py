"""The emails: in the attendee's language, with a text and an HTML part and a working link."""

import pytest
from django_tasks_db.models import DBTaskResult

from common.models import OutgoingEmail
from registrations.services.details import update_registration
from registrations.services.registrations import (
    confirm_registration,
    register_attendee,
)
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def test_korean_attendees_get_korean_emails(open_edition, mailoutbox, run_on_commit):
    open_edition.title_ko = "제110회 아세안 연계성 포럼"
    open_edition.save()
    with run_on_commit():
        register_attendee(edition=open_edition, data=service_data(language="ko", name="박지원"))

    [message] = mailoutbox
    assert message.subject == "이메일 주소를 확인해 주십시오 — 제110회 아세안 연계성 포럼"
    assert message.body.startswith("박지원 님, 안녕하십니까.")
    assert "이메일 주소 확인:\nhttp://localhost:8000/ko/register/confirm/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="ko">' in html
    assert ">이메일 주소 확인</a>" in html


def test_english_attendees_get_english_emails_with_both_parts(
    open_edition, mailoutbox, run_on_commit
):
    with run_on_commit():
        register_attendee(edition=open_edition, data=service_data())

    [message] = mailoutbox
    assert message.to == ["jiwon.park@example.co.kr"]
    assert message.body.startswith("Dear Park Ji-won,\n\nThank you for pre-registering")
    assert "Confirm my email address:\nhttp://localhost:8000/register/confirm/" in message.body
    assert ">Confirm my email address</a>" in message.alternatives[0][0]


def test_the_task_queue_holds_no_address_or_token(open_edition, settings, run_on_commit):
    """docs/registration.md says so; an email change once put an address in the queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with run_on_commit():
        registration = register_attendee(edition=open_edition, data=service_data())
        confirm_registration(registration=registration)
        update_registration(registration=registration, data={"email": "new@example.org"})
    queued = [row.args_kwargs for row in DBTaskResult.objects.order_by("enqueued_at")]
    assert len(queued) == 4
    assert "@" not in repr(queued)  # ids of outbox rows only
    assert list(
        OutgoingEmail.objects.filter(registration=registration)
        .order_by("pk")
        .values_list("kind", flat=True)
    ) == ["confirm", "confirmed", "address_changed", "confirm_new_address"]
