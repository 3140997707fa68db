"""Programme feeds: iCalendar (whole forum, one session) and the frab schedule that pretalx
publishes (schedule.json and schedule.xml), parsed as the apps that read them would."""

import datetime as dt
import json
import xml.etree.ElementTree as ET
import zoneinfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from forum.models import Session
from tests.factories import EditionFactory, SessionFactory, SessionSpeakerFactory

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def events_of(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_programme_page_links_the_feeds(client, demo_forum):
    page = client.get("/programme/").text
    for href in (
        "/programme/calendar.ics",
        "/programme/schedule.json",
        "/programme/schedule.xml",
    ):
        assert f'href="{href}"' in page
    assert 'href="/programme/opening/calendar.ics"' in client.get("/programme/opening/").text


def test_the_whole_programme_as_icalendar(client, demo_forum):
    response = client.get("/programme/calendar.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response)
    sessions = list(Session.objects.filter(edition=demo_forum).order_by("starts_at", "pk"))
    assert [str(event["SUMMARY"]) for event in events] == [s.title for s in sessions]
    opening = events[0]
    assert opening.decoded("DTSTART") == dt.datetime(2022, 1, 18, 10, 0, tzinfo=SEOUL)
    assert opening.decoded("DTEND") == dt.datetime(2022, 1, 18, 10, 20, tzinfo=SEOUL)
    assert str(opening["URL"]) == "http://localhost:8000/programme/opening/"
    keynotes = events[1]
    assert str(keynotes["DESCRIPTION"]).endswith("Speakers: Lee Seong-ho, Yeap Samnang")
    # Stable identifiers: a second download updates calendars instead of duplicating.
    again = events_of(client.get("/programme/calendar.ics"))
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in events]
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_one_session_as_icalendar(client, demo_forum):
    response = client.get("/programme/keynotes/calendar.ics")
    [event] = events_of(response)
    assert str(event["SUMMARY"]) == "Keynotes: connectivity projects during the pandemic"
    assert event.decoded("DTSTART") == dt.datetime(2022, 1, 18, 10, 20, tzinfo=SEOUL)
    assert client.get("/programme/no-such-session/calendar.ics").status_code == 404


def test_schedule_json_has_the_frab_structure(client, demo_forum):
    response = client.get("/programme/schedule.json")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["$schema"] == "https://c3voc.de/schedule/schema.json"
    schedule = data["schedule"]
    assert set(schedule) >= {"version", "base_url", "conference"}
    conference = schedule["conference"]
    assert (conference["acronym"], conference["start"], conference["end"]) == (
        "9th-acf-2022",
        "2022-01-18",
        "2022-01-19",
    )
    assert (conference["daysCount"], conference["time_zone_name"]) == (2, "Asia/Seoul")
    assert [day["date"] for day in conference["days"]] == ["2022-01-18", "2022-01-19"]
    assert conference["days"][0]["day_start"] == "2022-01-18T00:00:00+09:00"
    events = [
        event
        for day in conference["days"]
        for room_events in day["rooms"].values()
        for event in room_events
    ]
    assert len(events) == Session.objects.filter(edition=demo_forum).count()
    opening = next(event for event in events if event["title"] == "Opening ceremony")
    assert (opening["date"], opening["start"], opening["duration"]) == (
        "2022-01-18T10:00:00+09:00",
        "10:00",
        "00:20",
    )
    required = {"guid", "id", "date", "start", "duration", "room", "slug", "title", "type"}
    assert all(required <= set(event) for event in events)
    keynotes = next(event for event in events if event["title"].startswith("Keynotes"))
    assert [person["name"] for person in keynotes["persons"]] == [
        "Lee Seong-ho",
        "Yeap Samnang",
    ]


def test_schedule_xml_reads_as_giggity_and_eventfahrplan_do(client, demo_forum):
    response = client.get("/programme/schedule.xml")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 — our own feed
    assert root.tag == "schedule"
    assert root.findtext("conference/title") == demo_forum.title
    assert root.findtext("conference/time_zone_name") == "Asia/Seoul"
    days = root.findall("day")
    assert [(day.get("index"), day.get("date")) for day in days] == [
        ("1", "2022-01-18"),
        ("2", "2022-01-19"),
    ]
    events = root.findall("day/room/event")
    assert len(events) == Session.objects.filter(edition=demo_forum).count()
    opening = next(e for e in events if e.findtext("title") == "Opening ceremony")
    assert (opening.findtext("start"), opening.findtext("duration")) == ("10:00", "00:20")
    assert opening.findtext("date") == "2022-01-18T10:00:00+09:00"
    keynotes = next(e for e in events if e.findtext("title").startswith("Keynotes"))
    assert [p.text for p in keynotes.findall("persons/person")] == [
        "Lee Seong-ho",
        "Yeap Samnang",
    ]
    # The same guids as the JSON: apps that switch format keep their favourites.
    guids = {e.get("guid") for e in events}
    data = json.loads(client.get("/programme/schedule.json").content)
    json_guids = {
        event["guid"]
        for day in data["schedule"]["conference"]["days"]
        for room_events in day["rooms"].values()
        for event in room_events
    }
    assert guids == json_guids


def test_unannounced_speakers_are_not_named_and_text_is_escaped(client, db):
    edition = EditionFactory(start_date=dt.date(2027, 3, 2), end_date=dt.date(2027, 3, 2))
    session = SessionFactory(
        edition=edition,
        title='Ports & rail <"smart"> corridors',
        starts_at=dt.datetime(2027, 3, 2, 9, 0, tzinfo=SEOUL),
        ends_at=dt.datetime(2027, 3, 2, 10, 30, tzinfo=SEOUL),
    )
    SessionSpeakerFactory(
        session=session, speaker__name="Hidden Person", speaker__name_announced=False
    )
    SessionSpeakerFactory(session=session, speaker__name="Shown Person")
    root = ET.fromstring(client.get("/programme/schedule.xml").content)  # noqa: S314
    [event] = root.findall("day/room/event")
    assert event.findtext("title") == 'Ports & rail <"smart"> corridors'
    assert event.findtext("duration") == "01:30"
    assert [p.text for p in event.findall("persons/person")] == ["Shown Person"]
    assert "Hidden Person" not in client.get("/programme/calendar.ics").text


def test_feeds_take_the_same_queries_for_one_or_many_sessions(client, db):
    edition = EditionFactory()
    SessionSpeakerFactory(session=SessionFactory(edition=edition))
    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as queries:
            for url in ("/programme/calendar.ics", "/programme/schedule.json"):
                assert client.get(url).status_code == 200
        counts.append(len(queries))
        for _n in range(5):
            SessionSpeakerFactory(session=SessionFactory(edition=edition))
    assert counts[0] == counts[1]


def test_without_a_current_edition_the_feeds_answer_404(client, db):
    for url in ("/programme/calendar.ics", "/programme/schedule.json", "/programme/schedule.xml"):
        assert client.get(url).status_code == 404
