"""Pre-registration pages: the form, confirmation, the self-service page and the link form."""

import functools

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from common import ratelimit
from common.errors import ForumError
from common.timezones import offered_time_zones
from forum.models import Edition
from forum.pagecache import CachedPageMixin, current_edition_for_cache, recently_read
from forum.selectors import current_edition_row
from registrations.forms.registrations import (
    CancelForm,
    ConsentChangeForm,
    DetailsForm,
    RegistrationForm,
    SendLinkForm,
    SessionsForm,
    seats_left_placeholder,
    seats_left_text,
)
from registrations.ics import registration_calendar
from registrations.models import Registration
from registrations.selectors.registrations import (
    booked_counts_by_id,
    current_consent_texts,
    current_edition_light,
    missing_consent_texts,
    registration_with_details,
)
from registrations.services.consents import give_consent, withdraw_consent
from registrations.services.registrations import (
    cancel_registration,
    confirm_registration,
    register_attendee,
    send_manage_link,
    update_registration,
)
from registrations.services.seats import change_sessions
from registrations.tokens import CONFIRM, MANAGE, TokenError, confirms_new_address, read_token

MANAGE_SESSION_KEY = "registrations_manage"
CANCELLED_SESSION_KEY = "registrations_cancelled"
CONFIRM_SESSION_KEY = "registrations_confirm"
LINK_PROBLEM_SESSION_KEY = "registrations_link_problem"


def no_referrer(view):
    """Pages whose address holds a token: the browser sends it nowhere as a Referer."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def rate_limited_message() -> str:
    return _(
        "Too many attempts from your connection or for this email. Please try again in an hour."
    )


@functools.lru_cache(maxsize=32)
def _has_its_consent_texts(edition_pk: int, content_changed_at) -> bool:
    # Keyed by the edition's content version: a consent text added, changed or deleted sets it
    # anew (forum/pagecache.py watches them), so a process never answers from older texts.
    edition = Edition.objects.get(pk=edition_pk)
    return not missing_consent_texts(edition=edition)


def form_is_open(edition) -> bool:
    """Within the registration window and with the consent texts the form needs; the texts are
    checked once per edition content version and process, not on every page view."""
    return edition.registration_is_open() and _has_its_consent_texts(
        edition.pk, edition.content_changed_at
    )


def current_edition_or_404(request):
    # A submission reads the edition's own row; a page's check uses the row the page cache reads
    # (partners and contacts are loaded only when a page is rendered, not served from the cache).
    if request.method == "POST":
        edition = current_edition_light()
    else:
        edition = current_edition_for_cache(request)
    if edition is None:
        raise Http404(_("There is no current forum."))
    return edition


def remember_registration(request, registration: Registration) -> None:
    """The link becomes a session: the token leaves the address bar and the history."""
    request.session.cycle_key()
    request.session[MANAGE_SESSION_KEY] = {"id": registration.pk, "key": registration.link_key}


def managed_registration(request) -> Registration | None:
    held = request.session.get(MANAGE_SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("id"), int):
        return None
    registration = registration_with_details(pk=held["id"])
    if registration is None or registration.link_key != held.get("key"):
        return None
    if not registration.is_active:
        return None
    return registration


def invalid_link(request, error: TokenError) -> HttpResponse:
    """Says why a link can't be used, on a page whose address holds no token."""
    request.session[LINK_PROBLEM_SESSION_KEY] = error.reason
    return redirect("registrations:link_problem")


class LinkProblemView(View):
    def get(self, request):
        reason = request.session.get(LINK_PROBLEM_SESSION_KEY, "invalid")
        return render(
            request,
            "registrations/link_invalid.html",
            {"reason": reason, "form": SendLinkForm()},
            status=400,
        )


