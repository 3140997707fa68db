"""The participants' business-meeting area at /meetings/: profile, availability, directory,
recommendations, requests, meetings and the personal calendar feed.

Entered with the registration's emailed link (kept in the session, as the self-service page
does); every page shows only the participant's own requests and meetings and the listed part
of the directory, and answers 404 for anyone else's.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from common.errors import ForumError
from meetings.choices import (
    MEETING_LANGUAGES,
    OPEN_REQUEST_STATUSES,
    BookingMode,
    MeetingStatus,
    RequestStatus,
)
from meetings.errors import MeetingError
from meetings.forms.meetings import (
    AvailabilityForm,
    BusinessProfileForm,
    CancelMeetingForm,
    DeclineForm,
    DirectoryFilterForm,
    MeetingRequestForm,
    OutcomeForm,
    PickSlotForm,
)
from meetings.invitations import meeting_feed
from meetings.models import MeetingSeat, MeetingSettings, MeetingSlot
from meetings.selectors import meetings as selectors
from meetings.services.meetings import (
    accept_request,
    book_meeting,
    cancel_meeting,
    decline_request,
    has_sharing_consent,
    move_meeting,
    record_outcome,
    request_meeting,
    rotate_calendar_secret,
    save_business_profile,
    set_availability,
    withdraw_request,
)
from registrations.choices import RegistrationStatus
from registrations.views.registrations import ManageMixin, ManageTokenView

DIRECTORY_PAGE_SIZE = 20


class EnterView(ManageTokenView):
    """The emailed self-service link, opening the meetings area instead of the registration."""

    redirect_to = "meetings:home"


def access_problem(registration) -> str:
    """Why this registration can't use the meetings area yet, or "" if it can."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return "not_confirmed"
    if not registration.wants_meetings:
        return "not_opted_in"
    if not has_sharing_consent(registration):
        return "consent_required"
    return ""


class ParticipantChecks:
    """Lets in only participants who may use the area, and sends those without a profile to it."""

    needs_profile = True

    def dispatch(self, request, *args, **kwargs):
        self.edition = self.registration.edition
        problem = access_problem(self.registration)
        if problem:
            return render(
                request,
                "meetings/not_open.html",
                {"registration": self.registration, "edition": self.edition, "problem": problem},
                status=403,
            )
        self.profile = selectors.profile_of(self.registration)
        if self.needs_profile and self.profile is None:
            messages.info(request, _("Please fill in your business profile first."))
            return redirect("meetings:profile")
        # Read, never created on a page view: an edition without settings shows the defaults.
        self.meeting_settings = selectors.meeting_settings(edition=self.edition) or MeetingSettings(
            edition=self.edition
        )
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class ParticipantView(ManageMixin, ParticipantChecks, View):
    """A page of the participant held in this browser's session (ManageMixin finds them)."""

    section = ""

    def render(self, template: str, context: dict | None = None, *, status: int = 200):
        base = {
            "registration": self.registration,
            "edition": self.edition,
            "profile": self.profile,
            "meeting_settings": self.meeting_settings,
            "self_booking": self.meeting_settings.booking_mode == BookingMode.SELF_BOOKING,
            "section": self.section,
        }
        return render(
            self.request,
            f"meetings/{template}",
            {**base, **(context or {})},
            status=status,
        )


class HomeView(ParticipantView):
    section = "home"

    def get(self, request):
        meetings = list(selectors.my_meetings(registration=self.registration))
        now = timezone.now()
        waiting = [
            r
            for r in selectors.received_requests(registration=self.registration)
            if r.status == RequestStatus.PENDING
        ]
        return self.render(
            "home.html",
            {
                "upcoming": [m for m in meetings if m.is_scheduled and m.slot.ends_at > now],
                "past": [m for m in meetings if m.is_scheduled and m.slot.ends_at <= now],
                "cancelled": [m for m in meetings if m.status == MeetingStatus.CANCELLED],
                "waiting": waiting,
                "feed_url": request.build_absolute_uri(
                    reverse("meetings:feed", args=[self.profile.calendar_secret])
                ),
            },
        )


class FeedRenewView(ParticipantView):
    def post(self, request):
        rotate_calendar_secret(registration=self.registration)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("meetings:home")


