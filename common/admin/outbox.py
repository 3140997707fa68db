"""The outbox in the admin: every email, its status and attempts; resend; nothing edited."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin.audit import ReadOnlyMixin
from common.choices import EmailStatus
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


class OutgoingEmailInline(ReadOnlyMixin, GenericTabularInline):
    model = OutgoingEmail
    ct_field = "recipient_type"
    ct_fk_field = "recipient_id"
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    show_change_link = True
    ordering = ["-created_at", "-pk"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "to_address"]
    list_select_related = ["recipient_type"]
    date_hierarchy = "created_at"
    fields = ["recipient_type", "recipient_id", "edition_id", *EMAIL_FIELDS]
    readonly_fields = fields
    actions = ["resend"]

    def get_queryset(self, request):
        # The recipients of a page in one query per kind of recipient, not one per row.
        return super().get_queryset(request).prefetch_related("recipient")

    def changelist_view(self, request, extra_context=None):
        # Emails the mail server refused for good are never retried: staff must hear of them.
        refused = OutgoingEmail.objects.filter(status=EmailStatus.UNDELIVERABLE).count()
        if refused and request.method == "GET":
            self.message_user(
                request,
                ngettext(
                    "%(count)d email could not be delivered and will not be retried: filter by "
                    "the status “Undeliverable, not retried” to see why, correct the address or "
                    "name, then send it again.",
                    "%(count)d emails could not be delivered and will not be retried: filter by "
                    "the status “Undeliverable, not retried” to see why, correct the address or "
                    "name, then send them again.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def has_resend_permission(self, request) -> bool:
        return request.user.has_perm("common.resend_outgoingemail")

    @admin.action(
        description=_("Send the selected emails again (with fresh links)"),
        permissions=["resend"],
    )
    def resend(self, request, queryset):
        count = 0
        for email in queryset.select_related("recipient_type"):
            resend_email(email=email, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
