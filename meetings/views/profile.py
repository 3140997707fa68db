"""The participant's own business profile, availability and personal calendar feed."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from common.errors import ForumError
from meetings.forms.profile import AvailabilityForm, BusinessProfileForm
from meetings.invitations import meeting_feed
from meetings.models import MeetingSeat, MeetingSlot
from meetings.selectors import meetings as selectors
from meetings.services.profiles import rotate_calendar_secret, save_business_profile
from meetings.services.slots import set_availability
from meetings.views.participant import ParticipantView


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
