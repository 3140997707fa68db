"""What the back office adds to the registrations' admin: exporting the selection, the export log.

Exports are the back office's (backoffice/exports/), so the registrations app knows nothing of
them: the back office registers the registration list again with its export actions added, as
registrations/admin/programme.py extends the programme's pages. Admin modules load in the order of
INSTALLED_APPS, so the registrations' own admin class is already registered here.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from backoffice.admin.exports import EXPORT_PERMISSION, download
from backoffice.exports import AttendeeList, ExportFilters
from backoffice.models import ExportLog
from common.choices import ExportFormat
from forum.models import Edition
from registrations.admin.registrations import RegistrationAdmin
from registrations.models import Registration

# The changelist filters an export log may keep: codes, never what was typed in the search box.
LOGGED_CHANGELIST_FILTERS = {
    "edition__id__exact": "edition",
    "status__exact": "statuses",
    "category__exact": "categories",
    "country__exact": "countries",
    "wants_meetings__exact": "wants_meetings",
    "session": "session",
    "consent": "consent",
}


def _logged_filters(request) -> dict:
    logged = {
        name: request.GET[key]
        for key, name in LOGGED_CHANGELIST_FILTERS.items()
        if key in request.GET
    }
    if request.GET.get("q"):
        logged["search"] = True  # that a search narrowed the list, not the search term
    return logged


class RegistrationExportAdmin(RegistrationAdmin):
    actions = [*RegistrationAdmin.actions, "export_csv", "export_xlsx"]

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(EXPORT_PERMISSION)

    def _export(self, request, queryset: QuerySet, format: str):
        editions = list(queryset.values_list("edition_id", flat=True).distinct()[:2])
        if len(editions) != 1:
            self.message_user(
                request, _("Export one edition at a time: filter by edition first."), messages.ERROR
            )
            return None
        filters = ExportFilters(
            edition=Edition.objects.get(pk=editions[0]), selection=queryset.values("pk")
        )
        return download(request, AttendeeList(filters), format, extra_log=_logged_filters(request))

    @admin.action(description=_("Export selected as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, ExportFormat.CSV)

    @admin.action(description=_("Export selected as XLSX"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, ExportFormat.XLSX)


admin.site.unregister(Registration)
admin.site.register(Registration, RegistrationExportAdmin)


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "edition", "list_kind", "source", "format", "row_count"]
    list_filter = ["edition", "list_kind", "source", "format"]
    list_select_related = ["user", "edition"]
    readonly_fields = [
        "created_at",
        "user",
        "edition",
        "list_kind",
        "source",
        "format",
        "filters",
        "row_count",
    ]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # who exported whom is a privacy record: nobody deletes it
