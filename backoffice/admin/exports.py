"""The back office's own admin pages: the edition dashboard and the export page, with presets.

The dashboard shows counts only, so a Viewer may see it; downloading a list with personal data
needs the `export_personal_data` permission (Organisers).
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_countries import countries

from backoffice.choices import ExportListKind
from backoffice.exports import EXPORT_LISTS
from backoffice.exports.base import csv_text, figure_csv, local_time
from backoffice.forms.exports import ExportForm, PresetForm
from backoffice.models import ExportPreset
from backoffice.selectors import dashboard
from backoffice.services.exports import log_export, save_export_preset
from common.choices import ExportFormat, ExportSource
from common.errors import ForumError
from forum.models import Edition
from meetings.choices import RequestStatus
from registrations.choices import ParticipantCategory, RegistrationStatus

DASHBOARD_PERMISSION = "backoffice.view_dashboard"
EXPORT_PERMISSION = "backoffice.export_personal_data"
CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BAR_WIDTH = 320  # the longest bar of a chart, in SVG units
BAR_HEIGHT = 18


@dataclass
class Bar:
    label: str
    value: int
    width: int
    y: int
    second: int = 0  # a second value drawn after the first (people waiting)
    second_width: int = 0
    note: str = ""


@dataclass
class Figure:
    """One figure of the dashboard: a table (also the CSV) and its bar chart."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    bars: list[Bar] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return max(len(self.bars), 1) * (BAR_HEIGHT + 6)

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def _bars(pairs: list[tuple[str, int]], seconds: list[int] | None = None) -> list[Bar]:
    seconds = seconds or [0] * len(pairs)
    largest = max(
        [value + extra for (_label, value), extra in zip(pairs, seconds, strict=True)] + [1]
    )
    bars = []
    for index, ((label, value), extra) in enumerate(zip(pairs, seconds, strict=True)):
        bars.append(
            Bar(
                label=label,
                value=value,
                width=round(BAR_WIDTH * value / largest),
                y=index * (BAR_HEIGHT + 6),
                second=extra,
                second_width=round(BAR_WIDTH * extra / largest),
            )
        )
    return bars


def _count_figure(slug, title, heading, pairs: list[tuple[str, int]], column=None) -> Figure:
    return Figure(
        slug=slug,
        title=title,
        headers=[heading, column or _("Registrations")],
        rows=[[label, value] for label, value in pairs],
        bars=_bars(pairs),
    )


def dashboard_figures(edition: Edition) -> dict[str, Figure]:
    """Every figure of an edition, labelled in the active language."""
    status_names = {code: str(label) for code, label in RegistrationStatus.choices}
    category_names = {code: str(label) for code, label in ParticipantCategory.choices}
    country_names = dict(countries)
    by_status = [
        (status_names.get(code, code), count)
        for code, count in dashboard.registrations_by(edition=edition, field="status")
    ]
    by_category = [
        (category_names.get(code, code), count)
        for code, count in dashboard.active_registrations_by(edition=edition, field="category")
    ]
    by_country = [
        (str(country_names.get(code, code)), count)
        for code, count in dashboard.active_registrations_by(edition=edition, field="country")
    ]
    sessions = dashboard.session_seats(edition=edition)
    zone = edition.tzinfo
    session_rows = [
        [
            session.display_title,
            # The exports' spreadsheet format (the figure is also a CSV download), as in the lists.
            csv_text(local_time(zone)(session.starts_at)),
            session.capacity if session.capacity is not None else "",
            session.booked,
            session.waiting,
        ]
        for session in sessions
    ]
    session_bars = _bars(
        [(session.display_title, session.booked) for session in sessions],
        [session.waiting for session in sessions],
    )
    for bar, session in zip(session_bars, sessions, strict=True):
        bar.note = (
            _("%(booked)d of %(capacity)d seats, %(waiting)d waiting")
            % {"booked": session.booked, "capacity": session.capacity, "waiting": session.waiting}
            if session.capacity is not None
            else _("%(booked)d booked, no seat limit") % {"booked": session.booked}
        )
    figures = [
        _count_figure("status", _("Registrations by status"), _("Status"), by_status),
        _count_figure(
            "category",
            _("Participants by category (active registrations)"),
            _("Participant category"),
            by_category,
        ),
        _count_figure(
            "country", _("Participants by country (active registrations)"), _("Country"), by_country
        ),
        Figure(
            slug="sessions",
            title=_("Seats taken and waiting per session"),
            headers=[
                _("Session"),
                _("Starts (%(zone)s)") % {"zone": edition.time_zone},
                _("Capacity"),
                _("Seats taken"),
                _("Waiting"),
            ],
            rows=session_rows,
            bars=session_bars,
            legend=[_("Seats taken"), _("Waiting")],
        ),
    ]
    figures.extend(attendance_figures(edition, category_names, country_names))
    figures.extend(meeting_figures(edition))
    return {figure.slug: figure for figure in figures}


