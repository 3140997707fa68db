"""iCalendar for business meetings: invitations and cancellations by email, and the personal feed.

Built with the icalendar library (RFC 5545 escaping, folding and UTC times done for us). Every
version of one meeting's invitation shares its UID; SEQUENCE is the meeting's `sequence`, which
grows with each move and with the cancellation, so calendars replace the event they already have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.models import Meeting
from registrations.models import Registration

if TYPE_CHECKING:
    from icalendar import Calendar, Event, vCalAddress

PRODID = "-//ASEAN Connectivity Forum//Business meetings//EN"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    from icalendar import vCalAddress, vText  # loaded by the first invitation, not at start-up

    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _organiser_email() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in sender else sender


def meeting_summary(meeting: Meeting, viewer: Registration) -> str:
    other = meeting.other(viewer)
    return _("Business meeting with %(name)s, %(organisation)s") % {
        "name": other.name_both,
        "organisation": other.organisation_both,
    }


def meeting_event(meeting: Meeting, viewer: Registration, *, cancelled: bool = False) -> Event:
    """One meeting as the viewer's calendar shows it; call with the viewer's language active."""
    from icalendar import Event

    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.slot.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.slot.ends_at.astimezone(dt.UTC))
    event.add("summary", meeting_summary(meeting, viewer))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event["organizer"] = _address(_organiser_email(), meeting.edition.display_title)
    for person in (meeting.sender, meeting.receiver):
        event.add(
            "attendee",
            _address(
                person.email,
                person.name_both,
                role="REQ-PARTICIPANT",
                partstat="ACCEPTED",
            ),
            encode=0,
        )
    lines = [meeting.edition.display_title]
    if meeting.video_link:
        event.add("location", meeting.video_link)
        event.add("url", meeting.video_link)
        lines.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    if meeting.request_id and meeting.request and meeting.request.project_id:
        lines.append(_("About: %(project)s") % {"project": meeting.request.project.title})
    event.add("description", "\n".join(lines))
    return event


def _calendar(method: str | None, name: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_invitation(meeting: Meeting, viewer: Registration) -> bytes:
    """METHOD:REQUEST for a scheduled meeting, METHOD:CANCEL for a cancelled one."""
    cancelled = not meeting.is_scheduled
    with translation.override(viewer.language):
        calendar = _calendar("CANCEL" if cancelled else "REQUEST", meeting.edition.display_title)
        calendar.add_component(meeting_event(meeting, viewer, cancelled=cancelled))
    return calendar.to_ical()


def meeting_feed(registration: Registration, meetings: Iterable[Meeting]) -> bytes:
    """A subscribable calendar of the registration's meetings (METHOD:PUBLISH).

    Cancelled meetings stay in as STATUS:CANCELLED, so calendars that had them drop them.
    """
    with translation.override(registration.language):
        calendar = _calendar(
            "PUBLISH",
            _("Business meetings — %(edition)s") % {"edition": registration.edition.display_title},
        )
        for meeting in meetings:
            calendar.add_component(
                meeting_event(meeting, registration, cancelled=not meeting.is_scheduled)
            )
    return calendar.to_ical()


def feed_url(profile) -> str:
    """The absolute address of the participant's calendar feed (give it to a calendar app)."""
    path = reverse("meetings:feed", kwargs={"secret": profile.calendar_secret})
    return f"{settings.SITE_URL}{path}"