class ProfileView(ParticipantView):
    needs_profile = False
    section = "profile"

    def form(self, data=None) -> BusinessProfileForm:
        return BusinessProfileForm(data, registration=self.registration, profile=self.profile)

    def get(self, request):
        return self.render("profile.html", {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render("profile.html", {"form": form})
        try:
            save_business_profile(registration=self.registration, data=form.profile_data())
        except ForumError as error:
            form.add_error(None, error.message)
            return self.render("profile.html", {"form": form})
        messages.success(request, _("Your business profile is saved."))
        if self.profile is None:
            return redirect("meetings:availability")
        return redirect("meetings:profile")


class AvailabilityView(ParticipantView):
    section = "availability"

    def form(self, data=None) -> AvailabilityForm:
        # Times already past can't be booked any more: only what is ahead is shown.
        slots = list(
            MeetingSlot.objects.filter(edition=self.edition, starts_at__gt=timezone.now()).order_by(
                "starts_at", "pk"
            )
        )
        busy = set(
            MeetingSeat.objects.filter(
                registration=self.registration, released_at__isnull=True
            ).values_list("slot_id", flat=True)
        )
        return AvailabilityForm(
            data,
            registration=self.registration,
            slots=slots,
            unavailable=selectors.unavailable_slot_ids(registration=self.registration),
            busy=busy,
        )

    def render_form(self, form):
        over = not form.slots and MeetingSlot.objects.filter(edition=self.edition).exists()
        return self.render("availability.html", {"form": form, "over": over})

    def get(self, request):
        return self.render_form(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            set_availability(
                registration=self.registration,
                unavailable_slots=form.unavailable_slots(),
                unavailable_days=form.days_off(),
            )
        except ForumError as error:
            form.add_error(None, error.message)
            return self.render_form(form)
        messages.success(request, _("Your availability is saved."))
        return redirect("meetings:availability")


class DirectoryView(ParticipantView):
    section = "directory"

    def get(self, request):
        form = DirectoryFilterForm(request.GET or None, edition=self.edition)
        profiles = selectors.directory(
            edition=self.edition, viewer=self.registration, **form.filters()
        )
        page = Paginator(profiles, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.render(
            "directory.html",
            {"filter_form": form, "page": page, "query": query.urlencode()},
        )


class CounterpartView(ParticipantView):
    """One listed profile, with the form to ask for a meeting."""

    section = "directory"

    def counterpart(self, pk: int):
        profile = selectors.listed_profile(edition=self.edition, pk=pk, viewer=self.registration)
        if profile is None:
            raise Http404(_("This profile is not in the directory."))
        return profile

    def page(self, counterpart, form, *, status=200):
        other = counterpart.registration
        open_request = (
            (
                selectors.sent_requests(registration=self.registration).filter(receiver=other)
                | selectors.received_requests(registration=self.registration).filter(sender=other)
            )
            .filter(status__in=OPEN_REQUEST_STATUSES)
            .first()
        )
        return self.render(
            "counterpart.html",
            {
                "counterpart": counterpart,
                "form": form,
                "open_request": open_request,
                "language_names": [
                    str(name) for code, name in MEETING_LANGUAGES if code in counterpart.languages
                ],
            },
            status=status,
        )

    def get(self, request, pk: int):
        counterpart = self.counterpart(pk)
        return self.page(counterpart, MeetingRequestForm(edition=self.edition))

    def post(self, request, pk: int):
        counterpart = self.counterpart(pk)
        form = MeetingRequestForm(request.POST, edition=self.edition)
        if not form.is_valid():
            return self.page(counterpart, form)
        try:
            meeting_request = request_meeting(
                sender=self.registration,
                receiver=counterpart.registration,
                priority=form.cleaned_data["priority"],
                message=form.cleaned_data["message"],
                project=form.cleaned_data["project"],
            )
        except ForumError as error:
            form.add_error(None, error.message)
            return self.page(counterpart, form)
        if meeting_request.status == RequestStatus.PENDING_REVIEW:
            messages.success(
                request,
                _("Your request is sent. The organisers review it before it reaches %(name)s.")
                % {"name": counterpart.registration.name},
            )
        else:
            messages.success(
                request,
                _("Your request is sent to %(name)s.") % {"name": counterpart.registration.name},
            )
        return redirect("meetings:request", pk=meeting_request.pk)


class RecommendationsView(ParticipantView):
    section = "recommendations"

    def get(self, request):
        return self.render(
            "recommendations.html",
            {"recommended": selectors.recommendations(registration=self.registration)},
        )


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
            return meeting_request.receiver_id == self.registration.pk
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
        # A meeting the organisers suggested is for both sides to answer.
        received = meeting_request.receiver_id == self.registration.pk or meeting_request.suggested
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
                "can_decline": received
                and status_now
                in (RequestStatus.PROPOSED, RequestStatus.PENDING, RequestStatus.ACCEPTED),
                "can_withdraw": not received
                and status_now
                in (RequestStatus.PENDING_REVIEW, RequestStatus.PENDING, RequestStatus.ACCEPTED),
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
                    lost_race = form.has_error("slot", code="slot_taken")
                    return self.page(
                        meeting_request, slot_form=form, status=409 if lost_race else 200
                    )
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
                % {"name": meeting_request.other(self.registration).name},
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


@method_decorator(never_cache, name="dispatch")
class FeedView(View):
    """The participant's meetings as a calendar feed; the secret in the address is the key."""

    def get(self, request, secret: str):
        profile = selectors.feed_profile(secret=secret)
        if profile is None or not profile.registration.is_active:
            raise Http404
        registration = profile.registration
        body = meeting_feed(registration, selectors.my_meetings(registration=registration))
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")
