"""Public pages of the programme: home, programme, session, speakers, projects, health check."""

from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from common.collation import name_key
from forum import feeds
from forum.forms import ProgrammeFilterForm, ProjectFilterForm, TimeZoneForm
from forum.middleware import VISITOR_TZ_COOKIE
from forum.models import Edition, SessionMaterial
from forum.pagecache import CachedPageMixin, current_edition_for_cache
from forum.selectors import (
    current_edition_row,
    edition_projects,
    edition_speakers,
    get_current_edition,
    past_editions,
    programme_sessions,
    session_detail,
)


class EditionMixin:
    """Pages of the current edition; without one they say so instead of failing."""

    def get_edition(self):
        return get_current_edition(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edition"] = self.get_edition()
        context["timezone_form"] = TimeZoneForm(
            initial={
                "tz": str(self.request.visitor_tz) if self.request.visitor_tz else "",
                "next": self.request.get_full_path(),
            }
        )
        return context


class CachedEditionPageMixin(CachedPageMixin):
    def cached_edition(self):
        return current_edition_for_cache(self.request)


class HomeView(CachedEditionPageMixin, EditionMixin, TemplateView):
    template_name = "forum/home.html"
    page_cache_name = "home"
    # The home page lists the contacts in its body; the footer doesn't repeat them there.
    extra_context = {"contacts_in_page": True}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["past_editions"] = past_editions()
        return context


class ProgrammeView(CachedEditionPageMixin, EditionMixin, ListView):
    template_name = "forum/programme.html"
    page_cache_name = "programme"
    context_object_name = "sessions"

    def get_queryset(self):
        edition = self.get_edition()
        if edition is None:
            return []
        self.filter_form = ProgrammeFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        sector = filters.get("sector")
        return programme_sessions(
            edition=edition, kind=filters.get("kind", ""), sector=sector.slug if sector else ""
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = getattr(self, "filter_form", ProgrammeFilterForm())
        return context


class EditionProgrammeView(ProgrammeView):
    """Any edition's programme by its number, past ones included (never cached: few visitors)."""

    def get(self, request, *args, **kwargs):
        if self.get_edition() is None:
            raise Http404
        return ListView.get(self, request, *args, **kwargs)

    def get_edition(self):
        if not hasattr(self, "_edition"):
            self._edition = Edition.objects.filter(number=self.kwargs["number"]).first()
        return self._edition


class SessionDetailView(EditionMixin, DetailView):
    template_name = "forum/session_detail.html"
    context_object_name = "session"

    def get_edition(self):
        if "number" not in self.kwargs:
            return super().get_edition()
        if not hasattr(self, "_edition"):
            self._edition = Edition.objects.filter(number=self.kwargs["number"]).first()
        return self._edition

    def get_queryset(self):
        edition = self.get_edition()
        if edition is None:
            raise Http404
        return session_detail(edition=edition)


class SpeakerListView(EditionMixin, ListView):
    template_name = "forum/speakers.html"
    context_object_name = "speakers"

    def get_queryset(self):
        edition = self.get_edition()
        return edition_speakers(edition=edition) if edition else []


class ProjectListView(EditionMixin, ListView):
    template_name = "forum/projects.html"
    context_object_name = "projects"

    def get_queryset(self):
        edition = self.get_edition()
        if edition is None:
            return []
        self.filter_form = ProjectFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        sector = filters.get("sector")
        projects = edition_projects(
            edition=edition,
            country=filters.get("country", ""),
            sector=sector.slug if sector else "",
        )
        # Grouped by the country's name in the viewer's language (태국 after 캄보디아 in Korean).
        return sorted(projects, key=lambda project: (name_key(project.country.name), project.title))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = getattr(self, "filter_form", ProjectFilterForm())
        return context


@require_POST
def set_time_zone(request):
    """Remembers the visitor's chosen time zone in a cookie and goes back to the page."""
    form = TimeZoneForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        response.set_cookie(
            VISITOR_TZ_COOKIE,
            form.cleaned_data["tz"],
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@never_cache
def material(request, pk: int, name: str):
    """A session's material, once public, from whatever storage holds it (filesystem or S3)."""
    found = SessionMaterial.objects.public().filter(pk=pk).first()
    if found is None or found.filename != name:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename)


def healthz(request) -> HttpResponse:
    """For the proxy and the orchestrator: the app answers and the database is reachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy", whatever its class
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def favicon(request) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the hashed static file."""
    return HttpResponsePermanentRedirect(static("forum/favicon.svg"))


def _feed_edition(request) -> Edition:
    edition = current_edition_row(request)
    if edition is None:
        raise Http404(_("There is no current forum."))
    return edition


def _feed_response(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Public data, read by apps and calendar services from anywhere (as pretalx serves it).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def programme_ics(request):
    edition = _feed_edition(request)
    return _feed_response(
        feeds.programme_calendar(edition, programme_sessions(edition=edition)),
        "text/calendar; charset=utf-8",
        f"{edition.slug}.ics",
    )


def session_ics(request, slug: str):
    edition = _feed_edition(request)
    session = programme_sessions(edition=edition).filter(slug=slug).first()
    if session is None:
        raise Http404(_("No such session."))
    return _feed_response(
        feeds.programme_calendar(edition, [session]),
        "text/calendar; charset=utf-8",
        f"{edition.slug}-{session.slug}.ics",
    )


def schedule_json(request):
    edition = _feed_edition(request)
    return _feed_response(
        feeds.frab_json(edition, programme_sessions(edition=edition)),
        "application/json; charset=utf-8",
        "schedule.json",
    )


def schedule_xml(request):
    edition = _feed_edition(request)
    return _feed_response(
        feeds.frab_xml(edition, programme_sessions(edition=edition)),
        "application/xml; charset=utf-8",
        "schedule.xml",
    )
