"""An organiser edits the Korean "registration confirmed" email in Debian's Chromium — starting
from the shipped Korean wording, told clearly about a placeholder that doesn't exist, previewing
it without saving, saving it and sending a test to themselves — and the next Korean attendee who
registers and confirms in the browser gets that email.

The database is read before and after Playwright's event loop runs, never inside it.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import sync_playwright

from backoffice.models import MailTemplate
from common.models import AuditLog
from tests.e2e.test_online_forum import forum  # noqa: F401 — a fixture, below
from tests.e2e.test_registration_journey import emailed_link, launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ORGANISER = ("organiser", "connectivity-2022", "organiser@aseankorea.org")
SUBJECT = "{{ name }} 님, {{ edition }} 참가가 확정되었습니다"
BODY = "{{ name }} 님께,\n\n포럼 사무국입니다. 온라인 포럼에서 뵙겠습니다."


@pytest.fixture
def organiser(transactional_db):
    user = User.objects.create_user(
        ORGANISER[0], email=ORGANISER[2], password=ORGANISER[1], is_staff=True
    )
    user.groups.add(Group.objects.get(name="Organiser"))
    return user


def edit_the_korean_email(browser, base: str) -> dict:
    """Signs in, edits, previews, saves and tests; returns what the pages said."""
    seen = {}
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", ORGANISER[0])
    page.fill("#id_password", ORGANISER[1])
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/backoffice/mailtemplate/")
    page.locator("#mail-kind-confirmed td a").nth(1).click()  # Korean: "Shipped: edit"
    seen["shipped_subject"] = page.input_value("#id_subject")
    seen["placeholders"] = page.locator(".mail-template-placeholders").inner_text()
    # A misspelt placeholder: a clear error, what was typed kept.
    page.fill("#id_subject", SUBJECT)
    page.fill("#id_body", BODY.replace("{{ name }} 님께", "{{ nmae }} 님께"))
    page.locator("input[name=_continue]").click()
    seen["error"] = page.locator(".errorlist").first.inner_text()
    seen["kept"] = page.input_value("#id_subject")
    # Fixed, previewed in a new tab without saving, then saved.
    page.fill("#id_body", BODY)
    with page.expect_popup() as popup:
        page.locator("#mail-template-preview").click()
    preview = popup.value
    preview.wait_for_load_state()
    seen["preview"] = preview.locator("#mail-template-preview-message").inner_text()
    preview.close()
    page.locator("input[name=_continue]").click()
    page.wait_for_url(re.compile(r".*/mailtemplate/\d+/change/(\?.*)?$"))
    seen["saved_preview"] = page.locator(".mail-template-preview").inner_text()
    page.locator("#mail-template-test").click()
    seen["tested"] = page.locator(".messagelist").inner_text()
    return seen


def register_in_korean(browser, base: str, session, mailoutbox) -> None:
    page = browser.new_context(locale="ko-KR").new_page()
    page.goto(f"{base}/ko/register/")
    page.fill("#id_name", "Kim Min-jun")
    page.fill("#id_email", "minjun@example.kr")
    page.fill("#id_organisation", "Hanbit Engineering")
    page.fill("#id_job_title", "Director")
    page.select_option("#id_country", "KR")
    page.select_option("#id_category", "korean_company")
    page.select_option("#id_time_zone", "Asia/Seoul")
    page.check(f"input[name=sessions][value='{session.pk}']")
    page.check("#id_consent_collection")
    page.check("#id_consent_transfer")
    page.locator("#registration-form [type=submit]").click()
    page.wait_for_load_state()
    page.goto(emailed_link(mailoutbox, type("Server", (), {"url": base})))
    page.locator("#confirm-button").click()
    page.wait_for_url(re.compile(r".*/register/manage/$"))


def test_an_organiser_edits_the_korean_email_and_the_next_korean_attendee_gets_it(
    request, organiser, live_server, mailoutbox
):
    edition, session = request.getfixturevalue("forum")
    title = edition.title
    with sync_playwright() as playwright:
        browser = launch(playwright)
        seen = edit_the_korean_email(browser, live_server.url)
        register_in_korean(browser, live_server.url, session, mailoutbox)
        browser.close()

    assert seen["shipped_subject"] == "등록이 확정되었습니다 — {{ edition }}"
    assert (
        "{{ waiting }} — yes when the recipient is on a session's waiting list"
        in (seen["placeholders"])
    )
    assert seen["error"].startswith("This email has no placeholder {{ nmae }}. It has:")
    assert seen["kept"] == SUBJECT
    assert f"Kim Min-ji 님, {title} 참가가 확정되었습니다" in seen["preview"]
    assert "포럼 사무국입니다. 온라인 포럼에서 뵙겠습니다." in seen["saved_preview"]
    assert seen["tested"] == f"A test is on its way to {ORGANISER[2]} (the outbox sends it)."

    template = MailTemplate.objects.get()
    assert (template.kind, template.language, template.body) == ("confirmed", "ko", BODY)
    assert [
        entry.action
        for entry in AuditLog.objects.filter(object_id=template.pk)
        .filter(action__startswith="mail_template")
        .order_by("pk")
    ] == ["mail_template.created", "mail_template.tested"]
    by_address: dict[str, list] = {}
    for mail in mailoutbox:
        by_address.setdefault(mail.to[0], []).append(mail)
    [test] = by_address[ORGANISER[2]]
    assert test.subject == f"[테스트] Kim Min-ji 님, {title} 참가가 확정되었습니다"
    confirmed = by_address["minjun@example.kr"][-1]
    assert confirmed.subject == f"Kim Min-jun 님, {title} 참가가 확정되었습니다"
    assert "포럼 사무국입니다. 온라인 포럼에서 뵙겠습니다." in confirmed.body
