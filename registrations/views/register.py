"""Pre-registration: the form, its thank-you page and the email confirmation (double opt-in)."""

from django.contrib import messages
from django.http import HttpResponse
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
from forum.pagecache import CachedPageMixin, recently_read
from forum.selectors import current_edition_row
from registrations.forms.fields import seats_left_placeholder, seats_left_text
from registrations.forms.register import RegistrationForm
from registrations.selectors.registrations import (
    booked_counts_by_id,
)
from registrations.services.registrations import (
    confirm_registration,
    register_attendee,
)
from registrations.tokens import CONFIRM, TokenError, confirms_new_address, read_token
from registrations.views.support import (
    CONFIRM_SESSION_KEY,
    current_edition_or_404,
    form_is_open,
    invalid_link,
    no_referrer,
    rate_limited_message,
    remember_registration,
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
