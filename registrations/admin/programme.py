"""The programme's admin pages, with what registration adds: seat counts, consent readiness.

The forum app knows nothing of registrations, so the registrations app extends its Edition and
Session pages here. An edition says which consent texts its registration form still needs (the
form stays closed without them, see `selectors.registrations.registration_accepts`); a session
shows its booked and waiting counts, and raising its capacity moves people off the waiting list
through the seat services.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from common.db import atomic
from common.errors import ForumError
from forum.admin import EditionAdmin as ProgrammeEditionAdmin
from forum.admin import SessionAdmin as ProgrammeSessionAdmin
from forum.models import Edition, Session
from registrations.choices import BookingStatus, ConsentKind
from registrations.selectors.registrations import missing_consent_texts
from registrations.services.reminders import send_after_forum_email
from registrations.services.waitinglist import change_capacity


def _missing_labels(edition: Edition) -> str:
    return ", ".join(
        str(ConsentKind(kind).label) for kind in missing_consent_texts(edition=edition)
    )


admin.site.unregister(Edition)


@admin.register(Edition)
class EditionAdmin(ProgrammeEditionAdmin):
    list_display = [*ProgrammeEditionAdmin.list_display, "registration_readiness"]
    readonly_fields = [*ProgrammeEditionAdmin.readonly_fields, "registration_readiness"]
    actions = [*ProgrammeEditionAdmin.actions, "send_after_forum"]

    @admin.action(
        description=_("Send the after-forum email to confirmed attendees"),
        permissions=["change"],
    )
    def send_after_forum(self, request, queryset):
        for edition in queryset:
            try:
                count = send_after_forum_email(edition=edition, actor=request.user)
            except ForumError as error:
                self.message_user(request, f"{edition}: {error.message}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(edition)s: %(count)d after-forum email(s) queued (each person gets it once).")
                % {"edition": edition, "count": count},
                messages.SUCCESS,
            )

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        for _name, options in fieldsets:
            if "registration_opens" in options.get("fields", []):
                options["fields"] = ["registration_readiness", *options["fields"]]
        return fieldsets

    @admin.display(description=_("registration form"))
    def registration_readiness(self, edition: Edition) -> str:
        if edition.pk is None:
            return _("Add the consent texts after saving the edition.")
        missing = _missing_labels(edition)
        if missing:
            return _("Can't open: missing consent texts: %(missing)s") % {"missing": missing}
        return _("Ready: the consent texts it needs are there.")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        missing = _missing_labels(obj)
        if missing:
            self.message_user(
                request,
                _(
                    "The registration form of %(edition)s stays closed until it has these "
                    "consent texts: %(missing)s. Add them under Consent texts."
                )
                % {"edition": obj, "missing": missing},
                messages.WARNING,
            )


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = "__all__"  # noqa: DJ007 — the programme's own admin form, staff only

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if self.instance.pk and capacity is not None:
            booked = self.instance.bookings.filter(status=BookingStatus.BOOKED).count()
            if capacity < booked:
                raise forms.ValidationError(
                    _(
                        "%(booked)s people hold seats in this session: the capacity can't be "
                        "lower. Cancel bookings first."
                    ),
                    code="below_booked",
                    params={"booked": booked},
                )
        return capacity


admin.site.unregister(Session)


@admin.register(Session)
class SessionAdmin(ProgrammeSessionAdmin):
    form = SessionForm
    list_display = [*ProgrammeSessionAdmin.list_display, "booked_count", "waiting_count"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                num_booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)),
                num_waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
            )
        )

    @admin.display(description=_("booked"), ordering="num_booked")
    def booked_count(self, session) -> int:
        return session.num_booked

    @admin.display(description=_("waiting"), ordering="num_waiting")
    def waiting_count(self, session) -> int:
        return session.num_waiting

    def save_model(self, request, obj, form, change):
        if not (change and "capacity" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        # The capacity goes through the seat service, under the session's lock, and the waiting
        # list moves up in that same transaction; the page's other fields are saved with it.
        try:
            with atomic():
                promoted = change_capacity(
                    session=obj, capacity=form.cleaned_data["capacity"], actor=request.user
                )
                super().save_model(request, obj, form, change)
        except ForumError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        if promoted:
            self.message_user(
                request,
                _("%(count)d moved off the waiting list and were emailed.")
                % {"count": len(promoted)},
                messages.SUCCESS,
            )
