"""The edition dashboard: its page and each figure as a CSV.

Counts only, so a Viewer may see it (`view_dashboard`); the link to the exports shows to those who
may download personal data.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.admin.exports import CONTENT_TYPES, EXPORT_PERMISSION
from backoffice.admin.figures import BAR_HEIGHT, BAR_WIDTH, dashboard_figures
from backoffice.exports.base import figure_csv
from common.choices import ExportFormat
from forum.models import Edition

DASHBOARD_PERMISSION = "backoffice.view_dashboard"


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
