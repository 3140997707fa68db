"""The business-meeting emails: one builder per kind, registered with the outbox.

Each is built when it leaves, in its recipient's language; the booking, move, change, cancellation
and reminder carry the meeting's iCalendar invitation (or cancellation) for their calendar.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from common.services.outbox import Message, register_builder
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
    MEETING_BOOKED = "meeting_booked"
    MEETING_MOVED = "meeting_moved"
    MEETING_UPDATED = "meeting_updated"  # staff changed the video link
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_REMINDER = "meeting_reminder"


# These carry the meeting's invitation (or its cancellation) for the recipient's calendar.
WITH_INVITATION = {
    MeetingEmailKind.MEETING_BOOKED,
    MeetingEmailKind.MEETING_MOVED,
    MeetingEmailKind.MEETING_UPDATED,
    MeetingEmailKind.MEETING_CANCELLED,
    MeetingEmailKind.MEETING_REMINDER,
}


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
    return f"{registration.name} ({registration.organisation})"


def build_request_message(request: MeetingRequest, recipient: Registration, kind: str) -> Message:
    edition = request.edition.display_title
    greeting = _("Dear %(name)s,") % {"name": recipient.name}
    other = request.other(recipient)
    action_label = _("Open my business meetings")
    if kind == MeetingEmailKind.REQUEST_RECEIVED:
        paragraphs = [
            greeting,
            _("%(who)s would like to meet you at the %(edition)s (%(priority)s).")
            % {
                "who": _who(other),
                "edition": edition,
                "priority": request.get_priority_display().lower(),
            },
        ]
        if request.project_id:
            paragraphs.append(_("About: %(project)s") % {"project": request.project.title})
        if request.message:
            paragraphs.append(_("Their message: %(message)s") % {"message": request.message})
        paragraphs.append(_("Please accept or decline the request."))
        return Message(
            subject=_("Meeting request from %(who)s — %(edition)s")
            % {"who": _who(other), "edition": edition},
            paragraphs=paragraphs,
            action_label=action_label,
            action_url=meetings_url(recipient),
        )
    if kind in (MeetingEmailKind.MEETING_SUGGESTED, MeetingEmailKind.SUGGESTION_AGREED):
        paragraphs = [greeting]
        if kind == MeetingEmailKind.MEETING_SUGGESTED:
            paragraphs.append(
                _(
                    "The organisers of the %(edition)s suggest that you meet %(who)s: your "
                    "profiles match well."
                )
                % {"edition": edition, "who": _who(other)}
            )
        else:
            paragraphs.append(
                _("%(who)s agreed to the meeting the organisers suggested.") % {"who": _who(other)}
            )
        paragraphs.append(
            _("The meeting goes ahead when you both agree. Please accept or decline it.")
        )
        return Message(
            subject=_("Suggested meeting with %(who)s — %(edition)s")
            % {"who": _who(other), "edition": edition},
            paragraphs=paragraphs,
            action_label=action_label,
            action_url=meetings_url(recipient),
        )
    if kind == MeetingEmailKind.REQUEST_ACCEPTED:
        return Message(
            subject=_("%(who)s accepted your meeting request — %(edition)s")
            % {"who": _who(other), "edition": edition},
            paragraphs=[
                greeting,
                _("%(who)s accepted your meeting request.") % {"who": _who(other)},
                _("You will receive an invitation as soon as the meeting has a time."),
            ],
            action_label=action_label,
            action_url=meetings_url(recipient),
        )
    if kind in (MeetingEmailKind.REQUEST_DECLINED, MeetingEmailKind.REQUEST_REJECTED):
        paragraphs = [
            greeting,
            _("%(who)s declined your meeting request.") % {"who": _who(other)}
            if kind == MeetingEmailKind.REQUEST_DECLINED
            else _("The organisers did not forward your meeting request to %(who)s.")
            % {"who": _who(other)},
        ]
        if request.answer_reason:
            paragraphs.append(_("Reason given: %(reason)s") % {"reason": request.answer_reason})
        return Message(
            subject=_("About your meeting request to %(who)s — %(edition)s")
            % {"who": _who(other), "edition": edition},
            paragraphs=paragraphs,
            action_label=action_label,
            action_url=meetings_url(recipient),
        )
    if kind == MeetingEmailKind.REQUEST_WITHDRAWN:
        return Message(
            subject=_("A meeting request was withdrawn — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
                _("%(who)s withdrew their meeting request.") % {"who": _who(other)},
            ],
        )
    raise ValueError(f"Unknown meeting email kind {kind!r}")


def build_meeting_message(
    meeting: Meeting, recipient: Registration, kind: str, *, old_slot: MeetingSlot | None = None
) -> Message:
    edition = meeting.edition
    greeting = _("Dear %(name)s,") % {"name": recipient.name}
    other = meeting.other(recipient)
    when = both_times(meeting.slot, recipient, edition)
    details = [_("When: %(when)s") % {"when": when}]
    if meeting.video_link:
        details.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    calendar_note = _("The attached invitation adds the meeting to your calendar.")
    action = {"action_label": _("Open my business meetings"), "action_url": meetings_url(recipient)}
    if kind == MeetingEmailKind.MEETING_BOOKED:
        return Message(
            subject=_("Meeting with %(who)s booked — %(edition)s")
            % {"who": _who(other), "edition": edition.display_title},
            paragraphs=[
                greeting,
                _("Your business meeting with %(who)s is booked.") % {"who": _who(other)},
                *details,
            ],
            notes=[calendar_note],
            **action,
        )
    if kind == MeetingEmailKind.MEETING_MOVED:
        before = (
            [_("Before: %(when)s") % {"when": both_times(old_slot, recipient, edition)}]
            if old_slot
            else []
        )
        return Message(
            subject=_("Meeting with %(who)s moved — %(edition)s")
            % {"who": _who(other), "edition": edition.display_title},
            paragraphs=[
                greeting,
                _("Your business meeting with %(who)s has a new time.") % {"who": _who(other)},
                *details,
                *before,
            ],
            notes=[_("The attached invitation updates the meeting in your calendar.")],
            **action,
        )
    if kind == MeetingEmailKind.MEETING_UPDATED:
        return Message(
            subject=_("Meeting with %(who)s updated — %(edition)s")
            % {"who": _who(other), "edition": edition.display_title},
            paragraphs=[
                greeting,
                _("The details of your business meeting with %(who)s have changed.")
                % {"who": _who(other)},
                *details,
            ],
            notes=[_("The attached invitation updates the meeting in your calendar.")],
            **action,
        )
    if kind == MeetingEmailKind.MEETING_CANCELLED:
        paragraphs = [
            greeting,
            _("Your business meeting with %(who)s on %(when)s is cancelled.")
            % {"who": _who(other), "when": when},
        ]
        if meeting.cancel_reason:
            paragraphs.append(_("Reason given: %(reason)s") % {"reason": meeting.cancel_reason})
        return Message(
            subject=_("Meeting with %(who)s cancelled — %(edition)s")
            % {"who": _who(other), "edition": edition.display_title},
            paragraphs=paragraphs,
            notes=[_("The attached cancellation removes the meeting from your calendar.")],
            **action,
        )
    if kind == MeetingEmailKind.MEETING_REMINDER:
        return Message(
            subject=_("Reminder: meeting with %(who)s — %(edition)s")
            % {"who": _who(other), "edition": edition.display_title},
            paragraphs=[
                greeting,
                _("A reminder of your business meeting with %(who)s.") % {"who": _who(other)},
                *details,
            ],
            **action,
        )
    raise ValueError(f"Unknown meeting email kind {kind!r}")


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


def _request_builder(kind: str):
    def builder(registration: Registration, params: dict[str, Any]) -> Message | None:
        request = _request(params)
        if request is None:  # purged before the email left
            return None
        return build_request_message(request, registration, kind)

    return builder


def _meeting_builder(kind: str):
    def builder(registration: Registration, params: dict[str, Any]) -> Message | None:
        meeting = _meeting(params)
        if meeting is None:
            return None
        if kind == MeetingEmailKind.MEETING_REMINDER and not meeting.is_scheduled:
            return None  # cancelled since the reminder was queued
        old_slot_id = params.get("old_slot_id")
        old_slot = MeetingSlot.objects.filter(pk=old_slot_id).first() if old_slot_id else None
        message = build_meeting_message(meeting, registration, kind, old_slot=old_slot)
        if kind in WITH_INVITATION:
            method = "REQUEST" if meeting.is_scheduled else "CANCEL"
            message.attachments.append(
                (
                    "meeting.ics",
                    meeting_invitation(meeting, registration),
                    f"text/calendar; method={method}; charset=UTF-8",
                )
            )
        return message

    return builder


for _kind in (
    MeetingEmailKind.REQUEST_RECEIVED,
    MeetingEmailKind.MEETING_SUGGESTED,
    MeetingEmailKind.SUGGESTION_AGREED,
    MeetingEmailKind.REQUEST_ACCEPTED,
    MeetingEmailKind.REQUEST_DECLINED,
    MeetingEmailKind.REQUEST_REJECTED,
    MeetingEmailKind.REQUEST_WITHDRAWN,
):
    register_builder(_kind)(_request_builder(_kind))
for _kind in (
    MeetingEmailKind.MEETING_BOOKED,
    MeetingEmailKind.MEETING_MOVED,
    MeetingEmailKind.MEETING_UPDATED,
    MeetingEmailKind.MEETING_CANCELLED,
    MeetingEmailKind.MEETING_REMINDER,
):
    register_builder(_kind)(_meeting_builder(_kind))
