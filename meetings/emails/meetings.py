"""The business-meeting emails: the declared kinds (`KINDS`), each a template and its context.

Each context runs when the email leaves, in its recipient's language and with times in their
zone; the words are in `templates/emails/kinds/<kind>.txt`. The booking, move, change,
cancellation and reminder carry the meeting's iCalendar invitation (or cancellation).
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.emails import ACTION_URL, ATTACHMENTS, EmailKind
from common.times import shown_span
from meetings.invitations import meeting_invitation
from meetings.models import Meeting, MeetingRequest, MeetingSlot
from registrations.emails.registrations import absolute_url
from registrations.models import Registration
from registrations.tokens import MANAGE, make_token


class MeetingEmailKind:
    REQUEST_RECEIVED = "request_received"
    MEETING_SUGGESTED = "meeting_suggested"  # the organisers' matchmaking, to both sides
    SUGGESTION_AGREED = "meeting_suggestion_agreed"  # one side said yes; the other is asked
    REQUEST_ACCEPTED = "request_accepted"
    REQUEST_DECLINED = "request_declined"
    REQUEST_REJECTED = "request_rejected"  # staff did not forward it
    REQUEST_WITHDRAWN = "request_withdrawn"
    REQUEST_CLOSED = "request_closed"  # the receiver left the directory before answering
    MEETING_BOOKED = "meeting_booked"
    MEETING_MOVED = "meeting_moved"
    MEETING_UPDATED = "meeting_updated"  # staff changed the video link
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_REMINDER = "meeting_reminder"


def meetings_url(registration: Registration) -> str:
    """The self-service link that opens the participant's meetings area at /meetings/."""
    token = make_token(registration, purpose=MANAGE)
    return absolute_url(reverse("meetings:enter", kwargs={"token": token}))


def local_time(slot: MeetingSlot, time_zone: str) -> str:
    """The slot in the given zone, in the active language: "25 January 2022, 10:00–10:30 (…)"."""
    return f"{shown_span(slot.starts_at, slot.ends_at, zone=time_zone)} ({time_zone})"


def both_times(slot: MeetingSlot, registration: Registration, edition) -> str:
    mine = local_time(slot, registration.time_zone)
    if registration.time_zone == edition.time_zone:
        return mine
    return _("%(local)s; forum time %(forum)s") % {
        "local": mine,
        "forum": local_time(slot, edition.time_zone),
    }


def _who(registration: Registration) -> str:
    """The counterpart as every reader can read them: "김민준 / Kim Min-jun (한빛엔지니어링 /
    Hanbit Engineering)" when the name or organisation is in another script."""
    name = " / ".join(filter(None, (registration.name, registration.name_latin)))
    organisation = " / ".join(
        filter(None, (registration.organisation, registration.organisation_en))
    )
    return f"{registration.labelled(name)} ({registration.labelled(organisation)})"


def _request(params: dict[str, Any]) -> MeetingRequest | None:
    return (
        MeetingRequest.objects.select_related("edition", "sender", "receiver", "project")
        .filter(pk=params.get("request_id"))
        .first()
    )


def _meeting(params: dict[str, Any]) -> Meeting | None:
    return (
        Meeting.objects.select_related("slot", "edition", "sender", "receiver", "request__project")
        .filter(pk=params.get("meeting_id"))
        .first()
    )


def request_context(recipient: Registration, params: dict[str, Any]) -> dict[str, Any] | None:
    request = _request(params)
    if request is None:  # purged before the email left
        return None
    return {
        "name": recipient.name,
        "edition": request.edition.display_title,
        "who": _who(request.other(recipient)),
        "priority": request.get_priority_display().lower(),
        "project": request.project.title if request.project_id else "",
        "message": request.message,
        "reason": request.answer_reason,
        ACTION_URL: meetings_url(recipient),
    }


