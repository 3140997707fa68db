"""Meeting requests: sending, staff review, accepting, declining, withdrawing, suggestions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.db import atomic
from forum.models import Edition
from meetings.choices import (
    OPEN_REQUEST_STATUSES,
    BookingMode,
    MeetingPriority,
    ProfileSide,
    RequestStatus,
)
from meetings.errors import MeetingError
from meetings.models import (
    BusinessProfile,
    MeetingRequest,
    MeetingSlot,
)
from meetings.selectors.meetings import mutual_matches
from meetings.services.booking import _book
from meetings.services.slots import get_meeting_settings
from meetings.services.support import (
    _check_edition_open,
    _check_participant,
    _lock_registrations,
    _locked_request,
    _log,
    _notify,
)
from registrations.choices import RegistrationStatus
from registrations.models import Registration


def _check_request(sender: Registration, receiver: Registration, *, priority: str, project) -> None:
    """What a request needs before anything is locked: two people of one open forum, the
    sender taking part with a profile, the receiver listed."""
    if sender.pk == receiver.pk:
        raise MeetingError(_("You can't request a meeting with yourself."), code="oneself")
    if sender.edition_id != receiver.edition_id:
        raise MeetingError(_("Choose a participant of this forum."), code="wrong_edition")
    if priority not in MeetingPriority.values:
        raise MeetingError(_("Choose a priority."), code="invalid_priority")
    _check_edition_open(sender.edition)
    _check_participant(sender)
    if not BusinessProfile.objects.filter(registration=sender).exists():
        raise MeetingError(
            _("Fill in your business profile before sending requests."), code="no_profile"
        )
    if (
        receiver.status != RegistrationStatus.CONFIRMED
        or not BusinessProfile.objects.filter(registration=receiver, listed=True).exists()
    ):
        raise MeetingError(_("This participant is not taking meeting requests."), code="not_listed")
    if project is not None and project.edition_id != sender.edition_id:
        raise MeetingError(_("Choose a project of this forum."), code="wrong_project")


def _check_sent_limit(sender: Registration, limit: int | None) -> None:
    """The sender's row is locked: their requests (withdrawn ones aside) are counted under it."""
    if limit is None:
        return
    sent = (
        MeetingRequest.objects.filter(edition_id=sender.edition_id, sender=sender)
        .exclude(status=RequestStatus.WITHDRAWN)
        .count()
    )
    if sent >= limit:
        raise MeetingError(
            _("You have sent the %(limit)s requests this forum allows.") % {"limit": limit},
            code="limit_reached",
        )


def request_meeting(
    *,
    sender: Registration,
    receiver: Registration,
    priority: str = MeetingPriority.MUST,
    message: str = "",
    project=None,
) -> MeetingRequest:
    """Sends a meeting request to a listed profile; staff see it first when the edition says so."""
    _check_request(sender, receiver, priority=priority, project=project)
    edition = sender.edition
    meeting_settings = get_meeting_settings(edition=edition)
    with atomic():
        # The sender's row is the lock under which their requests are counted; what is decided
        # on is read again from the locked row.
        sender = _lock_registrations([sender.pk])[sender.pk]
        _check_participant(sender)
        _check_no_open_request(sender, receiver)
        _check_sent_limit(sender, meeting_settings.request_limit)
        status = (
            RequestStatus.PENDING_REVIEW
            if meeting_settings.review_requests
            else RequestStatus.PENDING
        )
        try:
            with atomic():
                request = MeetingRequest.objects.create(
                    edition=edition,
                    sender=sender,
                    receiver=receiver,
                    project=project,
                    priority=priority,
                    message=message.strip(),
                    status=status,
                )
        except IntegrityError as error:
            raise _open_request_error() from error
        _log("requested", request, by=sender, status=status, priority=priority)
        if status == RequestStatus.PENDING:
            _notify("request_received", registration_ids=[receiver.pk], request_id=request.pk)
    return request


def _open_request_error() -> MeetingError:
    return MeetingError(
        _("There is already an open meeting request between you two."), code="already_requested"
    )


def _check_no_open_request(first: Registration, second: Registration) -> None:
    if MeetingRequest.objects.filter(
        Q(sender=first, receiver=second) | Q(sender=second, receiver=first),
        status__in=OPEN_REQUEST_STATUSES,
    ).exists():
        raise _open_request_error()


def review_request(
    *, request: MeetingRequest, approve: bool, user=None, reason: str = ""
) -> MeetingRequest:
    """Staff forward a request to its receiver, or turn it down (the sender is told)."""
    with atomic():
        request = _locked_request(request)
        if request.status != RequestStatus.PENDING_REVIEW:
            raise MeetingError(_("This request is not waiting for review."), code="not_in_review")
        now = timezone.now()
        request.reviewed_at = now
        if approve:
            request.status = RequestStatus.PENDING
            request.save(update_fields=["status", "reviewed_at"])
            _notify(
                "request_received", registration_ids=[request.receiver_id], request_id=request.pk
            )
        else:
            request.status = RequestStatus.REJECTED
            request.answer_reason = reason.strip()
            request.closed_at = now
            request.save(update_fields=["status", "reviewed_at", "answer_reason", "closed_at"])
            _notify("request_rejected", registration_ids=[request.sender_id], request_id=request.pk)
        _log("reviewed", request, user=user, approved=approve, status=request.status)
    return request


