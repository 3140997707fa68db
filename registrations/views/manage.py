"""The self-service pages an emailed link opens: details, sessions, consents, cancelling, the
calendar file, and asking for the link again."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from common import ratelimit
from common.errors import ForumError
from forum.selectors import current_edition_row
from registrations.forms.manage import (
    CancelForm,
    ConsentChangeForm,
    DetailsForm,
    RemindersForm,
    SendLinkForm,
    SessionsForm,
)
from registrations.ics import registration_calendar
from registrations.selectors.online import joinable_bookings, sessions_to_rate
from registrations.selectors.registrations import (
    current_consent_texts,
)
from registrations.services.bookings import change_sessions
from registrations.services.consents import give_consent, withdraw_consent
from registrations.services.details import update_registration
from registrations.services.registrations import (
    cancel_registration,
    send_manage_link,
)
from registrations.services.reminders import set_reminders
from registrations.tokens import MANAGE, TokenError, join_url, read_token
from registrations.views.support import (
    CANCELLED_SESSION_KEY,
    MANAGE_SESSION_KEY,
    current_edition_or_404,
    invalid_link,
    managed_registration,
    no_referrer,
    rate_limited_message,
    remember_registration,
)


@method_decorator([never_cache, no_referrer], name="dispatch")
class ManageTokenView(View):
    redirect_to = "registrations:manage"

    def get(self, request, token: str):
        try:
            registration = read_token(token, purpose=MANAGE)
        except TokenError as error:
            return invalid_link(request, error)
        remember_registration(request, registration)
        return redirect(self.redirect_to)


class ManageMixin:
    """Pages of the registration held in this browser's session."""

    # POSTs are counted per address and per registration (address scope, person scope).
    rate_limit_scopes = ("manage_ip", "manage_registration")
    # The manage page shows the bookings and consents; other pages set this off.
    registration_details = True

    def dispatch(self, request, *args, **kwargs):
        self.registration = managed_registration(request, with_details=self.registration_details)
        if self.registration is None:
            messages.info(
                request,
                _("Please open the link from your email again, or ask for a new one below."),
            )
            return redirect("registrations:send_link")
        address_scope, person_scope = self.rate_limit_scopes
        if request.method == "POST" and not ratelimit.hit_all(
            [
                (address_scope, ratelimit.client_address(request)),
                (person_scope, str(self.registration.pk)),
            ]
        ):
            response = self.rate_limited()
            response["Retry-After"] = str(ratelimit.retry_after(person_scope))
            return response
        return super().dispatch(request, *args, **kwargs)

    def rate_limited(self):
        """The answer to a POST past the limit (status 429)."""
        messages.error(self.request, rate_limited_message())
        return self.page(status=429)

    def page(self, *, details_form=None, sessions_form=None, cancel_form=None, status=200):
        registration = self.registration
        in_force = {consent.kind: consent for consent in registration.consents.all()}
        consents = [
            {"text": text, "consent": in_force.get(text.kind)}
            for text in current_consent_texts(edition=registration.edition)
        ]
        bookings = list(registration.bookings.all())
        joinable = {booking.pk for booking in joinable_bookings(registration)}
        to_rate = sessions_to_rate(registration) if joinable else set()
        for booking in bookings:
            # A confirmed attendee's booked seat carries the personal join link; after a
            # session they attended, the same link leads to its rating form.
            booking.join_url = (
                join_url(registration, booking.session) if booking.pk in joinable else ""
            )
            booking.to_rate = booking.join_url and booking.session_id in to_rate
        context = {
            "registration": registration,
            "edition": registration.edition,
            "bookings": bookings,
            "details_form": details_form or DetailsForm(registration=registration),
            "sessions_form": sessions_form or SessionsForm(registration=registration),
            "cancel_form": cancel_form or CancelForm(),
            "consents": consents,
        }
        return render(self.request, "registrations/manage.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class ManageView(ManageMixin, View):
    def get(self, request):
        return self.page()

    def post(self, request):
        form = DetailsForm(request.POST, registration=self.registration)
        if not form.is_valid():
            return self.page(details_form=form)
        asked = form.cleaned_data["email"].lower()
        email_changed = asked not in {
            self.registration.email.lower(),
            self.registration.pending_email.lower(),
        }
        # Each change emails the new address: bounded per registration and per new address, so
        # the page can't be used to send mail to strangers.
        if email_changed and not ratelimit.hit_all(
            [
                ("email_change_registration", str(self.registration.pk)),
                ("email_change_inbox", form.cleaned_data["email"]),
            ]
        ):
            form.add_error(None, rate_limited_message())
            return self.page(details_form=form, status=429)
        try:
            registration = update_registration(
                registration=self.registration, data=form.cleaned_data
            )
        except ForumError as error:
            form.add_error(None, error.message)
            return self.page(details_form=form)
        remember_registration(request, registration)
        messages.success(request, _("Your details are saved."))
        if email_changed:
            messages.info(
                request,
                _(
                    "We sent a link to the new address: your registration keeps its current "
                    "address until the link is opened."
                ),
            )
        return redirect("registrations:manage")


@method_decorator(never_cache, name="dispatch")
class ManageSessionsView(ManageMixin, View):
    def post(self, request):
        form = SessionsForm(request.POST, registration=self.registration)
        if not form.is_valid():
            return self.page(sessions_form=form)
        try:
            change_sessions(registration=self.registration, sessions=form.cleaned_data["sessions"])
        except ForumError as error:
            form.add_error(None, error.message)
            return self.page(sessions_form=form)
        messages.success(request, _("Your sessions are saved."))
        return redirect("registrations:manage")


@method_decorator(never_cache, name="dispatch")
class ManageConsentView(ManageMixin, View):
    def post(self, request):
        form = ConsentChangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please try again."))
            return redirect("registrations:manage")
        kind, action = form.cleaned_data["kind"], form.cleaned_data["action"]
        try:
            if action == "give":
                give_consent(registration=self.registration, kind=kind)
                messages.success(request, _("Thank you: your consent is recorded."))
            else:
                withdraw_consent(registration=self.registration, kind=kind)
                messages.success(request, _("Your consent is withdrawn."))
        except ForumError as error:
            messages.error(request, error.message)
        return redirect("registrations:manage")


class ManageRemindersView(ManageMixin, View):
    def post(self, request):
        form = RemindersForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please try again."))
            return redirect("registrations:manage")
        wanted = form.cleaned_data["wants_reminders"]
        set_reminders(registration=self.registration, wanted=wanted)
        messages.success(request, _("Reminders are on.") if wanted else _("Reminders are off."))
        return redirect("registrations:manage")


@method_decorator(never_cache, name="dispatch")
class ManageCancelView(ManageMixin, View):
    """Asks first (what will happen, with a way back), then cancels and says what happened."""

    def get(self, request):
        return render(
            request,
            "registrations/cancel_confirm.html",
            {
                "registration": self.registration,
                "edition": self.registration.edition,
                "bookings": self.registration.bookings.all(),
                "form": CancelForm(),
            },
        )

    def post(self, request):
        registration = self.registration
        try:
            cancel_registration(registration=registration)
        except ForumError as error:
            messages.error(request, error.message)
            return redirect("registrations:manage")
        request.session.pop(MANAGE_SESSION_KEY, None)
        request.session[CANCELLED_SESSION_KEY] = {
            "edition": registration.edition_id,
            "email": registration.email,
        }
        return redirect("registrations:cancelled")


@method_decorator(never_cache, name="dispatch")
class CancelledView(View):
    """What happened, once: the registration is cancelled, the address can register again."""

    def get(self, request):
        held = request.session.pop(CANCELLED_SESSION_KEY, None)
        if not isinstance(held, dict):
            return redirect("registrations:register")
        edition = current_edition_row(request)
        return render(
            request,
            "registrations/cancelled.html",
            {"edition": edition, "email": held.get("email", "")},
        )


@method_decorator(never_cache, name="dispatch")
class ManageCalendarView(ManageMixin, View):
    def get(self, request):
        response = HttpResponse(
            registration_calendar(self.registration), content_type="text/calendar; charset=utf-8"
        )
        filename = f"{self.registration.edition.slug}-sessions.ics"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class SendLinkView(FormView):
    template_name = "registrations/send_link.html"
    form_class = SendLinkForm

    def post(self, request, *args, **kwargs):
        edition = current_edition_or_404(request)
        form = self.get_form()
        if form.is_bot:
            return self.sent()
        client = ratelimit.client_address(request)
        hits = [("send_link_ip", client)]
        valid = form.is_valid()
        if valid:
            hits.append(("send_link_email", f"{form.cleaned_data['email']} {client}"))
        if not ratelimit.hit_all(hits):
            return self.refuse(form)
        if not valid:
            return self.form_invalid(form)
        # An inbox gets a bounded number of links an hour whoever asks; past that the answer is
        # the same and nothing is sent (its owner already has a recent link).
        if ratelimit.hit("send_link_inbox", form.cleaned_data["email"]):
            send_manage_link(edition=edition, email=form.cleaned_data["email"])
        return self.sent()

    def sent(self):
        messages.success(
            self.request,
            _("If this address is registered, we have sent it a link. Please check your inbox."),
        )
        return redirect("registrations:send_link")

    def refuse(self, form):
        form.is_valid()
        form.add_error(None, rate_limited_message())
        return self.render_to_response(self.get_context_data(form=form), status=429)
