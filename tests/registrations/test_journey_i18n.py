"""The attendee's journey polished (issue 12): Korean calendar and emails, current waiting-list
places, the error summary, cancelling and registering again, times in the attendee's zone."""

import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from forum.middleware import VISITOR_TZ_COOKIE
from registrations.choices import RegistrationStatus
from registrations.models import Registration
from registrations.selectors.registrations import active_registration_with_email
from registrations.services.registrations import (
    cancel_registration,
    confirm_registration,
    register_attendee,
)
from registrations.tokens import MANAGE, make_token
from tests.forum.test_views import text_of
from tests.registrations.data import form_data, service_data


def test_a_korean_registrants_calendar_is_korean(client, open_edition, big_session):
    open_edition.title_ko = "제110회 아세안 연계성 포럼"
    open_edition.save()
    big_session.title_ko = "개회식"
    big_session.save()
    registration = register_attendee(
        edition=open_edition, data=service_data(language="ko", sessions=[big_session])
    )
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    calendar = Calendar.from_ical(client.get("/register/manage/calendar.ics").content)
    assert str(calendar["X-WR-CALNAME"]) == "제110회 아세안 연계성 포럼"
    events = calendar.walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["개회식"]
    assert str(events[0]["URL"]).endswith(f"/ko/programme/{big_session.slug}/")


def test_an_english_registrants_calendar_stays_english(client, open_edition, big_session):
    big_session.title_ko = "개회식"
    big_session.save()
    registration = register_attendee(
        edition=open_edition, data=service_data(language="en", sessions=[big_session])
    )
    client.get(f"/ko/register/manage/{make_token(registration, purpose=MANAGE)}/")
    calendar = Calendar.from_ical(client.get("/ko/register/manage/calendar.ics").content)
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Opening"]


def test_cancelling_asks_first_and_then_says_what_happened(client, open_edition, big_session):
    registration = register_attendee(
        edition=open_edition, data=service_data(sessions=[big_session])
    )
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    manage = client.get("/register/manage/").text
    assert 'href="/register/manage/cancel/" id="cancel-link"' in manage
    asking = text_of(client.get("/register/manage/cancel/"))
    assert "You are about to cancel the registration of jiwon.park@example.co.kr." in asking
    assert "Opening" in asking
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AWAITING_CONFIRMATION  # asking changes nothing

    done = client.post("/register/manage/cancel/", follow=True)
    assert done.redirect_chain == [("/register/cancelled/", 302)]
    page = text_of(done)
    assert "Your registration is cancelled" in page
    assert "We sent a confirmation of the cancellation to jiwon.park@example.co.kr." in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    # Shown once: opening it again goes to the form.
    assert client.get("/register/cancelled/").headers["Location"] == "/register/"


def test_a_cancelled_address_can_register_again_for_the_same_edition(
    client, open_edition, big_session, mailoutbox, run_on_commit
):
    first = register_attendee(edition=open_edition, data=service_data(sessions=[big_session]))
    cancel_registration(registration=first)
    with run_on_commit():
        response = client.post("/register/", form_data(sessions=[big_session.pk]))
    assert response.headers["Location"] == "/register/thanks/"
    assert sorted(
        Registration.objects.filter(email="jiwon.park@example.co.kr").values_list(
            "status", flat=True
        )
    ) == [RegistrationStatus.AWAITING_CONFIRMATION, RegistrationStatus.CANCELLED]
    assert mailoutbox[-1].subject.startswith("Please confirm your email address")


def test_an_active_address_still_cannot_register_twice(open_edition, mailoutbox, run_on_commit):
    register_attendee(edition=open_edition, data=service_data())
    with run_on_commit():
        assert register_attendee(edition=open_edition, data=service_data()) is None
    assert Registration.objects.filter(email="jiwon.park@example.co.kr").count() == 1
    assert mailoutbox[-1].subject.startswith("You are already registered")


def manage_page_of(client, registration) -> str:
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    return text_of(client.get("/register/manage/"))


def test_waiting_list_places_are_current_after_someone_ahead_moves(
    client, open_edition, small_session
):
    first, second, third = (
        register_attendee(
            edition=open_edition,
            data=service_data(email=f"{name}@example.org", sessions=[small_session]),
        )
        for name in ("first", "second", "third")
    )
    assert "waiting list, place 2" in manage_page_of(client, third)
    cancel_registration(registration=first)  # the second person is promoted
    page = manage_page_of(client, third)
    assert "waiting list, place 1" in page and "waiting list, place 2" not in page
    # The session the attendee waits for is not offered as "full — you join the waiting list".
    assert "you are on the waiting list, place 1" in page
    assert "full — you join the waiting list" not in page
    assert "you are booked" in manage_page_of(client, second)