def accept_request(
    *, request: MeetingRequest, by: Registration, slot: MeetingSlot | None = None
) -> MeetingRequest:
    """The receiver accepts; with a slot (self-booking) the meeting is booked at once.

    A meeting the organisers suggested needs both sides: the first one's yes is recorded and the
    other is told; the second one's makes it accepted (and booked, with a slot).
    If booking fails (the slot was just taken), nothing changes and the error lists the slots
    still free for both.
    """
    with atomic():
        request = _locked_request(request)
        _check_edition_open(request.edition)
        if request.status == RequestStatus.PROPOSED:
            if not request.answers_to(by):
                raise MeetingError(_("This is not your request."), code="not_yours")
            if not request.needs_answer_from(by):
                raise MeetingError(_("You have already agreed to this meeting."), code="answered")
            now = timezone.now()
            if by.pk == request.sender_id:
                request.sender_agreed_at = now
            else:
                request.answered_at = now
            if request.sender_agreed_at is None or request.answered_at is None:
                request.save(update_fields=["sender_agreed_at", "answered_at"])
                _log("agreed", request, by=by)
                _notify(
                    "meeting_suggestion_agreed",
                    registration_ids=[request.other(by).pk],
                    request_id=request.pk,
                )
                return request
        elif request.receiver_id != by.pk:
            raise MeetingError(_("Only the receiver can answer this request."), code="not_yours")
        elif request.status != RequestStatus.PENDING:
            raise MeetingError(_("This request has already been answered."), code="answered")
        request.status = RequestStatus.ACCEPTED
        request.answered_at = request.answered_at or timezone.now()
        request.save(update_fields=["status", "answered_at", "sender_agreed_at"])
        _log("accepted", request, by=by)
        if slot is not None:
            mode = get_meeting_settings(edition=request.edition).booking_mode
            if mode != BookingMode.SELF_BOOKING:
                raise MeetingError(
                    _("The organisers schedule the meetings of this forum."), code="organiser_mode"
                )
        if slot is None:
            _notify(
                "request_accepted", registration_ids=[request.other(by).pk], request_id=request.pk
            )
            return request
        _book(request, slot, by=by, user=None, video_link="")
    request.refresh_from_db()
    return request


def decline_request(
    *, request: MeetingRequest, by: Registration, reason: str = ""
) -> MeetingRequest:
    with atomic():
        request = _locked_request(request)
        if not request.answers_to(by):
            raise MeetingError(_("Only the receiver can answer this request."), code="not_yours")
        if not request.may_decline(by):
            raise MeetingError(_("This request has already been answered."), code="answered")
        now = timezone.now()
        request.status = RequestStatus.DECLINED
        request.answer_reason = reason.strip()
        request.answered_at = request.answered_at or now
        request.closed_at = now
        request.save(update_fields=["status", "answer_reason", "answered_at", "closed_at"])
        _log("declined", request, by=by, fields=["status", "answer_reason"])
        _notify("request_declined", registration_ids=[request.other(by).pk], request_id=request.pk)
    return request


def suggest_meetings(
    *, edition: Edition, user, among: Iterable[int] | None = None, top_n: int = 5
) -> int:
    """Turns mutual best matches into suggested meetings both sides must agree to.

    For every pair of listed profiles each among the other's `top_n` recommendations (and, with
    `among`, involving one of those profiles) that has no request yet. The company side (or the
    earlier registration) is the sender. Returns how many were suggested.
    """
    suggested = 0
    for first, second in mutual_matches(edition=edition, top_n=top_n, among=among):
        if second.side == ProfileSide.COMPANY and first.side != ProfileSide.COMPANY:
            first, second = second, first
        try:
            with atomic():
                request = MeetingRequest.objects.create(
                    edition=edition,
                    sender=first.registration,
                    receiver=second.registration,
                    priority=MeetingPriority.WOULD_LIKE,
                    status=RequestStatus.PROPOSED,
                    suggested=True,
                    suggested_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except IntegrityError:
            continue  # a request between them was opened at the same moment
        _log("suggested", request, user=user)
        _notify(
            "meeting_suggested",
            registration_ids=[request.sender_id, request.receiver_id],
            request_id=request.pk,
        )
        suggested += 1
    return suggested


def withdraw_request(*, request: MeetingRequest, by: Registration) -> MeetingRequest:
    """The sender takes back a request that has no meeting yet."""
    with atomic():
        request = _locked_request(request)
        if request.sender_id != by.pk:
            raise MeetingError(_("Only the sender can withdraw this request."), code="not_yours")
        if not request.may_withdraw(by):
            raise MeetingError(_("This request can no longer be withdrawn."), code="closed")
        delivered = request.status != RequestStatus.PENDING_REVIEW
        request.status = RequestStatus.WITHDRAWN
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "closed_at"])
        _log("withdrawn", request, by=by)
        if delivered:
            _notify(
                "request_withdrawn", registration_ids=[request.receiver_id], request_id=request.pk
            )
    return request
