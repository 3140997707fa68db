"""The participants' business-meeting area at /meetings/: entering it and its home page.

Entered with the registration's emailed link (kept in the session, as the self-service page
does); every page shows only the participant's own requests and meetings and the listed part
of the directory, and answers 404 for anyone else's."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from forum.selectors import remember_current_edition
from meetings.choices import BookingMode, MeetingStatus
from meetings.models import MeetingSettings
from meetings.selectors import meetings as selectors
from meetings.services.support import has_sharing_consent
from registrations.choices import RegistrationStatus
from registrations.views.manage import ManageMixin, ManageTokenView


class EnterView(ManageTokenView):
    """The emailed self-service link, opening the meetings area instead of the registration."""

    redirect_to = "meetings:home"


def access_problem(registration, *, shares: bool | None = None) -> str:
    """Why this registration can't use the meetings area yet, or "" if it can. `shares`: whether
    it shares its profile, when already read (with the profile); else it is read here."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return "not_confirmed"
    if not registration.wants_meetings:
        return "not_opted_in"
    if not (has_sharing_consent(registration) if shares is None else shares):
        return "consent_required"
    return ""


class ParticipantChecks:
    """Lets in only participants who may use the area, and sends those without a profile to it."""

    needs_profile = True

    def dispatch(self, request, *args, **kwargs):
        self.edition = self.registration.edition
        # The page's footer needs the current edition: usually this one, already read.
        remember_current_edition(request, self.edition)
        problem = access_problem(self.registration, shares=True)  # the consent: below
        if not problem:
            self.profile, settings = selectors.profile_and_settings(self.registration)
            shares = None if self.profile is None else self.profile.shares
            problem = access_problem(self.registration, shares=shares)
        if problem:
            return render(
                request,
                "meetings/not_open.html",
                {"registration": self.registration, "edition": self.edition, "problem": problem},
                status=403,
            )
        if self.needs_profile and self.profile is None:
            messages.info(request, _("Please fill in your business profile first."))
            return redirect("meetings:profile")
        # Read, never created on a page view: an edition without settings shows the defaults.
        self.meeting_settings = settings or MeetingSettings(edition=self.edition)
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class ParticipantView(ManageMixin, ParticipantChecks, View):
    """A page of the participant held in this browser's session (ManageMixin finds them)."""

    section = ""
    rate_limit_scopes = ("meetings_ip", "meetings_participant")

    def rate_limited(self):
        # Its own page, not the view's: the view's page needs objects that aren't loaded yet,
        # and what was typed can't be saved anyway. It renders in the page's language.
        return render(
            self.request,
            "meetings/rate_limited.html",
            {"registration": self.registration, "edition": self.registration.edition},
            status=429,
        )

    registration_details = False  # its bookings and consents are the manage page's

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
        meetings = list(selectors.meeting_lines(registration=self.registration))
        now = timezone.now()
        return self.render(
            "home.html",
            {
                "upcoming": [m for m in meetings if m.is_scheduled and m.slot.ends_at > now],
                "past": [m for m in meetings if m.is_scheduled and m.slot.ends_at <= now],
                "cancelled": [m for m in meetings if m.status == MeetingStatus.CANCELLED],
                "waiting": selectors.waiting_count(registration=self.registration),
                "now": now,
                "feed_url": request.build_absolute_uri(
                    reverse("meetings:feed", args=[self.profile.calendar_secret])
                ),
            },
        )