def _meeting_context(kind: str):
    def context(recipient: Registration, params: dict[str, Any]) -> dict[str, Any] | None:
        meeting = _meeting(params)
        if meeting is None:
            return None
        if kind == MeetingEmailKind.MEETING_REMINDER and not meeting.is_scheduled:
            return None  # cancelled since the reminder was queued
        old_slot_id = params.get("old_slot_id")
        old_slot = MeetingSlot.objects.filter(pk=old_slot_id).first() if old_slot_id else None
        method = "REQUEST" if meeting.is_scheduled else "CANCEL"
        edition = meeting.edition
        return {
            "name": recipient.name,
            "edition": edition.display_title,
            "who": _who(meeting.other(recipient)),
            "when": both_times(meeting.slot, recipient, edition),
            "before": both_times(old_slot, recipient, edition) if old_slot else "",
            "video_link": meeting.video_link,
            "reason": meeting.cancel_reason,
            ACTION_URL: meetings_url(recipient),
            ATTACHMENTS: [
                (
                    "meeting.ics",
                    meeting_invitation(meeting, recipient),
                    f"text/calendar; method={method}; charset=UTF-8",
                )
            ],
        }

    return context


# What each placeholder holds, said to staff who edit an email.
PLACEHOLDERS = {
    "name": gettext_lazy("the recipient's name"),
    "edition": gettext_lazy("the forum's title"),
    "who": gettext_lazy("the other participant: name (organisation)"),
}
ABOUT_REQUEST = {
    "priority": gettext_lazy("the request's priority"),
    "project": gettext_lazy("the project the request is about, if any"),
    "message": gettext_lazy("the sender's message, if any"),
    "reason": gettext_lazy("the reason given, if any"),
}
ABOUT_MEETING = {
    "when": gettext_lazy("the meeting's time in the recipient's zone (and the forum's)"),
    "before": gettext_lazy("the meeting's time before it moved"),
    "video_link": gettext_lazy("the meeting's video link, if any"),
    "reason": gettext_lazy("the reason given, if any"),
}
REQUEST_KINDS = [
    MeetingEmailKind.REQUEST_RECEIVED,
    MeetingEmailKind.MEETING_SUGGESTED,
    MeetingEmailKind.SUGGESTION_AGREED,
    MeetingEmailKind.REQUEST_ACCEPTED,
    MeetingEmailKind.REQUEST_DECLINED,
    MeetingEmailKind.REQUEST_REJECTED,
    MeetingEmailKind.REQUEST_WITHDRAWN,
    MeetingEmailKind.REQUEST_CLOSED,
]
MEETING_KINDS = [
    MeetingEmailKind.MEETING_BOOKED,
    MeetingEmailKind.MEETING_MOVED,
    MeetingEmailKind.MEETING_UPDATED,
    MeetingEmailKind.MEETING_CANCELLED,
    MeetingEmailKind.MEETING_REMINDER,
]
# What each email is, for organisers choosing one to edit.
LABELS = {
    MeetingEmailKind.REQUEST_RECEIVED: gettext_lazy("Meeting request received"),
    MeetingEmailKind.MEETING_SUGGESTED: gettext_lazy("Meeting suggested by the organisers"),
    MeetingEmailKind.SUGGESTION_AGREED: gettext_lazy("Suggested meeting: the other side agreed"),
    MeetingEmailKind.REQUEST_ACCEPTED: gettext_lazy("Meeting request accepted"),
    MeetingEmailKind.REQUEST_DECLINED: gettext_lazy("Meeting request declined"),
    MeetingEmailKind.REQUEST_REJECTED: gettext_lazy("Meeting request not forwarded"),
    MeetingEmailKind.REQUEST_WITHDRAWN: gettext_lazy("Meeting request withdrawn"),
    MeetingEmailKind.REQUEST_CLOSED: gettext_lazy("Meeting request closed"),
    MeetingEmailKind.MEETING_BOOKED: gettext_lazy("Business meeting booked"),
    MeetingEmailKind.MEETING_MOVED: gettext_lazy("Business meeting moved"),
    MeetingEmailKind.MEETING_UPDATED: gettext_lazy("Business meeting's video link changed"),
    MeetingEmailKind.MEETING_CANCELLED: gettext_lazy("Business meeting cancelled"),
    MeetingEmailKind.MEETING_REMINDER: gettext_lazy("Business meeting reminder"),
}
KINDS = [
    *(
        EmailKind(
            name=kind,
            template=f"emails/kinds/{kind}.txt",
            placeholders={**PLACEHOLDERS, **ABOUT_REQUEST},
            context=request_context,
            label=LABELS[kind],
        )
        for kind in REQUEST_KINDS
    ),
    *(
        EmailKind(
            name=kind,
            template=f"emails/kinds/{kind}.txt",
            placeholders={**PLACEHOLDERS, **ABOUT_MEETING},
            context=_meeting_context(kind),
            label=LABELS[kind],
        )
        for kind in MEETING_KINDS
    ),
]