class RegisterView(CachedPageMixin, FormView):
    template_name = "registrations/register.html"
    form_class = RegistrationForm
    page_cache_name = "register"

    def dispatch(self, request, *args, **kwargs):
        self.edition = current_edition_or_404(request)
        if not form_is_open(self.edition):
            return render(
                request,
                "registrations/closed.html",
                {
                    "edition": self.edition,
                    "not_open_yet": self.edition.registration_is_open(),  # texts missing
                },
                status=200,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        # The browser's zone (timezone.js keeps it in a cookie) when it is one the form offers.
        visitor_tz = str(self.request.visitor_tz or "")
        zone = visitor_tz if visitor_tz in offered_time_zones() else self.edition.time_zone
        return {"time_zone": zone, "language": get_language() or "en"}

    def page_edition(self):
        """The edition a page is rendered with: this request's own row (the one checked in
        `dispatch` may be shared by the page cache between requests)."""
        if self.request.method == "POST":
            return self.edition
        return current_edition_row(self.request)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "edition": self.page_edition(),
            "seat_placeholders": self.rendering_for_cache,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "edition": self.page_edition()}

    def cached_edition(self):
        return self.edition

    def page_to_cache(self, response):
        capacities = response.context_data["form"].fields["sessions"].capacities
        return (response.content.decode(), dict(capacities))

    def fill_in(self, cached) -> str:
        """The cached form with the token and the seats left (one query, or none if this
        process counted them in the last PAGE_CACHE_CHECK_SECONDS)."""
        html, capacities = cached
        html = super().fill_in(html)
        if capacities:
            ids = sorted(capacities)
            booked = recently_read(("seats", *ids), lambda: booked_counts_by_id(ids))
            for session_id, capacity in capacities.items():
                seats = seats_left_text(capacity, booked.get(session_id, 0))
                html = html.replace(seats_left_placeholder(session_id), escape(str(seats)))
        return html

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bot:
            return redirect("registrations:register_done")
        # Every attempt counts against the connection; a valid one against the email typed from
        # that connection too — never against the email alone, or anyone could lock its owner
        # out by posting it five times.
        client = ratelimit.client_address(request)
        hits = [("register_ip", client)]
        valid = form.is_valid()
        if valid:
            hits.append(("register_email", f"{form.cleaned_data['email']} {client}"))
        if not ratelimit.hit_all(hits):
            return self.refuse(form, rate_limited_message(), status=429)
        if not valid:
            return self.form_invalid(form)
        try:
            register_attendee(edition=self.edition, data=form.registration_data())
        except ForumError as error:
            return self.refuse(form, error.message, status=200)
        return redirect("registrations:register_done")

    def refuse(self, form, message, *, status: int) -> HttpResponse:
        form.is_valid()  # bound forms keep what was typed and show the error
        form.add_error(None, message)
        return self.render_to_response(self.get_context_data(form=form), status=status)


class RegisterDoneView(TemplateView):
    template_name = "registrations/register_done.html"


def confirm(request, token: str) -> HttpResponse:
    try:
        registration = read_token(token, purpose=CONFIRM)
    except TokenError as error:
        return invalid_link(request, error)
    try:
        registration = confirm_registration(
            registration=registration, new_email=confirms_new_address(token)
        )
    except ForumError as error:
        messages.error(request, error.message)
        return redirect("registrations:send_link")
    request.session.pop(CONFIRM_SESSION_KEY, None)
    remember_registration(request, registration)
    if registration.status == "awaiting_approval":
        messages.success(
            request,
            _(
                "Thank you: your address is confirmed. The organisers will review your "
                "registration."
            ),
        )
    else:
        messages.success(request, _("Thank you: your registration is confirmed."))
    return redirect("registrations:manage")


@method_decorator([never_cache, no_referrer], name="dispatch")
class ConfirmView(View):
    """The emailed link: its token moves into the session and the browser goes on to a page
    without it, so the page's own requests (static files, the form's POST) carry no token, not
    even as a Referer. Confirming needs a POST: mail scanners open links too. Works once."""

    def get(self, request, token: str):
        try:
            read_token(token, purpose=CONFIRM)
        except TokenError as error:
            return invalid_link(request, error)
        request.session[CONFIRM_SESSION_KEY] = token
        return redirect("registrations:confirm_page")

    def post(self, request, token: str):
        return confirm(request, token)


@method_decorator(never_cache, name="dispatch")
class ConfirmPageView(View):
    """The Confirm button, for the link this browser opened."""

    def get(self, request):
        token = request.session.get(CONFIRM_SESSION_KEY)
        if not isinstance(token, str):
            return invalid_link(request, TokenError("invalid"))
        try:
            registration = read_token(token, purpose=CONFIRM)
        except TokenError as error:
            return invalid_link(request, error)
        new_address = confirms_new_address(token)
        context = {
            "registration": registration,
            "email": registration.pending_email if new_address else registration.email,
        }
        return render(request, "registrations/confirm.html", context)

    def post(self, request):
        token = request.session.get(CONFIRM_SESSION_KEY)
        if not isinstance(token, str):
            return invalid_link(request, TokenError("invalid"))
        return confirm(request, token)


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

    def dispatch(self, request, *args, **kwargs):
        self.registration = managed_registration(request)
        if self.registration is None:
            messages.info(
                request,
                _("Please open the link from your email again, or ask for a new one below."),
            )
            return redirect("registrations:send_link")
        if request.method == "POST" and not ratelimit.hit_all(
            [
                ("manage_ip", ratelimit.client_address(request)),
                ("manage_registration", str(self.registration.pk)),
            ]
        ):
            messages.error(request, rate_limited_message())
            return self.page(status=429)
        return super().dispatch(request, *args, **kwargs)

    def page(self, *, details_form=None, sessions_form=None, cancel_form=None, status=200):
        registration = self.registration
        in_force = {consent.kind: consent for consent in registration.consents.all()}
        consents = [
            {"text": text, "consent": in_force.get(text.kind)}
            for text in current_consent_texts(edition=registration.edition)
        ]
        context = {
            "registration": registration,
            "edition": registration.edition,
            "bookings": registration.bookings.all(),
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
