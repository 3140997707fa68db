"""The pages: register, confirm, manage, the link form — what attendees see and what is stored."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from registrations.choices import RegistrationStatus
from registrations.models import Registration, SessionBooking
from registrations.services.registrations import confirm_registration, register_attendee
from registrations.tokens import MANAGE, make_token
from tests.factories import SessionFactory
from tests.registrations.data import form_data, service_data

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"http://localhost:8000(/\S+/)", message.body).group(1)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def without_csrf(response) -> str:
    """The page minus its CSRF token, which differs on every response by design."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_form_shows_each_sessions_seats_left(client, open_edition, small_session, big_session):
    confirm_registration(
        registration=register_attendee(
            edition=open_edition, data=service_data(email="a@example.org", sessions=[small_session])
        )
    )
    unlimited = SessionFactory(edition=open_edition, capacity=None, title="Networking")

    page = text(client.get("/register/"))

    assert "Project presentations — " in page
    assert "full — you join the waiting list" in page
    assert "100 seats left" in page
    assert f"{unlimited.title} — " in page and "no seat limit" in page
    # Consents: separate and unticked.
    assert page.count('name="consent_') == 4
    assert "checked" not in re.findall(r'<input[^>]*name="consent_[^>]*>', page)[0]


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        (dt.timedelta(days=2), None, "Registration opens on"),
        (-dt.timedelta(days=9), -dt.timedelta(days=1), "Registration closed on"),
    ],
)
def test_outside_the_window_the_page_says_closed_and_when(
    client, open_edition, opens, closes, expected
):
    open_edition.registration_opens = timezone.now() + opens
    open_edition.registration_closes = timezone.now() + closes if closes else None
    open_edition.save()

    for response in (client.get("/register/"), client.post("/register/", form_data())):
        page = text(response)
        assert "Registration is closed" in page
        assert expected in page
    assert Registration.objects.count() == 0


def test_new_and_existing_emails_get_exactly_the_same_response(
    client, open_edition, mailoutbox, run_on_commit
):
    with run_on_commit():
        new = client.post("/register/", form_data(), follow=True)
    with run_on_commit():
        again = client.post(
            "/register/",
            form_data(name="Someone else", email="JIWON.park@example.co.kr"),
            follow=True,
        )

    assert new.redirect_chain == again.redirect_chain == [("/register/thanks/", 302)]
    assert new.status_code == again.status_code == 200
    assert without_csrf(new) == without_csrf(again)
    assert Registration.objects.get().name == "Park Ji-won"
    assert [m.subject for m in mailoutbox] == [
        f"Please confirm your email address — {open_edition.title}",
        f"You are already registered — {open_edition.title}",
    ]


def test_an_invalid_form_keeps_what_was_typed(client, open_edition):
    response = client.post("/register/", form_data(email="not-an-email", consent_transfer=""))
    page = text(response)
    assert response.status_code == 200
    assert 'value="Park Ji-won"' in page
    assert "Enter your email address like name@example.com." in page
    assert "Tick this box to let us store your registration on our servers in Korea" in page
    assert Registration.objects.count() == 0


def test_meeting_opt_in_needs_the_sharing_consent(client, open_edition):
    page = text(client.post("/register/", form_data(wants_meetings="on")))
    assert "Tick this box to share your profile with your meeting counterparts" in page
    assert Registration.objects.count() == 0

    client.post("/register/", form_data(wants_meetings="on", consent_sharing="on"))
    assert Registration.objects.get().wants_meetings is True


def test_the_honeypot_looks_like_success_but_stores_and_sends_nothing(
    client, open_edition, mailoutbox, run_on_commit
):
    with run_on_commit():
        response = client.post("/register/", form_data(website="http://spam.example"))
    assert response.headers["Location"] == "/register/thanks/"
    assert Registration.objects.count() == 0
    assert mailoutbox == []


def test_too_many_attempts_from_one_address_are_refused_with_a_clear_message(
    client, open_edition, settings
):
    settings.REGISTRATION_RATE_LIMITS = {"register_ip": (2, 3600)}
    for n in range(2):
        client.post("/register/", form_data(email=f"p{n}@example.org"))
    response = client.post("/register/", form_data(email="third@example.org"))

    assert response.status_code == 429
    page = text(response)
    assert "Too many attempts from your connection or for this email." in page
    assert 'value="third@example.org"' in page
    assert Registration.objects.count() == 2