def zone_options(html: str) -> list[str]:
    select = re.search(r'<select name="time_zone".*?</select>', html, flags=re.S).group(0)
    return re.findall(r'<option value="([^"]+)"', select)


def test_the_time_zone_list_puts_asean_and_korea_first_and_offers_canonical_zones_only(
    client, open_edition
):
    zones = zone_options(client.get("/register/").text)
    asean_and_korea = {
        "Asia/Bangkok", "Asia/Brunei", "Asia/Dili", "Asia/Ho_Chi_Minh", "Asia/Jakarta",
        "Asia/Jayapura", "Asia/Kuala_Lumpur", "Asia/Kuching", "Asia/Makassar", "Asia/Manila",
        "Asia/Phnom_Penh", "Asia/Pontianak", "Asia/Seoul", "Asia/Singapore", "Asia/Vientiane",
        "Asia/Yangon",
    }  # fmt: skip
    assert set(zones[: len(asean_and_korea)]) == asean_and_korea
    assert "Europe/Paris" in zones and zones[-1] == "UTC"
    for legacy in ("Factory", "localtime", "posixrules", "US/Eastern", "Asia/Saigon", "GMT"):
        assert legacy not in zones
    korean = client.get("/ko/register/").text
    assert '<option value="Asia/Jakarta">자카르타 — 인도네시아 (Asia/Jakarta)</option>' in korean
    assert '<option value="Asia/Bangkok">방콕 — 태국 (Asia/Bangkok)</option>' in korean
    assert 'data-search-label="시간대 검색"' in korean and 'data-searchable=""' in korean


def test_the_form_defaults_to_the_browsers_zone_and_shows_both_zones(
    client, open_edition, big_session
):
    client.cookies[VISITOR_TZ_COOKIE] = "Asia/Jakarta"
    page = client.get("/register/").text
    assert '<option value="Asia/Jakarta" selected>' in page
    # 09:00 in Seoul is 07:00 in Jakarta.
    starts = big_session.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert f"(Asia/Seoul) · {starts:%a %-d %b, %H:%M} your time (Asia/Jakarta)" in page
    del client.cookies[VISITOR_TZ_COOKIE]
    assert '<option value="Asia/Seoul" selected>' in client.get("/register/").text


def test_a_failed_submit_lists_each_problem_once_at_the_top_linking_to_its_field(
    client, open_edition
):
    html = client.post("/register/", form_data(name="", consent_collection="")).text
    summary = re.search(r'<div id="error-summary".*?</div>', html, flags=re.S).group(0)
    assert 'role="alert" tabindex="-1"' in summary and "data-focus-on-load" in summary
    assert re.findall(r'<a href="(#[^"]+)" class="alert-link">([^<]+)</a>', summary) == [
        ("#id_name", "Enter your full name."),
        ("#id_consent_collection", "Tick this box to let us process your registration."),
    ]
    page = text_of(client.post("/register/", form_data(consent_collection="")))
    assert page.count("Tick this box to let us process your registration.") == 2  # top + field
    assert "This field is required." not in page and "This consent is required." not in page
    assert 'value="jiwon.park@example.co.kr"' in html  # what was typed stays
    assert Registration.objects.count() == 0


def test_the_korean_error_summary_is_korean(client, open_edition):
    page = text_of(client.post("/ko/register/", form_data(name="", language="ko")))
    assert "문제 1건을 바로잡아 주십시오" in page
    assert "성명을 입력해 주십시오." in page


def test_a_waiting_registrant_is_told_plainly_with_times_in_their_zone(
    open_edition, small_session, big_session, mailoutbox, run_on_commit
):
    register_attendee(
        edition=open_edition, data=service_data(email="first@example.org", sessions=[small_session])
    )
    with run_on_commit():
        register_attendee(
            edition=open_edition,
            data=service_data(time_zone="Asia/Jakarta", sessions=[small_session, big_session]),
        )
    body = mailoutbox[-1].body
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    small_at = small_session.starts_at.astimezone(jakarta)
    big_at = big_session.starts_at.astimezone(jakarta)
    assert (
        f"- Project presentations — {small_at:%a %-d %b, %H:%M} (Asia/Jakarta) — "
        "waiting list, place 1" in body
    )
    assert f"- Opening — {big_at:%a %-d %b, %H:%M} (Asia/Jakarta) — Booked" in body
    assert "you are on its waiting list, at the place shown: you have no seat there yet" in body


