"""Registrations and session bookings in the admin, every change through the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin.audit import AuditLogInline
from common.admin.outbox import OutgoingEmailInline
from common.errors import ForumError
from forum.admin_zones import ObjectEditionZoneAdmin, local_time
from registrations.admin.online import AttendanceInline
from registrations.choices import BookingStatus, ConsentKind
from registrations.models import (
    ATTENDEE_FIELDS,
    Consent,
    Registration,
    SessionBooking,
)
from registrations.models.registration import both
from registrations.services.consents import require_sharing_consent
from registrations.services.details import update_registration
from registrations.services.registrations import (
    approve_registration,
    cancel_registration,
    confirm_registration,
    delete_registration,
    reject_registration,
    resend_confirmation,
)
from registrations.services.waitinglist import promote_booking


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


class RegistrationAdminForm(forms.ModelForm):
    """Staff edit details; the same rules as the attendee's own page hold (through the service)."""

    class Meta:
        model = Registration
        fields = [*ATTENDEE_FIELDS]
        help_texts = {
            "email": _(
                "A new address is confirmed again: both addresses are emailed and the links "
                "sent so far stop working."
            ),
            "wants_meetings": _("Needs the attendee's consent to share their profile."),
        }

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        taken = (
            Registration.objects.filter(edition_id=self.instance.edition_id, email__iexact=email)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(
                _("Another registration of this edition has this address."), code="taken"
            )
        return email

    def clean_wants_meetings(self):
        wants = self.cleaned_data.get("wants_meetings")
        if wants and not self.instance.wants_meetings:
            try:
                require_sharing_consent(self.instance)
            except ForumError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        return wants


# What each action emails, said on the confirmation page before it runs.
EMAILS = {
    "confirm": _("Each confirmed attendee is emailed."),
    "approve": _("Each approved attendee is emailed."),
    "reject": _("Each rejected attendee is emailed."),
    "cancel": _(
        "Each cancelled attendee is emailed, and people on the waiting lists who get their "
        "seats are emailed too."
    ),
    "promote": _("Each person moved off a waiting list is emailed."),
    "resend_confirmation": _("Each attendee gets the confirmation email again."),
}


def confirmed_or_ask(modeladmin, request, queryset, action: str, title):
    """None once staff confirmed on the page; until then the page asking them to."""
    if request.POST.get("confirmed") == "yes":
        return None
    opts = modeladmin.model._meta
    return TemplateResponse(
        request,
        "admin/registrations/confirm_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": opts,
            "action": action,
            "objects": list(queryset[:200]),
            "count": queryset.count(),
            "emails": EMAILS.get(action, ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        },
    )


def _run(modeladmin, request, queryset, service, done_message) -> None:
    done = 0
    for registration in queryset:
        try:
            service(registration=registration, actor=request.user)
        except ForumError as error:
            modeladmin.message_user(request, f"{registration}: {error.message}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def promote_waiting_bookings(model_admin, request, bookings):
    """Moves the waiting bookings among `bookings` up, first in line first, and says how many."""
    page = confirmed_or_ask(
        model_admin, request, bookings, "promote", _("Move people off the waiting lists?")
    )
    if page is not None:
        return page
    promoted = 0
    for booking in bookings.filter(status=BookingStatus.WAITING).order_by("session_id", "position"):
        try:
            promote_booking(booking=booking, actor=request.user)
        except ForumError as error:
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
class RegistrationAdmin(ObjectEditionZoneAdmin):
    list_display = [
        "name_shown",
        "email",
        "organisation_shown",
        "country",
        "category",
        "status",
        "wants_meetings",
        "edition",
        "registered",
    ]
    list_filter = [
        "edition",
        "status",
        "category",
        "country",
        SessionFilter,
        "wants_meetings",
        ConsentFilter,
        "is_sample",
    ]
    form = RegistrationAdminForm
    search_fields = ["name", "name_latin", "email", "organisation", "organisation_en"]
    list_select_related = ["edition"]
    date_hierarchy = "created_at"
    inlines = [
        SessionBookingInline,
        AttendanceInline,
        ConsentInline,
        OutgoingEmailInline,
        AuditLogInline,
    ]
    readonly_fields = [
        "edition",
        "status",
        "is_sample",
        "created_at",
        "updated_at",
        "email_confirmed_at",
        "confirmed_at",
        "approved_at",
        "cancelled_at",
        "rejected_at",
    ]
    fieldsets = [
        (None, {"fields": ["edition", "status", "is_sample"]}),
        (
            _("Attendee"),
            {"fields": [*ATTENDEE_FIELDS]},
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
    ]

    def has_add_permission(self, request) -> bool:
        return False  # registrations come through the form and its services

    @admin.display(description=_("name"), ordering="name")
    def name_shown(self, obj) -> str:
        return both(obj.name, obj.name_latin)

    @admin.display(description=_("organisation"), ordering="organisation")
    def organisation_shown(self, obj) -> str:
        return both(obj.organisation, obj.organisation_en)

    @admin.display(description=_("registered (edition's time zone)"), ordering="created_at")
    def registered(self, obj) -> str:
        return local_time(obj.created_at, obj.edition.tzinfo)

    def save_model(self, request, obj, form, change):
        """Through the service: a new address is confirmed again and the old links stop."""
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if data:
            update_registration(registration=obj, data=data, actor=request.user)
            obj.refresh_from_db()

    def get_deleted_objects(self, objs, request):
        # Bookings, consents and emails go with the registration through the service, which
        # frees the seats first: no separate right to delete them is needed.
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_model(self, request, obj):
        delete_registration(registration=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for registration in queryset:
            delete_registration(registration=registration, actor=request.user)

    @admin.action(description=_("Confirm selected registrations"), permissions=["change"])
    def confirm(self, request, queryset):
        page = confirmed_or_ask(
            self, request, queryset, "confirm", _("Confirm the selected registrations?")
        )
        if page is not None:
            return page
        _run(self, request, queryset, confirm_registration, _("%(count)d confirmed."))

    @admin.action(description=_("Approve selected registrations"), permissions=["change"])
    def approve(self, request, queryset):
        page = confirmed_or_ask(
            self, request, queryset, "approve", _("Approve the selected registrations?")
        )
        if page is not None:
            return page
        _run(self, request, queryset, approve_registration, _("%(count)d approved."))

    @admin.action(description=_("Reject selected registrations"), permissions=["change"])
    def reject(self, request, queryset):
        page = confirmed_or_ask(
            self, request, queryset, "reject", _("Reject the selected registrations?")
        )
        if page is not None:
            return page
        _run(self, request, queryset, reject_registration, _("%(count)d rejected."))

    @admin.action(description=_("Cancel selected registrations"), permissions=["change"])
    def cancel(self, request, queryset):
        page = confirmed_or_ask(
            self, request, queryset, "cancel", _("Cancel the selected registrations?")
        )
        if page is not None:
            return page
        _run(self, request, queryset, cancel_registration, _("%(count)d cancelled."))

    @admin.action(
        description=_("Promote from the waiting lists where a seat is free"),
        permissions=["change"],
    )
    def promote(self, request, queryset):
        return promote_waiting_bookings(
            self, request, SessionBooking.objects.filter(registration__in=queryset)
        )

    @admin.action(description=_("Resend the confirmation email"), permissions=["change"])
    def resend_confirmation(self, request, queryset):
        page = confirmed_or_ask(
            self, request, queryset, "resend_confirmation", _("Send the confirmation email again?")
        )
        if page is not None:
            return page
        _run(self, request, queryset, resend_confirmation, _("%(count)d emails sent."))


@admin.register(SessionBooking)
class SessionBookingAdmin(admin.ModelAdmin):
    list_display = ["registration", "session", "status", "seat", "position", "booked"]
    list_filter = ["status", "session__edition", "session"]
    search_fields = ["registration__name", "registration__email", "session__title"]
    list_select_related = ["registration", "session__edition"]
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

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a place is freed by cancelling or changing sessions (the services)

    @admin.display(description=_("booked (edition's time zone)"), ordering="created_at")
    def booked(self, obj) -> str:
        return local_time(obj.created_at, obj.session.edition.tzinfo)

    @admin.action(
        description=_("Move off the waiting list (if a seat is free)"), permissions=["change"]
    )
    def promote(self, request, queryset):
        return promote_waiting_bookings(self, request, queryset)
