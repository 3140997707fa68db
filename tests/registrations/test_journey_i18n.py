"""The attendee's journey polished (issue 12): Korean calendar and emails, current waiting-list
places, the error summary, cancelling and registering again, times in the attendee's zone."""

from icalendar import Calendar

from registrations.services.registrations import register_attendee
from registrations.tokens import MANAGE, make_token
from tests.registrations.data import service_data


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
