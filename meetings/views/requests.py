"""Meeting requests: the lists, one request, accepting (picking a time), declining, withdrawing."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from common.errors import ForumError
from meetings.choices import (
    BookingMode,
    RequestStatus,
)
from meetings.errors import MeetingError
from meetings.forms.requests import DeclineForm, PickSlotForm
from meetings.models import MeetingSlot
from meetings.selectors import meetings as selectors
from meetings.services.booking import book_meeting
from meetings.services.requests import (
    accept_request,
    decline_request,
    withdraw_request,
)
from meetings.views.participant import ParticipantView


class RequestListView(ParticipantView):
    section = "requests"

    def get(self, request):
        return self.render(
            "requests.html",
            {
                "received": list(selectors.received_requests(registration=self.registration)),
                "sent": list(selectors.sent_requests(registration=self.registration)),
            },
        )


class RequestView(ParticipantView):
    """One of my requests: answer it, pick a slot, or withdraw it."""

    section = "requests"

    def meeting_request(self, pk: int):
        found = selectors.request_for(registration=self.registration, pk=pk)
        if found is None:
            raise Http404(_("This request is not yours."))
        return found

    def can_pick_slot(self, meeting_request) -> bool:
        if self.meeting_settings.booking_mode != BookingMode.SELF_BOOKING:
            return False
        if meeting_request.status == RequestStatus.PENDING:
            return meeting_request.needs_answer_from(self.registration)
        if meeting_request.status == RequestStatus.PROPOSED:
            # the second side's yes makes the suggested meeting, so it may pick the time
            other = meeting_request.other(self.registration)
            return meeting_request.needs_answer_from(
                self.registration
            ) and not meeting_request.needs_answer_from(other)
        return meeting_request.status == RequestStatus.ACCEPTED

    def slot_form(self, meeting_request, data=None, *, slots=None) -> PickSlotForm:
        other = meeting_request.other(self.registration)
        if slots is None:
            slots = selectors.free_slots(
                edition=self.edition, people=[meeting_request.sender, meeting_request.receiver]
            )
        return PickSlotForm(data, slots=slots, registration=self.registration, other=other)

    def page(self, meeting_request, *, slot_form=None, decline_form=None, status=200):
        received = meeting_request.answers_to(self.registration)
        pick = self.can_pick_slot(meeting_request)
        if pick and slot_form is None:
            slot_form = self.slot_form(meeting_request)
        meetings = getattr(meeting_request, "scheduled_meetings", [])
        status_now = meeting_request.status
        return self.render(
            "request.html",
            {
                "meeting_request": meeting_request,
                "other": meeting_request.other(self.registration),
                "received": received,
                "slot_form": slot_form if pick else None,
                "decline_form": decline_form
                or DeclineForm(
                    action=reverse("meetings:request_decline", args=[meeting_request.pk])
                ),
                "meeting": meetings[0] if meetings else None,
                "can_accept": meeting_request.needs_answer_from(self.registration),
                "can_book": pick and status_now == RequestStatus.ACCEPTED,
                "can_decline": meeting_request.may_decline(self.registration),
                "can_withdraw": meeting_request.may_withdraw(self.registration),
            },
            status=status,
        )

    def get(self, request, pk: int):
        return self.page(self.meeting_request(pk))


class RequestAnswerView(RequestView):
    """Accept (picking a slot in self-booking mode) or book an accepted request."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        meeting_request = self.meeting_request(pk)
        pick = self.can_pick_slot(meeting_request)
        slot = None
        if pick:
            form = self.slot_form(meeting_request, request.POST)
            # Without any slot left for both, accepting leaves the booking to the organisers.
            if form.offered or "slot" in request.POST:
                if not form.is_valid():
                    return self.page(meeting_request, slot_form=form)
                slot = form.cleaned_data["slot"]
        answered = meeting_request
        try:
            if meeting_request.status == RequestStatus.ACCEPTED:
                if slot is None:
                    raise MeetingError(_("Choose a time."), code="no_slot")
                book_meeting(request=meeting_request, slot=slot, by=self.registration)
            else:
                answered = accept_request(request=meeting_request, by=self.registration, slot=slot)
        except ForumError as error:
            return self.refused(meeting_request, error)
        if slot is None and answered.status == RequestStatus.PROPOSED:
            messages.success(
                request,
                _("You agreed. The meeting goes ahead when %(name)s agrees too.")
                % {"name": meeting_request.other(self.registration).name_both},
            )
        elif slot is not None:
            messages.success(request, _("The meeting is booked. You both get an invitation."))
        else:
            messages.success(
                request,
                _("You accepted the request. The organisers will schedule the meeting."),
            )
        return redirect("meetings:request", pk=pk)

    def refused(self, meeting_request, error: MeetingError):
        meeting_request = self.meeting_request(meeting_request.pk)
        if error.code in ("slot_taken", "unavailable") and self.can_pick_slot(meeting_request):
            # A lost race: the remaining choices, with the reason, and nothing else changed.
            remaining = MeetingSlot.objects.filter(
                pk__in=[slot.pk for slot in error.choices]
            ).order_by("starts_at", "pk")
            form = self.slot_form(meeting_request, self.request.POST, slots=remaining)
            form.is_valid()
            form.add_error(None, error.message)
            return self.page(meeting_request, slot_form=form, status=409)
        messages.error(self.request, error.message)
        return redirect("meetings:request", pk=meeting_request.pk)


class RequestDeclineView(RequestView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        meeting_request = self.meeting_request(pk)
        form = DeclineForm(request.POST, action=request.path)
        if not form.is_valid():
            return self.page(meeting_request, decline_form=form)
        try:
            decline_request(
                request=meeting_request, by=self.registration, reason=form.cleaned_data["reason"]
            )
        except ForumError as error:
            messages.error(request, error.message)
            return redirect("meetings:request", pk=pk)
        messages.success(request, _("You declined the request. The sender is told."))
        return redirect("meetings:requests")


class RequestWithdrawView(RequestView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        meeting_request = self.meeting_request(pk)
        try:
            withdraw_request(request=meeting_request, by=self.registration)
        except ForumError as error:
            messages.error(request, error.message)
            return redirect("meetings:request", pk=pk)
        messages.success(request, _("Your request is withdrawn."))
        return redirect("meetings:requests")