def attendance_figures(edition: Edition, category_names, country_names) -> list[Figure]:
    """The online forum: registered, confirmed and attended per session; attended by category
    and country beside the confirmed. Bars: attended, then confirmed who did not attend."""
    sessions = dashboard.session_attendance(edition=edition)
    legend = [_("Attended"), _("Confirmed, did not attend")]
    session_bars = _bars(
        [(session.display_title, session.attended) for session in sessions],
        [max(session.confirmed - session.attended, 0) for session in sessions],
    )
    for bar, session in zip(session_bars, sessions, strict=True):
        bar.note = _("%(attended)d attended of %(confirmed)d confirmed") % {
            "attended": session.attended,
            "confirmed": session.confirmed,
        }
    figures = [
        Figure(
            slug="attendance",
            title=_("Attendance per session"),
            headers=[_("Session"), _("Registered"), _("Confirmed"), _("Attended")],
            rows=[
                [session.display_title, session.registered, session.confirmed, session.attended]
                for session in sessions
            ],
            bars=session_bars,
            legend=legend,
        )
    ]
    for slug, title, heading, field_name, names in (
        (
            "attendance-category",
            _("Attendance by participant category"),
            _("Participant category"),
            "category",
            category_names,
        ),
        ("attendance-country", _("Attendance by country"), _("Country"), "country", country_names),
    ):
        rows = [
            (str(names.get(code, code)), confirmed, attended)
            for code, confirmed, attended in dashboard.attendance_by(
                edition=edition, field=field_name
            )
        ]
        figures.append(
            Figure(
                slug=slug,
                title=title,
                headers=[heading, _("Confirmed"), _("Attended")],
                rows=[list(row) for row in rows],
                bars=_bars(
                    [(label, attended) for label, _confirmed, attended in rows],
                    [max(confirmed - attended, 0) for _label, confirmed, attended in rows],
                ),
                legend=legend,
            )
        )
    rated = dashboard.session_ratings(edition=edition)
    if rated:
        figures.append(
            Figure(
                slug="ratings",
                title=_("Ratings per session (1 to 5)"),
                headers=[_("Session"), _("Ratings"), _("Average rating")],
                rows=[
                    [session.display_title, session.ratings, f"{session.average:.1f}"]
                    for session in rated
                ],
                bars=_bars([(session.display_title, session.ratings) for session in rated]),
            )
        )
        for bar, session in zip(figures[-1].bars, rated, strict=True):
            bar.note = _("%(count)d ratings, average %(average).1f") % {
                "count": session.ratings,
                "average": session.average,
            }
    return figures


def meeting_figures(edition: Edition) -> list[Figure]:
    """Requests by status, acceptance and what is left unplaced, meetings per day."""
    by_status = dict(dashboard.meeting_requests_by_status(edition=edition))
    if not by_status:
        return []
    names = {code: str(label) for code, label in RequestStatus.choices}
    requests = [(names.get(code, code), count) for code, count in by_status.items()]
    accepted = by_status.get(RequestStatus.ACCEPTED, 0) + by_status.get(RequestStatus.BOOKED, 0)
    declined = by_status.get(RequestStatus.DECLINED, 0)
    answered = accepted + declined
    rate = f"{100 * accepted / answered:.0f} %" if answered else "—"
    unplaced = by_status.get(RequestStatus.ACCEPTED, 0)
    acceptance = [
        (_("Accepted"), accepted),
        (_("Declined"), declined),
        (_("Accepted but not placed in a slot yet"), unplaced),
    ]
    per_day = [
        (day.isoformat(), count) for day, count in dashboard.meetings_per_day(edition=edition)
    ]
    return [
        _count_figure(
            "meeting-requests",
            _("Meeting requests by status"),
            _("Status"),
            requests,
            column=_("Requests"),
        ),
        Figure(
            slug="acceptance",
            title=_("Acceptance rate: %(rate)s of answered requests accepted") % {"rate": rate},
            headers=[_("Requests"), _("Number")],
            rows=[[label, value] for label, value in acceptance] + [[_("Acceptance rate"), rate]],
            bars=_bars(acceptance),
        ),
        _count_figure(
            "meetings-per-day",
            _("Meetings per day (%(zone)s)") % {"zone": edition.time_zone},
            _("Day"),
            per_day,
            column=_("Meetings"),
        ),
    ]


def _edition_from(request) -> Edition | None:
    edition_id = request.GET.get("edition", "")
    if edition_id.isdigit():
        return get_object_or_404(Edition, pk=int(edition_id))
    return Edition.objects.filter(is_current=True).first() or Edition.objects.first()


def dashboard_view(request):
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied
    edition = _edition_from(request)
    figures = dashboard_figures(edition) if edition else {}
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "edition": edition,
        "editions": Edition.objects.order_by("-number"),
        "figures": list(figures.values()),
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
        "can_export": request.user.has_perm(EXPORT_PERMISSION),
    }
    return TemplateResponse(request, "admin/backoffice/dashboard.html", context)


def dashboard_figure_csv(request, edition_id: int, figure: str):
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied
    edition = get_object_or_404(Edition, pk=edition_id)
    figures = dashboard_figures(edition)
    if figure not in figures:
        raise Http404
    chosen = figures[figure]
    response = HttpResponse(
        figure_csv(chosen.headers, chosen.rows), content_type=CONTENT_TYPES[ExportFormat.CSV]
    )
    stamp = timezone.localdate(timezone=edition.tzinfo).isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{edition.slug}_dashboard-{figure}_{stamp}.csv"'
    )
    return response


