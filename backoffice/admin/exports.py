"""The export page, its presets and the download every list goes through.

Downloading a list with personal data needs the `export_personal_data` permission (Organisers).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from backoffice.choices import ExportListKind
from backoffice.exports import EXPORT_LISTS
from backoffice.forms.exports import ExportForm, PresetForm
from backoffice.models import ExportPreset
from backoffice.services.exports import log_export, save_export_preset
from common.choices import ExportFormat, ExportSource
from common.errors import ForumError
from forum.models import Edition

EXPORT_PERMISSION = "backoffice.export_personal_data"
CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
