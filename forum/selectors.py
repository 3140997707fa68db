"""Reads of the programme that pages share, with their related rows loaded up front."""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from forum.models import (
    Edition,
    Project,
    Session,
    SessionMaterial,
    SessionRecording,
    SessionSpeaker,
    Speaker,
)


def current_edition_row(request=None) -> Edition | None:
    """The current edition's own row, looked up once per request: all a cached page needs."""
    if request is not None and hasattr(request, "_current_edition"):
        return request._current_edition
    edition = Edition.objects.filter(is_current=True).first()
    if request is not None:
        request._current_edition = edition
    return edition


def remember_current_edition(request, edition: Edition) -> None:
    """Lets the request's pages use `edition`, just read with its row, as the current edition
    when it is that one (one query less for the footer)."""
    if edition.is_current and not hasattr(request, "_current_edition"):
        request._current_edition = edition


# What every page shows of the current edition (focus areas, contacts, partners), kept per
# process under the edition's `content_changed_at`, which any change to them moves on
# (forum/pagecache.py): a page needs the edition's row only.
_kept_related: dict[tuple, dict] = {}


def forget_kept_editions() -> None:
    _kept_related.clear()


def get_current_edition(request=None) -> Edition | None:
    """The edition on the home page with what every page shows of it (partners, contacts)."""
    edition = current_edition_row(request)
    if edition is None:
        return None
    key = (edition.pk, edition.content_changed_at)
    already = getattr(edition, "_prefetched_objects_cache", {})
    kept = _kept_related.get(key)
    if kept is not None:
        edition._prefetched_objects_cache = {**kept, **already}
        return edition
    before = set(already)
    # prefetch_related_objects skips what is already loaded.
    prefetch_related_objects([edition], "focus_areas", "contacts", "partners__organisation")
    if len(_kept_related) > 8:
        _kept_related.clear()
    _kept_related[key] = {
        name: rows for name, rows in edition._prefetched_objects_cache.items() if name not in before
    }
    return edition


def past_editions(now=None) -> list[Edition]:
    """Editions that took place (their last forum or meeting day is over), newest first."""
    return [
        edition
        for edition in Edition.objects.filter(is_current=False).order_by("-start_date")
        if edition.has_ended(now)
    ]


def _appearances() -> Prefetch:
    return Prefetch(
        "appearances",
        queryset=SessionSpeaker.objects.select_related("speaker__organisation").order_by(
            "order", "pk"
        ),
    )


def programme_sessions(*, edition: Edition, kind: str = "", sector: str = "") -> QuerySet[Session]:
    sessions = (
        Session.objects.filter(edition=edition)
        .select_related("edition")
        .prefetch_related("sectors", _appearances())
        .order_by("starts_at", "pk")
    )
    if kind:
        sessions = sessions.filter(kind=kind)
    if sector:
        sessions = sessions.filter(sectors__slug=sector).distinct()
    return sessions


def session_detail(*, edition: Edition) -> QuerySet[Session]:
    return (
        Session.objects.filter(edition=edition)
        .select_related("edition")
        .prefetch_related(
            "sectors",
            "strategic_areas",
            _appearances(),
            Prefetch("projects", queryset=Project.objects.select_related("sector")),
            Prefetch(
                "materials",
                queryset=SessionMaterial.objects.public().select_related("presentation__speaker"),
            ),
            Prefetch("recordings", queryset=SessionRecording.objects.public()),
        )
    )


def edition_speakers(*, edition: Edition) -> QuerySet[Speaker]:
    return (
        Speaker.objects.filter(appearances__session__edition=edition)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "appearances",
                queryset=SessionSpeaker.objects.filter(session__edition=edition)
                .select_related("session__edition")
                .order_by("session__starts_at"),
            )
        )
        .distinct()
        .order_by("name")
    )


def edition_projects(*, edition: Edition, country: str = "", sector: str = "") -> QuerySet[Project]:
    projects = (
        Project.objects.filter(edition=edition)
        .select_related("sector", "session__edition")
        .order_by("country", "title")
    )
    if country:
        projects = projects.filter(country=country)
    if sector:
        projects = projects.filter(sector__slug=sector)
    return projects
