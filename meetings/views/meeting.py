"""One meeting: its page, moving, cancelling and recording its outcome."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import ForumError
from meetings.choices import (
    BookingMode,
)
from meetings.forms.requests import CancelMeetingForm, OutcomeForm, PickSlotForm
from meetings.models import MeetingSlot
from meetings.selectors import meetings as selectors
from meetings.services.booking import cancel_meeting, move_meeting, record_outcome
from meetings.views.participant import ParticipantView


class MeetingView(ParticipantView):
    section = "home"

    def meeting(self, pk: int):
        found = selectors.meeting_for(registration=self.registration, pk=pk)
        if found is None:
            raise Http404(_("This meeting is not yours."))
        return found

    def move_form(self, meeting, data=None, *, slots=None) -> PickSlotForm:
        other = meeting.other(self.registration)
        if slots is None:
            slots = selectors.free_slots(
                edition=self.edition,
                people=[meeting.sender, meeting.receiver],
                exclude_meeting=meeting,
            )
        # Its own time is no move.
        slots = [slot for slot in slots if slot.pk != meeting.slot_id]
        return PickSlotForm(data, slots=slots, registration=self.registration, other=other)

    def page(self, meeting, *, outcome_form=None, cancel_form=None, move_form=None, status=200):
        started = meeting.slot.starts_at <= timezone.now()
        can_move = (
            meeting.is_scheduled
            and not started
            and self.meeting_settings.booking_mode == BookingMode.SELF_BOOKING
        )
        if outcome_form is None and started:
            outcome_form = OutcomeForm(
                initial={"outcome": meeting.outcome, "note": meeting.outcome_note},
                action=reverse("meetings:outcome", args=[meeting.pk]),
            )
        return self.render(
            "meeting.html",
            {
                "meeting": meeting,
                "other": meeting.other(self.registration),
                "started": started,
                "outcome_form": outcome_form if meeting.is_scheduled and started else None,
                "move_form": (move_form or self.move_form(meeting)) if can_move else None,
                "cancel_form": (
                    cancel_form
                    or CancelMeetingForm(action=reverse("meetings:cancel", args=[meeting.pk]))
                    if meeting.is_scheduled and not started
                    else None
                ),
            },
            status=status,
        )

    def get(self, request, pk: int):
        return self.page(self.meeting(pk))


class OutcomeView(MeetingView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        meeting = self.meeting(pk)
        form = OutcomeForm(request.POST, action=request.path)
        if not form.is_valid():
            return self.page(meeting, outcome_form=form)
        try:
            record_outcome(
                meeting=meeting,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                by=self.registration,
            )
        except ForumError as error:
            form.add_error(None, error.message)
            return self.page(meeting, outcome_form=form)
        messages.success(request, _("Thank you: the outcome is saved."))
        return redirect("meetings:meeting", pk=pk)


class MoveMeetingView(MeetingView):
    """In self-booking mode either side moves the meeting to another time both can make."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        meeting = self.meeting(pk)
        form = self.move_form(meeting, request.POST)
        if not form.is_valid():
            return self.page(meeting, move_form=form)
        try:
            move_meeting(meeting=meeting, slot=form.cleaned_data["slot"], by=self.registration)
        except ForumError as error:
            meeting = self.meeting(pk)
            if error.code in ("slot_taken", "unavailable"):
                remaining = MeetingSlot.objects.filter(
                    pk__in=[slot.pk for slot in error.choices]
                ).order_by("starts_at", "pk")
                form = self.move_form(meeting, request.POST, slots=remaining)
                form.is_valid()
                form.add_error(None, error.message)
                return self.page(meeting, move_form=form, status=409)
            messages.error(request, error.message)
            return redirect("meetings:meeting", pk=pk)
        messages.success(
            request, _("The meeting has a new time. You both get an updated invitation.")
        )
        return redirect("meetings:meeting", pk=pk)


class CancelMeetingView(MeetingView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        meeting = self.meeting(pk)
        form = CancelMeetingForm(request.POST, action=request.path)
        if not form.is_valid():
            return self.page(meeting, cancel_form=form)
        try:
            cancel_meeting(
                meeting=meeting, by=self.registration, reason=form.cleaned_data["reason"]
            )
        except ForumError as error:
            messages.error(request, error.message)
            return redirect("meetings:meeting", pk=pk)
        messages.success(request, _("The meeting is cancelled. The other side is told."))
        return redirect("meetings:home")