def export_view(request):
    """One form: what the page shows is what the download holds.

    GET fills the form from the query string (a bookmark, the dashboard's link) and counts the
    rows. POST counts (`count`), shows the chosen list's columns (`refresh`), downloads (`format`)
    or saves the ticked columns as a preset (`save_preset`). Columns ticked for another list are
    never downloaded: the page shows the chosen list's columns first and says so.
    """
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    data = (request.POST if request.method == "POST" else request.GET).copy()
    if not data.get("edition"):
        current = Edition.objects.filter(is_current=True).first()
        if current is not None:
            data["edition"] = str(current.pk)
    data.setdefault("list_kind", ExportListKind.ATTENDEES)
    edition_id = data.get("edition", "")
    edition = Edition.objects.filter(pk=edition_id).first() if edition_id.isdigit() else None
    refresh = "refresh" in data
    form = ExportForm(data, edition=edition, refresh=refresh)
    preset_form = PresetForm(request.POST if "save_preset" in request.POST else None)
    acting = request.method == "POST" and not refresh and "count" not in data
    if request.method == "POST" and form.columns_replaced:
        messages.warning(
            request,
            _(
                "The ticked columns were those of another list. The columns of “%(list)s” are "
                "ticked now: check them, then download."
            )
            % {"list": form.export_list.title},
        )
    if acting and not form.columns_replaced and form.is_valid():
        if "save_preset" in request.POST:
            saved = _save_preset(request, form, preset_form)
            if saved is not None:
                return saved
        elif data.get("format") in CONTENT_TYPES:
            return download(request, form.export(), data["format"])
    row_count = form.export().count() if form.is_valid() else None
    lists = export_lists_for_page()
    context = {
        **admin.site.each_context(request),
        "title": _("Export a list"),
        "form": form,
        "preset_form": preset_form,
        "row_count": row_count,
        "export_lists": lists,
        "columns_heading": lists[form.export_list.slug]["heading"],
    }
    return TemplateResponse(request, "admin/backoffice/export.html", context)


def _save_preset(request, form, preset_form):
    """Saves the ticked columns and comes back to the page with the preset chosen, or None."""
    if not preset_form.is_valid():
        return None
    try:
        preset = save_export_preset(
            name=preset_form.cleaned_data["preset_name"],
            list_kind=form.cleaned_data["list_kind"],
            columns=form.chosen_columns(),
            available=list(form.export_list.column_specs()),
            user=request.user,
        )
    except ForumError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, _("Preset “%(name)s” saved.") % {"name": preset.name})
    query = {
        key: value
        for key, value in form.data.lists()
        if key not in {"csrfmiddlewaretoken", "save_preset", "preset_name", "columns", "format"}
    }
    query["preset"] = [str(preset.pk)]
    query["refresh"] = ["1"]
    return redirect(reverse("backoffice:export") + "?" + urlencode(query, doseq=True))


def export_lists_for_page() -> dict[str, dict]:
    """What the page's script needs to show a list's columns and presets without a round trip."""
    presets: dict[str, list] = {kind: [] for kind in EXPORT_LISTS}
    for preset in ExportPreset.objects.order_by("name"):
        if preset.list_kind in presets:
            presets[preset.list_kind].append(
                {"id": preset.pk, "name": preset.name, "columns": list(preset.columns)}
            )
    return {
        kind: {
            "title": str(export_list.title),
            "heading": _("Columns of “%(list)s”") % {"list": export_list.title},
            "columns": export_list.column_choices(),
            "defaults": list(export_list.default_columns),
            "presets": presets[kind],
        }
        for kind, export_list in EXPORT_LISTS.items()
    }


def download(request, export, format: str, extra_log: dict | None = None) -> StreamingHttpResponse:
    """Logs the export (filters as codes, the row count) and streams the file."""
    row_count = export.count()
    log_export(
        edition=export.edition,
        user=request.user,
        source=ExportSource.ADMIN,
        format=format,
        filters={**export.filters.as_log(), **(extra_log or {}), "columns": export.chosen_keys},
        row_count=row_count,
        list_kind=export.slug,
    )
    response = StreamingHttpResponse(export.stream(format), content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{export.filename(format)}"'
    return response


@admin.register(ExportPreset)
class ExportPresetAdmin(admin.ModelAdmin):
    list_display = ["name", "list_kind", "columns", "created_by", "updated_at"]
    list_filter = ["list_kind"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "updated_at"]
    fields = ["name", "list_kind", "columns", "created_by", "updated_at"]


app_name = "backoffice"
urlpatterns = [
    path("dashboard/", admin.site.admin_view(dashboard_view), name="dashboard"),
    path(
        "dashboard/<int:edition_id>/<slug:figure>.csv",
        admin.site.admin_view(dashboard_figure_csv),
        name="dashboard_figure",
    ),
    path("export/", admin.site.admin_view(export_view), name="export"),
]
