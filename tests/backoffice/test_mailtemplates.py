"""Emails the organisers edit per edition and language: checked on save, previewed with a sample
attendee, tested to themselves, in the audit trail; the next email of the kind uses them."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User

from backoffice.emails.mailtemplates import editable_kinds, template_source
from backoffice.emails.wording import shipped_wording
from backoffice.models import MailTemplate
from common.emails import render_email
from common.models import AuditLog, OutgoingEmail
from forum.editions import start_next_edition
from registrations.services.registrations import confirm_registration, register_attendee
from tests.factories import EditionFactory
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db

LIST = "/admin/backoffice/mailtemplate/"
ADD = f"{LIST}add/"
# The history inline's management form (read-only rows: none posted).
HISTORY = {
    "common-auditlog-content_type-object_id-TOTAL_FORMS": "0",
    "common-auditlog-content_type-object_id-INITIAL_FORMS": "0",
}
KOREAN_SUBJECT = "{{ name }} 님, {{ edition }} 참가가 확정되었습니다"
KOREAN_BODY = (
    "{{ name }} 님께,\n\n포럼 사무국에서 알려 드립니다. 참가가 확정되었습니다.\n\n"
    "{% if waiting %}대기자 명단에 있는 세션이 있습니다.{% endif %}"
)


def staff(group: str, email: str = "") -> User:
    user = User.objects.create_user(
        f"{group.lower()}-user", email=email, password="x", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def organiser(client):
    user = staff("Organiser", email="organiser@aseankorea.org")
    client.force_login(user)
    return user


def edit(client, edition, **overrides):
    data = {
        "edition": edition.pk,
        "kind": "confirmed",
        "language": "ko",
        "subject": KOREAN_SUBJECT,
        "body": KOREAN_BODY,
        **HISTORY,
    }
    data.update(overrides)
    return client.post(ADD, data)


def confirmed_attendee(edition, run_on_commit, **data):
    with run_on_commit():
        registration = register_attendee(edition=edition, data=service_data(**data))
    with run_on_commit():
        confirm_registration(registration=registration)
    return registration


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("flags", [True, False])
def test_the_shipped_wording_written_out_renders_the_shipped_email(language, flags):
    """What an organiser starts from, unchanged, sends exactly the shipped email."""
    for kind in editable_kinds():
        context = {name: f"⟨{name}⟩" for name in kind.placeholders}
        for flag in ("active", "booked", "waiting", "soon", "marketing"):
            if flag in context:
                context[flag] = flags
        subject, body = shipped_wording(kind.name, language)
        edited = render_email(kind.name, context, language, source=template_source(subject, body))
        assert edited == render_email(kind.name, context, language), kind.name


def test_an_organiser_edits_the_korean_email_and_the_next_korean_attendee_gets_it(
    client, organiser, open_edition, mailoutbox, run_on_commit
):
    response = edit(client, open_edition)
    assert response.status_code == 302
    template = MailTemplate.objects.get()
    assert (template.kind, template.language, template.updated_by) == ("confirmed", "ko", organiser)

    mailoutbox.clear()
    confirmed_attendee(
        open_edition, run_on_commit, email="minjun@example.kr", language="ko", name="Kim Min-jun"
    )
    confirmed_attendee(open_edition, run_on_commit, email="ana@example.ph", name="Ana Santos")
    by_address = {
        mail.to[0]: mail
        for mail in mailoutbox
        if "확정" in mail.subject or "confirmed" in mail.subject
    }
    korean = by_address["minjun@example.kr"]
    assert korean.subject == f"Kim Min-jun 님, {open_edition.title} 참가가 확정되었습니다"
    assert "포럼 사무국에서 알려 드립니다. 참가가 확정되었습니다." in korean.body
    assert "대기자 명단" not in korean.body
    # The button and the notes stay the shipped ones, in Korean.
    assert "내 등록 정보 확인 및 변경:\nhttp" in korean.body
    # Someone reading English gets the shipped English email.
    assert by_address["ana@example.ph"].subject == (
        f"Your registration is confirmed — {open_edition.title}"
    )


def test_the_edit_is_for_its_edition_only(open_edition, mailoutbox, run_on_commit):
    other = EditionFactory(slug="other-forum", is_current=False)
    MailTemplate.objects.create(
        edition=other, kind="confirmed", language="ko", subject="다른 포럼", body="다른 포럼"
    )
    mailoutbox.clear()
    confirmed_attendee(open_edition, run_on_commit, email="minjun@example.kr", language="ko")
    assert [mail.subject for mail in mailoutbox if "다른" in mail.subject] == []


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("body", "Dear {{ nmae }},", "This email has no placeholder {{ nmae }}. It has:"),
        ("body", "{% if waiting %}unclosed", "Unclosed tag"),
        ("body", '{% include "emails/message.txt" %}', "The tag {% include %} can't be used"),
        ("body", "{% load static %}x", "The tag {% load %} can't be used"),
        ("body", "{% debug %}", "The tag {% debug %} can't be used"),
        ("subject", "{{ name|safe }}", "The filter |safe can't be used in an email"),
        ("subject", "{{ name|nonsense }}", "Invalid filter: 'nonsense'"),
        ("subject", "{{ name", "A {{, {% or {# is not closed"),
        ("subject", "Hello\nthere", "Write this on one line"),
        ("body", "{% if password %}x{% endif %}", "no placeholder {{ password }}"),
        ("body", "{{ name|default:secret }}", "no placeholder {{ secret }}"),
    ],
)
def test_a_wrong_wording_is_a_clear_form_error_and_nothing_is_saved(
    client, organiser, open_edition, field, text, message
):
    response = edit(client, open_edition, **{field: text})
    assert response.status_code == 200
    errors = " ".join(
        str(error)
        for errors in response.context["adminform"].form.errors.values()
        for error in errors
    )
    assert message in errors
    assert MailTemplate.objects.count() == 0


def test_the_allowed_filters_and_conditions_pass(client, organiser, open_edition):
    response = edit(
        client,
        open_edition,
        subject="{{ edition|upper }} — {{ name|default:'참가자' }}",
        body="{% if waiting and not name %}a{% elif days > 3 %}b{% else %}c{% endif %}",
    )
    assert response.status_code == 302


def test_adding_from_the_list_starts_from_the_shipped_korean_wording(
    client, organiser, open_edition
):
    listing = client.get(LIST)
    overview = {row["kind"]: row for row in listing.context["overview"]}
    assert "bulk_message" not in overview and "mail_template_test" not in overview
    add_url = overview["confirmed"]["cells"][1]["url"]
    assert add_url == f"{ADD}?edition={open_edition.pk}&kind=confirmed&language=ko"
    page = client.get(add_url)
    form = page.context["adminform"].form
    assert form.initial["subject"] == "등록이 확정되었습니다 — {{ edition }}"
    assert form.initial["body"].startswith("{{ name }} 님, 안녕하십니까.")
    html = page.content.decode()
    assert (
        "<code>{{ waiting }}</code> — yes when the recipient is on a session&#x27;s waiting list"
        in html
    )

    edit(client, open_edition)
    overview = {row["kind"]: row for row in client.get(LIST).context["overview"]}
    template = MailTemplate.objects.get()
    assert overview["confirmed"]["cells"][1]["url"] == f"{LIST}{template.pk}/change/"


def test_preview_shows_the_sample_attendee_and_saves_nothing(client, organiser, open_edition):
    response = client.post(
        f"{LIST}preview/",
        {
            "edition": open_edition.pk,
            "kind": "confirmed",
            "language": "ko",
            "subject": KOREAN_SUBJECT,
            "body": KOREAN_BODY,
        },
    )
    html = response.content.decode()
    assert f"Kim Min-ji 님, {open_edition.title} 참가가 확정되었습니다" in html
    assert "포럼 사무국에서 알려 드립니다." in html
    assert MailTemplate.objects.count() == 0
    broken = client.post(
        f"{LIST}preview/",
        {
            "edition": open_edition.pk,
            "kind": "confirmed",
            "language": "ko",
            "subject": "{{ nobody }}",
            "body": "x",
        },
    )
    assert broken.status_code == 200
    assert "This email has no placeholder {{ nobody }}" in broken.content.decode()


def test_the_saved_email_is_previewed_on_its_page(client, organiser, open_edition):
    edit(client, open_edition)
    template = MailTemplate.objects.get()
    html = client.get(f"{LIST}{template.pk}/change/").content.decode()
    assert f"Kim Min-ji 님, {open_edition.title} 참가가 확정되었습니다" in html
    assert 'id="mail-template-test"' in html


def test_a_test_goes_to_the_organiser_alone_through_the_outbox(
    client, organiser, open_edition, mailoutbox, run_on_commit
):
    edit(client, open_edition)
    template = MailTemplate.objects.get()
    mailoutbox.clear()
    with run_on_commit():
        response = client.post(f"{LIST}{template.pk}/test/", follow=True)
    assert "A test is on its way to organiser@aseankorea.org" in response.content.decode()
    email = OutgoingEmail.objects.get(kind="mail_template_test")
    assert (email.to_address, email.language, email.status) == (
        "organiser@aseankorea.org",
        "ko",
        "sent",
    )
    [mail] = mailoutbox
    assert mail.to == ["organiser@aseankorea.org"]
    assert mail.subject == f"[테스트] Kim Min-ji 님, {open_edition.title} 참가가 확정되었습니다"
    assert "포럼 사무국에서 알려 드립니다." in mail.body
    assert client.get(f"{LIST}{template.pk}/test/").status_code == 403


def test_a_test_needs_an_address(client, open_edition):
    client.force_login(staff("Organiser"))
    edit(client, open_edition)
    template = MailTemplate.objects.get()
    response = client.post(f"{LIST}{template.pk}/test/", follow=True)
    assert "Your account has no email address" in response.content.decode()
    assert OutgoingEmail.objects.filter(kind="mail_template_test").count() == 0


def test_the_history_is_in_the_audit_trail(client, organiser, open_edition):
    edit(client, open_edition)
    template = MailTemplate.objects.get()
    client.post(
        f"{LIST}{template.pk}/change/",
        {"subject": "새 제목 {{ name }}", "body": KOREAN_BODY, **HISTORY},
    )
    client.post(f"{LIST}{template.pk}/test/")
    entries = AuditLog.objects.filter(object_id=template.pk, action__startswith="mail_template")
    assert [(entry.action, entry.fields) for entry in entries.order_by("pk")] == [
        ("mail_template.created", ["body", "edition", "kind", "language", "subject"]),
        ("mail_template.changed", ["subject"]),
        ("mail_template.tested", []),
    ]
    assert entries.first().details == {"kind": "confirmed", "language": "ko"}
    assert entries.first().actor == organiser
    page = client.get(f"{LIST}{template.pk}/change/").content.decode()
    assert "Edited email changed" in page
    client.post(f"{LIST}{template.pk}/delete/", {"post": "yes"})
    assert MailTemplate.objects.count() == 0
    deleted = AuditLog.objects.get(action="mail_template.deleted")
    assert (deleted.object_id, deleted.details) == (
        open_edition.pk,
        {"kind": "confirmed", "language": "ko"},
    )


def test_one_edit_per_kind_edition_and_language(client, organiser, open_edition):
    edit(client, open_edition)
    response = edit(client, open_edition)
    assert response.status_code == 200
    assert MailTemplate.objects.count() == 1


def test_staff_see_the_edited_emails_and_viewers_do_not(client, open_edition):
    template = MailTemplate.objects.create(
        edition=open_edition, kind="confirmed", language="ko", subject="제목", body="본문"
    )
    client.force_login(staff("Staff"))
    assert client.get(LIST).status_code == 200
    assert client.post(f"{LIST}{template.pk}/test/").status_code == 403
    assert client.post(ADD, {}).status_code == 403
    client.force_login(staff("Viewer"))
    assert client.get(LIST).status_code == 403


def test_a_wording_broken_outside_the_form_falls_back_to_the_shipped_email(
    open_edition, mailoutbox, run_on_commit
):
    MailTemplate.objects.create(
        edition=open_edition, kind="confirmed", language="ko", subject="{% if %}", body="x"
    )
    mailoutbox.clear()
    confirmed_attendee(open_edition, run_on_commit, email="minjun@example.kr", language="ko")
    assert f"등록이 확정되었습니다 — {open_edition.title}" in [mail.subject for mail in mailoutbox]


def test_the_next_edition_starts_with_the_edited_emails(open_edition):
    MailTemplate.objects.create(
        edition=open_edition, kind="confirmed", language="ko", subject="제목", body="본문"
    )
    following = start_next_edition(
        source=open_edition,
        number=open_edition.number + 1,
        slug="next-forum",
        title="The next forum",
        title_ko="다음 포럼",
        start_date=open_edition.start_date + dt.timedelta(days=365),
    )
    copied = MailTemplate.objects.get(edition=following)
    assert (copied.kind, copied.language, copied.subject, copied.body) == (
        "confirmed",
        "ko",
        "제목",
        "본문",
    )
