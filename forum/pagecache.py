"""Public pages served from a per-process cache of their HTML when nothing on them is personal.

When an announcement goes out, thousands of first-time visitors open the same few pages. Their
HTML is kept per edition content, language, visitor time zone and address; what differs between
two visitors is filled in per request: the CSRF token (and, on the registration form, the seats
left, counted live). A page is served from the cache only to a visitor with no session and no
pending message, so staff, attendees managing their registration and anyone with a notice to
read always get a page built for them.

Every process keeps its own copy (no shared cache is needed): the key holds the edition's
`content_changed_at`, read with the edition row the page needs anyway, and any change to the
programme (edition, sessions, speakers, projects, partners, sectors, consent texts) sets it anew
for every edition, so the next request in every process builds the page again.
"""

import copy
import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from forum.selectors import current_edition_row

CACHE = "pages"
# Rendered into the cached HTML in place of the per-request token; never a real token (those
# are 64 letters and digits), never text a page shows.
CSRF_PLACEHOLDER = "csrf-token-filled-in-per-request"


NEVER = float("-inf")
# (edition row, when it was read): the current edition as last read by this process. Replaced
# as a whole, so threads read a consistent pair without a lock.
_checked: tuple = (None, NEVER)
# What cached pages fill in that is read from the database (seats left), by key: (value, when).
_recent: dict = {}


def forget_recent_reads() -> None:
    """This process reads the current edition and the seat counts afresh on the next view."""
    global _checked
    _checked = (None, NEVER)
    _recent.clear()


def mark_content_changed(**_signal_kwargs) -> None:
    """Every edition's cached pages are stale: programme content changed."""
    apps.get_model("forum", "Edition").objects.update(content_changed_at=timezone.now())
    forget_recent_reads()


def current_edition_for_cache(request):
    """The current edition row whose `content_changed_at` keys the cached pages.

    Read at most once every PAGE_CACHE_CHECK_SECONDS per process thread (0: every request),
    so under a rush most page views need no query at all; a change made in another process
    shows after at most that many seconds, one made in this process at once. The row read
    here is only for the key and for checks (never rendered: a page built after a miss reads
    its own), so requests can share it.
    """
    global _checked
    ttl = settings.PAGE_CACHE_CHECK_SECONDS
    now = time.monotonic()
    edition, checked_at = _checked
    if ttl and now - checked_at < ttl:
        return edition
    edition = current_edition_row(request)
    if ttl:
        _checked = (copy.copy(edition), now)
    return edition


def watch_for_content_changes(models: Iterable[type]) -> None:
    """Pages are rebuilt after any save or delete of these models or of their many-to-many
    links, however it is made (admin, inline, action, command, shell).

    Signals rather than calls in each service: a missed call would serve stale pages silently,
    and Django's own caches of database content (the sites framework's) are cleared the same way.
    """
    for model in models:
        uid = f"forum.pagecache.{model._meta.label}"
        post_save.connect(mark_content_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(mark_content_changed, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                mark_content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}.{field.name}",
            )


def recently_read(key, read: Callable[[], Any]) -> Any:
    """`read()`, or its value from at most PAGE_CACHE_CHECK_SECONDS ago in this process.

    For what a cached page shows that changes with every booking (the seats left): during a
    rush each process counts once every few seconds instead of once per page view. What a page
    shows is then at most that old; what a booking gets is decided under the session's lock.
    """
    ttl = settings.PAGE_CACHE_CHECK_SECONDS
    if not ttl:
        return read()
    now = time.monotonic()
    value, read_at = _recent.get(key, (None, NEVER))
    if now - read_at >= ttl:
        value = read()
        if len(_recent) > 100:  # keys are few (one per edition's set of limited sessions)
            _recent.clear()
        _recent[key] = (value, now)
    return value


def may_use_cache(request) -> bool:
    """Only a GET from a visitor with nothing personal to show: no session, no pending message."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def page_key(request, *, name: str, edition) -> str:
    visitor_tz = getattr(request, "visitor_tz", None)
    parts = [
        name,
        str(edition.pk),
        edition.content_changed_at.isoformat(),
        # What the page offers changes with the clock: pre-registration, then "it took place".
        f"open={edition.registration_is_open()} ended={edition.has_ended()}",
        get_language() or "",
        visitor_tz.key if visitor_tz else "",
        request.get_full_path(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


class CachedPageMixin:
    """For a view whose GET page is the same for every visitor without a session.

    The view names its page (`page_cache_name`) and finds its edition row (`cached_edition`);
    `fill_in` adds what differs per request to the cached HTML. A page is cached only when it
    was rendered with status 200.
    """

    page_cache_name: str
    rendering_for_cache = False

    def cached_edition(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        edition = self.cached_edition()
        if edition is None or not may_use_cache(request):
            return super().get(request, *args, **kwargs)
        key = page_key(request, name=self.page_cache_name, edition=edition)
        cache = caches[CACHE]
        cached = cache.get(key)
        if cached is not None:
            return HttpResponse(self.fill_in(cached))
        self.rendering_for_cache = True
        response = super().get(request, *args, **kwargs)
        if response.status_code != 200 or not hasattr(response, "render"):
            return response
        response.render()
        cached = self.page_to_cache(response)
        cache.set(key, cached)
        response.content = self.fill_in(cached)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.rendering_for_cache:
            context["csrf_token"] = CSRF_PLACEHOLDER
        return context

    def page_to_cache(self, response):
        """What the cache keeps of the rendered response: its HTML, and what `fill_in` needs."""
        return response.content.decode()

    def fill_in(self, cached) -> str:
        return cached.replace(CSRF_PLACEHOLDER, get_token(self.request))
