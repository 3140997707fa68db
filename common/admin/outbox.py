"""The outbox in the admin: every email, its status and attempts; resend; nothing edited."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin.audit import ReadOnlyMixin
from common.models import OutgoingEmail
from common.services.outbox import resend_email

EMAIL_FIELDS = [
    "created_at",
    "kind",
    "language",
    "status",
    "attempts",
    "sent_at",
    "next_attempt_at",
    "subject",
    "last_error",
]


class OutgoingEmailInline(ReadOnlyMixin, admin.TabularInline):
    model = OutgoingEmail
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    show_change_link = True
    ordering = ["-created_at", "-pk"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "registration", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "registration__edition"]
    search_fields = ["registration__name", "registration__email"]
    list_select_related = ["registration"]
    date_hierarchy = "created_at"
    fields = ["registration", *EMAIL_FIELDS]
    readonly_fields = fields
    actions = ["resend"]

    def has_resend_permission(self, request) -> bool:
        return request.user.has_perm("common.resend_outgoingemail")

    @admin.action(
        description=_("Send the selected emails again (with fresh links)"),
        permissions=["resend"],
    )
    def resend(self, request, queryset):
        count = 0
        for email in queryset.select_related("registration"):
            resend_email(email=email, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
