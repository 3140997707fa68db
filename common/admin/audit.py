"""The audit trail in the admin: a history on each object and one list; read-only for everyone."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from common.models import AuditLog
from common.services.audit import action_label


class ReadOnlyMixin:
    """Nobody adds, changes or deletes these rows in the admin, superusers included."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditLogInline(ReadOnlyMixin, GenericTabularInline):
    """The object's history, newest first, on its change page."""

    model = AuditLog
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    fields = ["created_at", "actor_kind", "actor", "action_display", "fields", "details"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]
    verbose_name = _("history entry")
    verbose_name_plural = _("history")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("common.view_auditlog")

    @admin.display(description=_("action"))
    def action_display(self, entry: AuditLog) -> str:
        return action_label(entry.action)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_kind",
        "actor",
        "action_display",
        "content_type",
        "object_id",
        "edition_id",
    ]
    list_filter = ["actor_kind", "content_type", "action"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "actor_kind",
        "actor",
        "edition_id",
        "content_type",
        "object_id",
        "action",
        "fields",
        "details",
    ]
    readonly_fields = fields

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, entry: AuditLog) -> str:
        return action_label(entry.action)