def test_a_registrant_only_on_waiting_lists_is_not_told_seats_are_held(
    open_edition, small_session, mailoutbox, run_on_commit
):
    register_attendee(
        edition=open_edition, data=service_data(email="first@example.org", sessions=[small_session])
    )
    with run_on_commit():
        register_attendee(edition=open_edition, data=service_data(sessions=[small_session]))
    body = mailoutbox[-1].body
    assert "seats are held" not in body
    assert "waiting list, place 1" in body


def test_the_confirmed_email_attaches_the_calendar_in_the_registrants_language(
    client, open_edition, big_session, mailoutbox, run_on_commit
):
    big_session.title_ko = "개회식"
    big_session.save()
    registration = register_attendee(
        edition=open_edition, data=service_data(language="ko", sessions=[big_session])
    )
    with run_on_commit():
        confirm_registration(registration=registration)
    email = mailoutbox[-1]
    assert email.subject.startswith("등록이 확정되었습니다")
    [(name, content, mimetype)] = email.attachments
    assert (name, mimetype) == (f"{open_edition.slug}-sessions.ics", "text/calendar")
    events = Calendar.from_ical(content).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["개회식"]
    assert "개회식" in email.body and "예약됨" in email.body


def test_the_manage_page_shows_every_time_in_the_attendees_zone_named(
    client, open_edition, big_session
):
    registration = register_attendee(
        edition=open_edition,
        data=service_data(time_zone="Asia/Jakarta", sessions=[big_session]),
    )
    page = manage_page_of(client, registration)
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    starts = big_session.starts_at.astimezone(jakarta)
    assert f"Opening — {starts:%a %-d %b, %H:%M} (Asia/Jakarta)" in page
    consent = registration.consents.get(kind="collection")
    given = consent.given_at.astimezone(jakarta)
    assert f"Given on {given:%-d %B %Y, %H:%M} (Asia/Jakarta), version" in page


def test_opting_back_into_meetings_asks_for_the_sharing_consent_in_the_same_step(
    client, open_edition
):
    registration = register_attendee(edition=open_edition, data=service_data())
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    assert 'name="consent_sharing"' in client.get("/register/manage/").text

    details = {**form_data(), "wants_meetings": "on"}
    refused = client.post("/register/manage/", details)
    assert "Tick this box to share your profile with your meeting counterparts" in text_of(refused)
    assert re.search(r'name="wants_meetings"[^>]*checked', refused.text)  # kept as ticked
    registration.refresh_from_db()
    assert registration.wants_meetings is False

    saved = client.post("/register/manage/", {**details, "consent_sharing": "on"}, follow=True)
    assert "Your details are saved." in text_of(saved)
    registration.refresh_from_db()
    assert registration.wants_meetings is True
    assert registration.consents.filter(kind="sharing", withdrawn_at=None).count() == 1
    assert 'name="consent_sharing"' not in saved.text  # given: not asked again


def test_an_active_address_typed_in_other_capitals_is_already_registered(
    open_edition, mailoutbox, run_on_commit
):
    register_attendee(edition=open_edition, data=service_data())
    with run_on_commit():
        again = register_attendee(
            edition=open_edition, data=service_data(email=" Jiwon.PARK@Example.co.kr ")
        )
    assert again is None
    assert Registration.objects.filter(edition=open_edition).count() == 1
    assert mailoutbox[-1].subject.startswith("You are already registered")
    assert mailoutbox[-1].to == ["jiwon.park@example.co.kr"]


def test_the_already_registered_lookup_is_answered_by_the_one_address_index(open_edition):
    """The lookup compares addresses as the index does, so PostgreSQL can use it rather than
    filter every registration of the edition (`email__iexact` compares UPPER(email))."""
    if connection.vendor != "postgresql":
        pytest.skip("the index is PostgreSQL's plan")
    register_attendee(edition=open_edition, data=service_data())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        with CaptureQueriesContext(connection) as captured:
            found = active_registration_with_email(
                edition=open_edition, email="JIWON.park@example.co.kr"
            )
        cursor.execute("EXPLAIN " + captured[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert found is not None
    assert "registrations_registration_one_active_per_email" in plan, plan
