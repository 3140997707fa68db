"""Meeting settings, slots and availability in the admin: generating slots, rooms per slot.

Every state change goes through the meeting services, as the participant pages do."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.admin.audit import AuditLogInline
from common.errors import ForumError
from common.times import shown
from forum.admin_zones import ObjectEditionZoneAdmin
from meetings.admin.support import forum_time
from meetings.choices import MeetingStatus
from meetings.models import (
    MeetingSettings,
    MeetingSlot,
    SlotUnavailability,
)
from meetings.services.slots import generate_slots, rooms_in_use, set_slot_rooms


class SlotActionForm(ActionForm):
    """The admin actions' extra inputs: the slot to book or move to, and a reason."""

    slot = forms.ModelChoiceField(
        MeetingSlot.objects.select_related("edition").order_by("starts_at"),
        required=False,
        label=_("Slot"),
        help_text=_("Empty: the first slot free for both."),
    )
    reason = forms.CharField(required=False, label=_("Reason"), max_length=500)


SLOTS_DESCRIPTION = _(
    "Dates and times are in %(zone)s, the edition's time zone. After a change, run “Generate "
    "the slots” from the list: slots that have meetings are kept."
)


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(ObjectEditionZoneAdmin):
    inlines = [AuditLogInline]
    list_display = [
        "edition",
        "booking_mode",
        "window_start",
        "window_end",
        "day_start",
        "day_end",
        "slot_minutes",
        "rooms",
        "slot_count",
    ]
    fieldsets = [
        (None, {"fields": ["edition", "booking_mode"]}),
        (_("Requests"), {"fields": ["request_limit", "review_requests"]}),
        (
            _("Slots"),
            {
                "fields": [
                    "window_start",
                    "window_end",
                    "weekdays",
                    "day_start",
                    "day_end",
                    "slot_minutes",
                    "pause_minutes",
                    "rooms",
                ],
                "description": SLOTS_DESCRIPTION,
            },
        ),
        (_("Video"), {"fields": ["video_link_template"]}),
    ]
    actions = ["generate"]

    def get_fieldsets(self, request, obj=None):
        # Drawn while the edition's zone is active (EditionTimeZoneAdmin): name it, as Django's
        # own note under the time inputs does.
        zone = timezone.get_current_timezone_name()
        return [
            (name, {**options, "description": options["description"] % {"zone": zone}})
            if options.get("description") is SLOTS_DESCRIPTION
            else (name, options)
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("edition")
            .annotate(slots=Count("edition__meeting_slots"))
        )

    @admin.display(description=_("slots"), ordering="slots")
    def slot_count(self, obj) -> int:
        return obj.slots

    @admin.action(description=_("Generate the slots"), permissions=["change"])
    def generate(self, request, queryset):
        for meeting_settings in queryset.select_related("edition"):
            changes = generate_slots(edition=meeting_settings.edition, user=request.user)
            self.message_user(
                request,
                _(
                    "%(edition)s: %(created)s slots created, %(updated)s updated, %(removed)s "
                    "removed, %(kept)s kept because they have meetings."
                )
                % {
                    "edition": meeting_settings.edition,
                    "created": changes.created,
                    "updated": changes.updated,
                    "removed": changes.removed,
                    "kept": changes.kept_with_meetings,
                },
                messages.SUCCESS,
            )


class SlotDayFilter(admin.SimpleListFilter):
    """Days of the slots, in the forum's time zone."""

    title = _("day")
    parameter_name = "day"
    slot_path = "starts_at"

    def lookups(self, request, model_admin):
        days = set()
        slots = MeetingSlot.objects.select_related("edition").only(
            "starts_at", "edition__time_zone"
        )
        for slot in slots:
            days.add(slot.starts_at.astimezone(slot.edition.tzinfo).date())
        return [(day.isoformat(), shown(day, "SHORT_DAY_FORMAT")) for day in sorted(days)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = dt.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        # Slots of any edition: a day starts at midnight in each edition's zone; the zones of
        # the forum's editions are all within a day of UTC, so a ±14 h window then an exact test.
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        candidates = queryset.filter(
            **{
                f"{self.slot_path}__gte": start - dt.timedelta(hours=14),
                f"{self.slot_path}__lt": start + dt.timedelta(hours=38),
            }
        )
        keep = [
            obj.pk
            for obj in candidates.select_related(*self._related())
            if self._start(obj).astimezone(self._edition(obj).tzinfo).date() == day
        ]
        return queryset.filter(pk__in=keep)

    def _related(self):
        return ["edition"]

    def _start(self, obj):
        return obj.starts_at

    def _edition(self, obj):
        return obj.edition


class MeetingSlotForm(forms.ModelForm):
    """Rooms of a slot, on its page and in the list: never below the rooms its meetings hold."""

    class Meta:
        model = MeetingSlot
        fields = ["rooms"]

    def clean_rooms(self) -> int:
        rooms = self.cleaned_data["rooms"]
        in_use = rooms_in_use(self.instance) if self.instance.pk else 0
        if rooms < max(in_use, 1):
            raise forms.ValidationError(
                _("Room %(room)d of this slot holds a meeting: keep at least %(room)d rooms."),
                code="rooms_in_use",
                params={"room": in_use},
            )
        return rooms


@admin.register(MeetingSlot)
class MeetingSlotAdmin(admin.ModelAdmin):
    list_display = ["starts", "ends", "rooms", "occupancy"]
    list_filter = ["edition", SlotDayFilter]
    list_editable = ["rooms"]
    date_hierarchy = "starts_at"
    readonly_fields = ["edition", "starts_at", "ends_at"]
    fields = ["edition", "starts_at", "ends_at", "rooms"]
    list_per_page = 100
    form = MeetingSlotForm

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=MeetingSlotForm, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, which checks again under the slot's lock.
        try:
            set_slot_rooms(slot=obj, rooms=form.cleaned_data["rooms"], user=request.user)
        except ForumError as error:
            self.message_user(request, error.message, messages.ERROR)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("edition")
            .annotate(booked=Count("meetings", filter=Q(meetings__status=MeetingStatus.SCHEDULED)))
        )

    def has_add_permission(self, request) -> bool:
        return False  # slots come from the edition's meeting settings

    @admin.display(description=_("starts (edition's time zone)"), ordering="starts_at")
    def starts(self, obj) -> str:
        return forum_time(obj.starts_at, obj.edition)

    @admin.display(description=_("ends"))
    def ends(self, obj) -> str:
        return shown(obj.ends_at, "TIME_FORMAT", zone=obj.edition.tzinfo)

    @admin.display(description=_("meetings booked"), ordering="booked")
    def occupancy(self, obj) -> str:
        return f"{obj.booked} / {obj.rooms}"


@admin.register(SlotUnavailability)
class SlotUnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["registration", "slot", "reason"]
    list_filter = ["slot__edition", "reason"]
    search_fields = ["registration__name", "registration__organisation"]
    list_select_related = ["registration", "slot__edition"]

    def has_add_permission(self, request) -> bool:
        return False  # participants set their availability on their own page

    def has_change_permission(self, request, obj=None) -> bool:
        return False
