"""What the attendee's pages share: the session keys, link problems, the current edition."""

import functools

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from forum.models import Edition
from forum.pagecache import current_edition_for_cache
from registrations.forms.manage import (
    SendLinkForm,
)
from registrations.models import Registration
from registrations.selectors.registrations import (
    current_edition_light,
    missing_consent_texts,
    registration_with_details,
    registration_with_edition,
)
from registrations.tokens import TokenError

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


def managed_registration(request, *, with_details: bool = True) -> Registration | None:
    """The registration this browser's session holds; with its bookings and consents loaded
    (the manage page shows them), or just with its edition (pages that don't)."""
    held = request.session.get(MANAGE_SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("id"), int):
        return None
    if with_details:
        registration = registration_with_details(pk=held["id"])
    else:
        registration = registration_with_edition(pk=held["id"])
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
