"""The programme for the tools attendees already use: iCalendar, and the frab schedule that
pretalx publishes (schedule.json and schedule.xml), which conference apps such as Giggity and
EventFahrplan read.

The frab format: https://c3voc.de/wiki/schedule (JSON schema https://c3voc.de/schedule/schema.json).
Times are in the edition's own zone, named in the file; identifiers are stable across downloads,
so apps and calendars update sessions in place.
"""

import datetime as dt
import json
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum.models import Edition, Session

GENERATOR = "connectivity-forum"
SCHEMA = "https://c3voc.de/schedule/schema.json"


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "forum"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{_host()}"


def session_guid(session: Session) -> str:
    """A UUID derived from the site and the session: the same in every download."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/sessions/{session.pk}"))


def _room_guid(edition: Edition, room: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/{edition.slug}/rooms/{room}"))


def _speakers(session: Session) -> list:
    """Speakers announced by name, in stage order (needs the appearances prefetched)."""
    return [
        appearance.speaker
        for appearance in session.appearances.all()
        if appearance.speaker.name_announced
    ]


def _room(session: Session) -> str:
    return session.room or session.edition.venue or _("Main room")


def _url(session: Session) -> str:
    return f"{settings.SITE_URL}{session.get_absolute_url()}"


def programme_calendar(edition: Edition, sessions) -> bytes:
    """The sessions as an iCalendar file (the whole programme, or one session)."""
    from icalendar import Calendar, Event  # loaded by the first download, not at start-up

    calendar = Calendar()
    calendar.add("prodid", "-//ASEAN Connectivity Forum//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", edition.title)
    calendar.add("x-wr-timezone", edition.time_zone)
    now = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", now)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", session.title)
        event.add("location", _room(session))
        event.add("url", _url(session))
        parts = [session.description] if session.description else []
        speakers = ", ".join(speaker.name for speaker in _speakers(session))
        if speakers:
            parts.append(_("Speakers: %(names)s") % {"names": speakers})
        if parts:
            event.add("description", "\n\n".join(parts))
        event.add("categories", [session.get_kind_display()])
        calendar.add_component(event)
    return calendar.to_ical()


def _version(changed_at: dt.datetime) -> str:
    return changed_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")  # machine format: a stamp


def _hhmm(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _event(session: Session, tz) -> dict:
    starts = timezone.localtime(session.starts_at, tz)
    return {
        "guid": session_guid(session),
        "id": session.pk,
        "date": starts.isoformat(),
        "start": starts.strftime("%H:%M"),  # machine format: the schedule format's field
        "duration": _hhmm(session.ends_at - session.starts_at),
        "room": _room(session),
        "slug": f"{session.edition.slug}-{session.pk}-{session.slug}",
        "url": _url(session),
        "title": session.title,
        "subtitle": "",
        "track": session.get_kind_display(),
        "type": session.get_kind_display(),
        "language": get_language() or "en",
        "abstract": "",
        "description": session.description,
        "recording_license": "",
        "do_not_record": False,
        "persons": [
            {"id": speaker.pk, "name": speaker.name, "public_name": speaker.name}
            for speaker in _speakers(session)
        ],
        "links": [],
        "attachments": [],
    }


def frab_schedule(edition: Edition, sessions) -> dict:
    """The programme in the frab / pretalx schedule.json shape."""
    tz = edition.tzinfo
    sessions = list(sessions)
    by_day: dict[dt.date, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for session in sessions:
        by_day[timezone.localtime(session.starts_at, tz).date()][_room(session)].append(session)
    dates = [
        edition.start_date + dt.timedelta(days=n)
        for n in range((edition.end_date - edition.start_date).days + 1)
    ]
    dates = sorted(set(dates) | set(by_day))
    rooms = sorted({_room(session) for session in sessions})
    days = []
    for index, date in enumerate(dates, start=1):
        day_start = dt.datetime.combine(date, dt.time(0, 0), tz)
        days.append(
            {
                "index": index,
                "date": date.isoformat(),
                "day_start": day_start.isoformat(),
                "day_end": (day_start + dt.timedelta(days=1, seconds=-1)).isoformat(),
                "rooms": {
                    room: [_event(session, tz) for session in by_day[date][room]]
                    for room in sorted(by_day[date])
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "generator": {"name": GENERATOR, "version": "1"},
        "schedule": {
            "version": _version(edition.content_changed_at),
            "base_url": f"{settings.SITE_URL}/",
            "conference": {
                "acronym": edition.slug,
                "title": edition.title,
                "start": edition.start_date.isoformat(),
                "end": edition.end_date.isoformat(),
                "daysCount": len(dates),
                "timeslot_duration": "00:05",
                "time_zone_name": edition.time_zone,
                "url": f"{settings.SITE_URL}/programme/",
                "rooms": [{"name": room, "guid": _room_guid(edition, room)} for room in rooms],
                "days": days,
            },
        },
    }


def frab_json(edition: Edition, sessions) -> str:
    return json.dumps(frab_schedule(edition, sessions), ensure_ascii=False, indent=2)


def _text(parent: ET.Element, tag: str, value) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = "" if value is None else str(value)
    return element


def frab_xml(edition: Edition, sessions) -> bytes:
    """The same programme as frab's schedule.xml (what Giggity and EventFahrplan parse)."""
    schedule = frab_schedule(edition, sessions)["schedule"]
    conference = schedule["conference"]
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=GENERATOR, version="1")
    _text(root, "version", schedule["version"])
    conf = ET.SubElement(root, "conference")
    for tag in ("acronym", "title", "start", "end"):
        _text(conf, tag, conference[tag])
    _text(conf, "days", conference["daysCount"])
    _text(conf, "timeslot_duration", conference["timeslot_duration"])
    _text(conf, "base_url", schedule["base_url"])
    _text(conf, "time_zone_name", conference["time_zone_name"])
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = ET.SubElement(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for room, events in day["rooms"].items():
            room_element = ET.SubElement(day_element, "room", name=room, guid=guids[room])
            for event in events:
                element = ET.SubElement(
                    room_element, "event", guid=event["guid"], id=str(event["id"])
                )
                for tag in ("date", "start", "duration", "room", "slug", "url"):
                    _text(element, tag, event[tag])
                recording = ET.SubElement(element, "recording")
                _text(recording, "license", "")
                _text(recording, "optout", "false")
                for tag in ("title", "subtitle", "track", "type", "language", "abstract"):
                    _text(element, tag, event[tag])
                _text(element, "description", event["description"])
                persons = ET.SubElement(element, "persons")
                for person in event["persons"]:
                    _text(persons, "person", person["name"]).set("id", str(person["id"]))
                ET.SubElement(element, "links")
                ET.SubElement(element, "attachments")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
