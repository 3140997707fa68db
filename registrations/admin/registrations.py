"""Back office for registrations: filters, inline bookings and consents, actions via services."""

import tempfile

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registrations.admin.audit import AuditLogInline
from registrations.admin.outbox import OutgoingEmailInline
from registrations.choices import ConsentKind, ExportFormat, ExportSource, ParticipantCategory
from registrations.errors import RegistrationError
from registrations.exports import attendees as exports
from registrations.models import (
    Consent,
    ConsentText,
    ExportLog,
    Registration,
    RegistrationSettings,
    SessionBooking,
)
from registrations.selectors.registrations import attendees_for_export
from registrations.services.audit import log_export
from registrations.services.registrations import (
    approve_registration,
    cancel_registration,
    confirm_registration,
    reject_registration,
    resend_confirmation,
)
from registrations.services.seats import promote_booking


class SessionBookingInline(admin.TabularInline):
    model = SessionBooking
    extra = 0
    fields = ["session", "status", "seat", "position", "created_at", "promoted_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # seats are taken through the services, never typed in


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["kind", "version", "given_at", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ConsentFilter(admin.SimpleListFilter):
    title = _("consent in force")
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return ConsentKind.choices

    def queryset(self, request, queryset):
        if self.value() in ConsentKind.values:
            return queryset.filter(
                consents__kind=self.value(), consents__withdrawn_at__isnull=True
            ).distinct()
        return queryset


class SessionFilter(admin.SimpleListFilter):
    title = _("session")
    parameter_name = "session"

    def lookups(self, request, model_admin):
        from forum.models import Session

        return [
            (str(session.pk), f"{session.edition.number}: {session.title}")
            for session in Session.objects.select_related("edition").order_by(
                "-edition__number", "starts_at"
            )
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(bookings__session_id=int(self.value())).distinct()
        return queryset


def _run(modeladmin, request, queryset, service, done_message) -> None:
    done = 0
    for registration in queryset:
        try:
            service(registration=registration, actor=request.user)
        except RegistrationError as error:
            modeladmin.message_user(request, f"{registration}: {error.message}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def _export_filters(request) -> dict:
    return {
        key: value
        for key, value in request.GET.items()
        if key not in {"o", "p", "_changelist_filters"}
    }


def promote_waiting_bookings(model_admin, request, bookings) -> None:
    """Moves the waiting bookings among `bookings` up, first in line first, and says how many."""
    promoted = 0
    for booking in bookings.filter(status="waiting").order_by("session_id", "position"):
        try:
            promote_booking(booking=booking, actor=request.user)
        except RegistrationError as error:
            model_admin.message_user(request, str(error.message), messages.WARNING)
        else:
            promoted += 1
    model_admin.message_user(
        request,
        ngettext("%(count)d booking promoted.", "%(count)d bookings promoted.", promoted)
        % {"count": promoted},
        messages.SUCCESS if promoted else messages.INFO,
    )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "organisation",
        "country",
        "category",
        "status",
        "wants_meetings",
        "created_at",
    ]
    list_filter = [
        "edition",
        "status",
        "category",
        "country",
        SessionFilter,
        "wants_meetings",
        ConsentFilter,
    ]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["edition"]
    date_hierarchy = "created_at"
    inlines = [SessionBookingInline, ConsentInline, OutgoingEmailInline, AuditLogInline]
    readonly_fields = [
        "edition",
        "status",
        "created_at",
        "updated_at",
        "email_confirmed_at",
        "confirmed_at",
        "approved_at",
        "cancelled_at",
        "rejected_at",
    ]
    fieldsets = [
        (None, {"fields": ["edition", "status"]}),
        (
            _("Attendee"),
            {
                "fields": [
                    "name",
                    "email",
                    "organisation",
                    "job_title",
                    "country",
                    "category",
                    "phone",
                    "time_zone",
                    "language",
                    "wants_meetings",
                ]
            },
        ),
        (
            _("History"),
            {
                "fields": [
                    "created_at",
                    "email_confirmed_at",
                    "confirmed_at",
                    "approved_at",
                    "cancelled_at",
                    "rejected_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = [
        "confirm",
        "approve",
        "reject",
        "cancel",
        "promote",
        "resend_confirmation",
        "export_csv",
        "export_xlsx",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # registrations come through the form and its services

    @admin.action(description=_("Confirm selected registrations"), permissions=["change"])
    def confirm(self, request, queryset):
        _run(self, request, queryset, confirm_registration, _("%(count)d confirmed."))

    @admin.action(description=_("Approve selected registrations"), permissions=["change"])
    def approve(self, request, queryset):
        _run(self, request, queryset, approve_registration, _("%(count)d approved."))

    @admin.action(description=_("Reject selected registrations"), permissions=["change"])
    def reject(self, request, queryset):
        _run(self, request, queryset, reject_registration, _("%(count)d rejected."))

    @admin.action(description=_("Cancel selected registrations"), permissions=["change"])
    def cancel(self, request, queryset):
        _run(self, request, queryset, cancel_registration, _("%(count)d cancelled."))

    @admin.action(
        description=_("Promote from the waiting lists where a seat is free"),
        permissions=["change"],
    )
    def promote(self, request, queryset):
        promote_waiting_bookings(
            self, request, SessionBooking.objects.filter(registration__in=queryset)
        )

    @admin.action(description=_("Resend the confirmation email"), permissions=["change"])
    def resend_confirmation(self, request, queryset):
        _run(self, request, queryset, resend_confirmation, _("%(count)d emails sent."))

    def _export(self, request, queryset: QuerySet, format: str):
        editions = set(queryset.values_list("edition_id", flat=True).distinct())
        if len(editions) != 1:
            self.message_user(
                request, _("Export one edition at a time: filter by edition first."), messages.ERROR
            )
            return None
        registrations = attendees_for_export(edition=queryset.first().edition).filter(
            pk__in=queryset.values("pk")
        )
        row_count = registrations.count()
        log_export(
            edition=queryset.first().edition,
            user=request.user,
            source=ExportSource.ADMIN,
            format=format,
            filters=_export_filters(request),
            row_count=row_count,
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"attendees-{stamp}.{format}"
        rows = exports.attendee_rows(registrations)
        if format == ExportFormat.CSV:
            response = StreamingHttpResponse(
                exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
            )
        else:
            # The write-only workbook spools rows to disk; the file is sent from disk too.
            spool = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
            exports.write_xlsx(rows, spool)
            spool.seek(0)
            response = FileResponse(
                spool,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, ExportFormat.CSV)

    @admin.action(description=_("Export selected as XLSX"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, ExportFormat.XLSX)


@admin.register(SessionBooking)
class SessionBookingAdmin(admin.ModelAdmin):
    list_display = ["registration", "session", "status", "seat", "position", "created_at"]
    list_filter = ["status", "session__edition", "session"]
    search_fields = ["registration__name", "registration__email", "session__title"]
    list_select_related = ["registration", "session"]
    readonly_fields = [
        "registration",
        "session",
        "status",
        "seat",
        "position",
        "created_at",
        "promoted_at",
    ]
    actions = ["promote"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(
        description=_("Move off the waiting list (if a seat is free)"), permissions=["change"]
    )
    def promote(self, request, queryset):
        promote_waiting_bookings(self, request, queryset)


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["edition", "kind", "version", "requirement", "created_at"]
    list_filter = ["edition", "kind", "requirement"]
    search_fields = ["text_en", "text_ko", "version"]


class RegistrationSettingsForm(forms.ModelForm):
    approval_categories = forms.MultipleChoiceField(
        label=_("categories that need approval"),
        choices=ParticipantCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = RegistrationSettings
        fields = ["edition", "approval_categories", "confirmation_hours", "manage_link_days"]


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(admin.ModelAdmin):
    form = RegistrationSettingsForm
    list_display = ["edition", "approval_categories", "confirmation_hours", "manage_link_days"]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "edition", "source", "format", "row_count"]
    list_filter = ["edition", "source", "format"]
    list_select_related = ["user", "edition"]
    readonly_fields = ["created_at", "user", "edition", "source", "format", "filters", "row_count"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # who exported whom is a privacy record: nobody deletes it