def test_too_many_attempts_for_one_email_from_one_connection_are_refused(
    client, open_edition, settings
):
    settings.REGISTRATION_RATE_LIMITS = {"register_email": (1, 3600), "register_ip": (9, 3600)}
    client.post("/register/", form_data())
    assert client.post("/register/", form_data()).status_code == 429
    # The same email from another connection is its owner's own try: not refused.
    assert client.post("/register/", form_data(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_the_whole_journey(client, open_edition, small_session, mailoutbox, run_on_commit):
    """Submit, email, confirm, manage, edit, cancel: the person waiting gets the seat."""
    with run_on_commit():
        client.post("/register/", form_data(sessions=[small_session.pk]))
    waiting = register_attendee(
        edition=open_edition, data=service_data(email="next@example.org", sessions=[small_session])
    )
    confirm_link = link_in(mailoutbox[0])

    page = client.get(confirm_link, follow=True)
    assert page.redirect_chain == [("/register/confirm/", 302)]  # the token leaves the address
    assert "Confirm my email address" in text(page)
    assert Registration.objects.get(email="jiwon.park@example.co.kr").status == (
        RegistrationStatus.AWAITING_CONFIRMATION
    )  # opening the link alone confirms nothing (mail scanners open links)

    with run_on_commit():
        response = client.post(confirm_link)
    assert response.headers["Location"] == "/register/manage/"
    assert mailoutbox[-1].subject == f"Your registration is confirmed — {open_edition.title}"

    manage = text(client.get("/register/manage/"))
    assert "Confirmed" in manage
    assert "Project presentations" in manage and "Booked" in manage

    response = client.post(
        "/register/manage/",
        {**form_data(), "job_title": "Managing Director", "phone": "+82 2 1234 5678"},
        follow=True,
    )
    assert "Your details are saved." in text(response)
    registration = Registration.objects.get(email="jiwon.park@example.co.kr")
    assert (registration.job_title, registration.phone) == ("Managing Director", "+82 2 1234 5678")

    asking = text(client.get("/register/manage/cancel/"))
    assert "Cancel my registration?" in asking and "No, keep my registration" in asking
    with run_on_commit():
        response = client.post("/register/manage/cancel/", follow=True)
    assert "Your registration is cancelled" in text(response)
    assert "Your seats were released and go to the next people on the waiting lists." in text(
        response
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert list(
        SessionBooking.objects.filter(session=small_session).values_list(
            "registration", "status", "seat"
        )
    ) == [(waiting.pk, "booked", 1)]
    assert [(m.to, m.subject) for m in mailoutbox[-2:]] == [
        (["next@example.org"], f"A seat became free for you — {open_edition.title}"),
        (["jiwon.park@example.co.kr"], f"Your registration is cancelled — {open_edition.title}"),
    ]
    # The session is over: the page and the old links no longer open the registration.
    assert client.get("/register/manage/").headers["Location"] == "/register/link/"
    assert client.get(confirm_link, follow=True).status_code == 400


def test_a_manage_link_becomes_a_session_and_leaves_the_address_bar(client, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    token = make_token(registration, purpose=MANAGE)

    response = client.get(f"/register/manage/{token}/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/register/manage/"
    assert token not in response.headers["Location"]
    assert "Park Ji-won" in text(client.get("/register/manage/"))


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda token: token[:-3] + "xyz", "The link is not valid."),
        (lambda token: "garbage", "The link is not valid."),
    ],
)
def test_broken_links_are_refused(client, open_edition, mangle, message):
    registration = register_attendee(edition=open_edition, data=service_data())
    response = client.get(
        f"/register/manage/{mangle(make_token(registration, purpose=MANAGE))}/", follow=True
    )
    assert response.redirect_chain == [("/register/link/problem/", 302)]
    assert response.status_code == 400
    assert message in text(response)
    assert client.get("/register/manage/").status_code == 302


def test_a_revoked_link_says_so(client, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    token = make_token(registration, purpose=MANAGE)
    registration.link_key = "rotated"
    registration.save()
    response = client.get(f"/register/manage/{token}/", follow=True)
    assert response.status_code == 400
    assert "the registration was cancelled or its email address changed" in text(response)


def test_changing_the_email_keeps_this_browser_in_and_asks_to_confirm_it(
    client, open_edition, mailoutbox, run_on_commit
):
    registration = register_attendee(edition=open_edition, data=service_data())
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    with run_on_commit():
        response = client.post("/register/manage/", form_data(email="new@example.org"), follow=True)
    page = text(response)
    assert "We sent a link to the new address" in page
    assert "Change to new@example.org asked for" in page
    assert [m.to for m in mailoutbox] == [["jiwon.park@example.co.kr"], ["new@example.org"]]

    # The new inbox's link, opened in another browser, confirms the address and signs in there.
    other = Client()
    with run_on_commit():
        confirmed = other.post(link_in(mailoutbox[-1]), follow=True)
    assert "new@example.org" in text(confirmed)
    assert "asked for" not in text(confirmed)
    assert Registration.objects.get(pk=registration.pk).email == "new@example.org"
    # The first browser's session held the old key: it is signed out.
    assert client.get("/register/manage/").headers["Location"] == "/register/link/"


def manage_page_after_asking_for(client, registration, email) -> str:
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    client.post("/register/manage/", form_data(email=email))
    page = client.get("/register/manage/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_manage_page_looks_the_same_after_asking_for_a_free_or_a_registered_address(
    open_edition,
):
    register_attendee(edition=open_edition, data=service_data(email="taken@example.org"))
    first = register_attendee(edition=open_edition, data=service_data(email="a@example.org"))
    second = register_attendee(edition=open_edition, data=service_data(email="b@example.org"))

    free = manage_page_after_asking_for(Client(), first, "wanted@example.org")
    taken = manage_page_after_asking_for(Client(), second, "taken@example.org")

    # Both pages differ only in the current address and the address asked for.
    normalise = {"a@example.org": "CURRENT", "b@example.org": "CURRENT"}
    free = free.replace("wanted@example.org", "ASKED")
    taken = taken.replace("taken@example.org", "ASKED")
    for address, placeholder in normalise.items():
        free, taken = free.replace(address, placeholder), taken.replace(address, placeholder)
    assert free == taken
    assert "Change to ASKED asked for" in free


def test_the_seats_left_look_the_same_after_registering_a_new_or_a_registered_address(
    client, open_edition, big_session
):
    register_attendee(
        edition=open_edition, data=service_data(email="known@example.org", sessions=[big_session])
    )
    confirm_registration(registration=Registration.objects.get(email="known@example.org"))
    before = without_csrf(client.get("/register/"))

    client.post("/register/", form_data(email="known@example.org", sessions=[big_session.pk]))
    after_registered = without_csrf(client.get("/register/"))
    client.post("/register/", form_data(email="new@example.org", sessions=[big_session.pk]))
    after_new = without_csrf(client.get("/register/"))

    assert "99 seats left" in before
    assert after_new == after_registered == before
    # The new registration holds its seat all the same.
    assert big_session.bookings.count() == 2


def test_sessions_can_be_added_and_dropped(client, open_edition, small_session, big_session):
    registration = register_attendee(
        edition=open_edition, data=service_data(sessions=[small_session])
    )
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")

    response = client.post(
        "/register/manage/sessions/", {"sessions": [big_session.pk]}, follow=True
    )

    assert "Your sessions are saved." in text(response)
    assert list(registration.bookings.values_list("session__title", "status")) == [
        ("Opening", "booked")
    ]


def test_optional_consents_are_withdrawn_and_given_on_the_page(client, open_edition):
    registration = register_attendee(
        edition=open_edition,
        data=service_data(consents=["collection", "transfer", "marketing"]),
    )
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")

    response = client.post(
        "/register/manage/consents/", {"kind": "marketing", "action": "withdraw"}, follow=True
    )
    assert "Your consent is withdrawn." in text(response)
    assert not registration.consents.filter(kind="marketing", withdrawn_at=None).exists()

    response = client.post(
        "/register/manage/consents/", {"kind": "collection", "action": "withdraw"}, follow=True
    )
    assert "cancel the registration instead" in text(response)
    assert registration.consents.filter(kind="collection", withdrawn_at=None).exists()


def test_the_calendar_file_lists_booked_sessions_with_stable_uids(
    client, open_edition, small_session, big_session
):
    register_attendee(
        edition=open_edition, data=service_data(email="first@example.org", sessions=[small_session])
    )
    registration = register_attendee(
        edition=open_edition, data=service_data(sessions=[small_session, big_session])
    )
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")

    first = client.get("/register/manage/calendar.ics")
    second = client.get("/register/manage/calendar.ics")

    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(first.content).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Opening"]  # waiting list: not in it
    assert events[0].decoded("DTSTART") == big_session.starts_at
    uids = [str(e["UID"]) for e in events]
    assert uids == [str(e["UID"]) for e in Calendar.from_ical(second.content).walk("VEVENT")]
    assert uids == [f"registration-{registration.pk}-session-{big_session.pk}@localhost:8000"]


def test_send_my_link_answers_the_same_for_known_and_unknown_addresses(
    client, open_edition, mailoutbox, run_on_commit
):
    registration = register_attendee(edition=open_edition, data=service_data())
    from registrations.services.registrations import confirm_registration

    confirm_registration(registration=registration)
    with run_on_commit():
        known = client.post("/register/link/", {"email": "jiwon.park@example.co.kr"}, follow=True)
    with run_on_commit():
        unknown = client.post("/register/link/", {"email": "nobody@example.org"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [("/register/link/", 302)]
    assert without_csrf(known) == without_csrf(unknown)
    assert "If this address is registered, we have sent it a link." in text(known)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["jiwon.park@example.co.kr"], f"Your registration link — {open_edition.title}")
    ]


def test_the_korean_form_is_in_korean(client, open_edition):
    response = client.get("/ko/register/")
    assert response.status_code == 200
    assert '<html lang="ko">' in text(response)
    assert "<h1>사전 등록</h1>" in text(response)


def test_the_form_needs_the_same_queries_for_one_session_and_for_many(client, open_edition):
    client.get("/register/")  # per-process caches warm, as on a running server
    SessionFactory(edition=open_edition, capacity=10)  # a change: the page is built again
    with CaptureQueriesContext(connection) as one:
        first = client.get("/register/")
    for _ in range(15):
        SessionFactory(edition=open_edition, capacity=10)
    with CaptureQueriesContext(connection) as many:
        second = client.get("/register/")
    # Both pages are the form itself, with 1 and 16 sessions to choose from.
    assert (first.content.decode().count('name="sessions"'), first.status_code) == (1, 200)
    assert (second.content.decode().count('name="sessions"'), second.status_code) == (16, 200)
    assert len(many) == len(one)


def test_the_manage_page_needs_the_same_queries_for_one_session_and_for_many(client, open_edition):
    sessions = [SessionFactory(edition=open_edition, capacity=5) for _ in range(12)]
    one = register_attendee(
        edition=open_edition, data=service_data(email="one@example.org", sessions=sessions[:1])
    )
    many = register_attendee(
        edition=open_edition, data=service_data(email="many@example.org", sessions=sessions)
    )

    def queries_for(registration) -> int:
        client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
        client.get("/register/manage/")  # what a process keeps (the footer) is read once
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/register/manage/")
        assert page.status_code == 200
        return len(queries)

    assert queries_for(many) == queries_for(one)


def test_the_xlsx_admin_download_is_a_workbook(admin_client, open_edition):
    from io import BytesIO

    from openpyxl import load_workbook

    registration = register_attendee(edition=open_edition, data=service_data(name="=1+1"))
    response = admin_client.post(
        "/admin/registrations/registration/",
        {"action": "export_xlsx", "_selected_action": [registration.pk]},
    )
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    # A typed string cell: shown as typed, never run as a formula, no apostrophe needed.
    assert rows[0][:2] == ["Name", "Email"]
    assert rows[1][:2] == ["=1+1", "jiwon.park@example.co.kr"]
    assert workbook.active["A2"].data_type == "s"


def test_the_form_says_when_registration_closes_in_the_forums_time(client, open_edition):
    import datetime as dt_module
    import zoneinfo

    open_edition.registration_closes = dt_module.datetime(
        2099, 12, 31, 18, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Seoul")
    )
    open_edition.save()
    assert "Registration closes on 31 December 2099, 18:00 KST." in text(client.get("/register/"))


def test_korean_attendees_go_through_the_form_in_korean(client, open_edition):
    response = client.post("/ko/register/", form_data(language="ko"), follow=True)
    assert response.redirect_chain == [("/ko/register/thanks/", 302)]
    assert "<h1>받은편지함을 확인해 주십시오</h1>" in text(response)


@pytest.mark.parametrize(
    "path", ["/register/", "/ko/register/", "/register/link/", "/register/thanks/"]
)
def test_the_pages_need_no_inline_script_or_style(client, open_edition, path):
    page = client.get(path).content.decode()
    assert "style=" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []


def test_a_session_number_past_the_databases_range_is_refused_with_a_message(
    client, open_edition, small_session
):
    response = client.post("/register/", form_data(sessions="9223372036854775808"))
    assert response.status_code == 200
    assert "“9223372036854775808” is not a valid value." in text(response)
    assert Registration.objects.count() == 0
