"""Back office for business meetings: settings and slots, profiles, requests, meetings, a day view.

Every state change goes through registrations/services/meetings.py, as the participant pages do.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin.audit import AuditLogInline
from common.errors import ForumError
from forum.models import Edition
from meetings.choices import MeetingStatus, ProfileSide
from meetings.errors import MeetingError
from meetings.models import (
    BusinessProfile,
    Meeting,
    MeetingRequest,
    MeetingSettings,
    MeetingSlot,
    SlotUnavailability,
)
from meetings.selectors.meetings import free_slots, meetings_of_day, recommendations
from meetings.services import meetings as services


def forum_time(value: dt.datetime, edition: Edition) -> str:
    return f"{value.astimezone(edition.tzinfo):%a %d %b %Y %H:%M}"


def _each(model_admin, request, objects, call, message) -> None:
    """Calls the service for each object; says why for those it refuses, and counts the rest."""
    done = 0
    for obj in objects:
        try:
            call(obj)
        except ForumError as error:
            model_admin.message_user(request, f"{obj}: {error.message}", messages.WARNING)
        else:
            done += 1
    if done:
        model_admin.message_user(request, message(done) % {"count": done}, messages.SUCCESS)


class SlotActionForm(ActionForm):
    """The admin actions' extra inputs: the slot to book or move to, and a reason."""

    slot = forms.ModelChoiceField(
        MeetingSlot.objects.select_related("edition").order_by("starts_at"),
        required=False,
        label=_("Slot"),
        help_text=_("Empty: the first slot free for both."),
    )
    reason = forms.CharField(required=False, label=_("Reason"), max_length=500)


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(admin.ModelAdmin):
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
                "description": _(
                    "Times are in the forum's time zone. After a change, run “Generate the "
                    "slots” from the list: slots that have meetings are kept."
                ),
            },
        ),
        (_("Video"), {"fields": ["video_link_template"]}),
    ]
    actions = ["generate"]

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
            changes = services.generate_slots(edition=meeting_settings.edition, user=request.user)
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
        return [(day.isoformat(), date_format(day, "D d M")) for day in sorted(days)]

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


class MeetingDayFilter(SlotDayFilter):
    slot_path = "slot__starts_at"

    def _related(self):
        return ["edition", "slot"]

    def _start(self, obj):
        return obj.slot.starts_at


@admin.register(MeetingSlot)
class MeetingSlotAdmin(admin.ModelAdmin):
    list_display = ["starts", "ends", "rooms", "occupancy"]
    list_filter = ["edition", SlotDayFilter]
    list_editable = ["rooms"]
    date_hierarchy = "starts_at"
    readonly_fields = ["edition", "starts_at", "ends_at"]
    fields = ["edition", "starts_at", "ends_at", "rooms"]
    list_per_page = 100

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("edition")
            .annotate(booked=Count("meetings", filter=Q(meetings__status=MeetingStatus.SCHEDULED)))
        )

    def has_add_permission(self, request) -> bool:
        return False  # slots come from the edition's meeting settings

    @admin.display(description=_("starts (forum time)"), ordering="starts_at")
    def starts(self, obj) -> str:
        return forum_time(obj.starts_at, obj.edition)

    @admin.display(description=_("ends"))
    def ends(self, obj) -> str:
        return f"{obj.ends_at.astimezone(obj.edition.tzinfo):%H:%M}"

    @admin.display(description=_("meetings booked"), ordering="booked")
    def occupancy(self, obj) -> str:
        return f"{obj.booked} / {obj.rooms}"


class ProfileSideFilter(admin.SimpleListFilter):
    """The side of the sender (requests) or either participant (meetings)."""

    title = _("side")
    parameter_name = "side"
    paths = ("sender__business_profile__side", "receiver__business_profile__side")

    def lookups(self, request, model_admin):
        return ProfileSide.choices

    def queryset(self, request, queryset):
        if self.value() not in ProfileSide.values:
            return queryset
        condition = Q()
        for field in self.paths:
            condition |= Q(**{field: self.value()})
        return queryset.filter(condition)


@admin.register(BusinessProfile)
class BusinessProfileAdmin(admin.ModelAdmin):
    inlines = [AuditLogInline]
    list_display = ["organisation", "name", "side", "country", "listed", "updated_at"]
    list_filter = ["registration__edition", "side", "listed", "sectors"]
    search_fields = [
        "registration__name",
        "registration__organisation",
        "registration__email",
        "description",
    ]
    list_select_related = ["registration"]
    autocomplete_fields = ["registration"]
    filter_horizontal = ["sectors", "projects_presented", "projects_of_interest"]
    actions = ["suggest"]

    @admin.action(
        description=_("Suggest meetings with their mutual best matches (both must agree)"),
        permissions=["change"],
    )
    def suggest(self, request, queryset) -> None:
        profiles = list(queryset.select_related("registration__edition"))
        suggested = 0
        for edition in {profile.registration.edition for profile in profiles}:
            suggested += services.suggest_meetings(
                edition=edition,
                user=request.user,
                among=[p.pk for p in profiles if p.registration.edition_id == edition.pk],
            )
        if suggested:
            self.message_user(
                request,
                ngettext(
                    "%(count)d meeting suggested; both sides are asked to agree.",
                    "%(count)d meetings suggested; both sides are asked to agree.",
                    suggested,
                )
                % {"count": suggested},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("No new suggestion: these profiles have no mutual best match without a request."),
                messages.WARNING,
            )

    readonly_fields = ["created_at", "updated_at", "availability_saved_at", "recommended"]
    fieldsets = [
        (None, {"fields": ["registration", "side", "listed"]}),
        (_("Recommended counterparts"), {"fields": ["recommended"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "description",
                    "offer",
                    "seek",
                    "sectors",
                    "countries_of_interest",
                    "projects_presented",
                    "projects_of_interest",
                    "languages",
                    "website",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at", "availability_saved_at"]}),
    ]

    @admin.display(description=_("organisation"), ordering="registration__organisation")
    def organisation(self, obj) -> str:
        return obj.registration.organisation

    @admin.display(description=_("best matches, with the reasons"))
    def recommended(self, obj) -> str:
        """The matchmaker's top counterparts for this profile, as the participant sees them."""
        if obj.pk is None:
            return "—"
        found = recommendations(registration=obj.registration, top_n=10)
        if not found:
            return _("No listed counterpart matches yet.")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                '<li><a href="{}">{} — {}</a>: {}</li>',
                (
                    (
                        reverse("admin:meetings_businessprofile_change", args=[r.profile.pk]),
                        r.profile.registration.organisation or r.profile.registration.name,
                        r.profile.get_side_display(),
                        "; ".join(str(reason) for reason in r.reasons),
                    )
                    for r in found
                ),
            ),
        )

    @admin.display(description=_("name"), ordering="registration__name")
    def name(self, obj) -> str:
        return obj.registration.name

    @admin.display(description=_("country"))
    def country(self, obj) -> str:
        return obj.registration.country.name

    def save_model(self, request, obj, form, change) -> None:
        data = {name: value for name, value in form.cleaned_data.items() if name != "registration"}
        try:
            saved = services.save_business_profile(
                registration=form.cleaned_data["registration"], data=data, user=request.user
            )
        except ForumError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        """The service has saved the profile's sectors and projects already."""


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    inlines = [AuditLogInline]
    list_display = ["sender", "receiver", "priority", "status", "project", "created_at"]
    list_filter = ["edition", "status", "priority", ProfileSideFilter]
    search_fields = [
        "sender__name",
        "sender__organisation",
        "receiver__name",
        "receiver__organisation",
    ]
    list_select_related = ["sender", "receiver", "project"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "edition",
        "sender",
        "receiver",
        "project",
        "priority",
        "message",
        "status",
        "answer_reason",
        "created_at",
        "reviewed_at",
        "answered_at",
        "closed_at",
    ]
    action_form = SlotActionForm
    actions = ["forward", "turn_down", "book"]

    def has_add_permission(self, request) -> bool:
        return False  # participants send requests; staff book meetings from them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Forward to the receiver (reviewed)"), permissions=["change"])
    def forward(self, request, queryset):
        self._review(request, queryset, approve=True)

    @admin.action(description=_("Don't forward (reviewed)"), permissions=["change"])
    def turn_down(self, request, queryset):
        self._review(request, queryset, approve=False)

    def _review(self, request, queryset, *, approve: bool) -> None:
        reason = request.POST.get("reason", "")
        _each(
            self,
            request,
            queryset,
            lambda meeting_request: services.review_request(
                request=meeting_request, approve=approve, user=request.user, reason=reason
            ),
            lambda n: ngettext("%(count)d request reviewed.", "%(count)d requests reviewed.", n),
        )

    @admin.action(
        description=_("Book accepted requests (chosen slot or first free)"), permissions=["change"]
    )
    def book(self, request, queryset):
        chosen = _chosen_slot(request)

        def book(meeting_request) -> None:
            slot = (
                chosen
                or free_slots(
                    edition=meeting_request.edition,
                    people=[meeting_request.sender, meeting_request.receiver],
                ).first()
            )
            if slot is None:
                raise MeetingError(_("No slot is free for both."), code="no_slot")
            services.book_meeting(request=meeting_request, slot=slot, user=request.user)

        _each(
            self,
            request,
            queryset.select_related("sender", "receiver", "edition"),
            book,
            lambda n: ngettext("%(count)d meeting booked.", "%(count)d meetings booked.", n),
        )


def _chosen_slot(request) -> MeetingSlot | None:
    slot_id = request.POST.get("slot")
    if not slot_id or not slot_id.isdigit():
        return None
    return MeetingSlot.objects.filter(pk=slot_id).select_related("edition").first()


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    inlines = [AuditLogInline]
    list_display = ["when", "room", "sender", "receiver", "status", "outcome", "video"]
    list_filter = ["edition", "status", MeetingDayFilter, ProfileSideFilter, "outcome"]
    search_fields = [
        "sender__name",
        "sender__organisation",
        "receiver__name",
        "receiver__organisation",
    ]
    list_select_related = ["slot__edition", "sender", "receiver"]
    date_hierarchy = "slot__starts_at"
    readonly_fields = [
        "edition",
        "request",
        "sender",
        "receiver",
        "slot",
        "room",
        "status",
        "sequence",
        "outcome",
        "outcome_note",
        "outcome_recorded_at",
        "cancel_reason",
        "cancelled_at",
        "reminded_at",
        "created_at",
        "updated_at",
    ]
    fields = ["video_link", *readonly_fields]
    action_form = SlotActionForm
    actions = ["move", "cancel", "remind"]
    change_list_template = "admin/meetings/meeting/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False  # booked from requests, through the services

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("slot (forum time)"), ordering="slot__starts_at")
    def when(self, obj) -> str:
        return forum_time(obj.slot.starts_at, obj.slot.edition)

    @admin.display(description=_("video link"))
    def video(self, obj) -> str:
        if not obj.video_link:
            return "—"
        return format_html('<a href="{}" rel="noopener">{}</a>', obj.video_link, _("open"))

    def save_model(self, request, obj, form, change) -> None:
        if "video_link" in form.changed_data:
            try:
                services.set_video_link(
                    meeting=obj, video_link=form.cleaned_data["video_link"], user=request.user
                )
            except ForumError as error:
                self.message_user(request, error.message, messages.ERROR)

    @admin.action(description=_("Move to the chosen slot"), permissions=["change"])
    def move(self, request, queryset):
        slot = _chosen_slot(request)
        if slot is None:
            self.message_user(request, _("Choose the slot to move to."), messages.ERROR)
            return
        _each(
            self,
            request,
            queryset,
            lambda meeting: services.move_meeting(meeting=meeting, slot=slot, user=request.user),
            lambda n: ngettext("%(count)d meeting moved.", "%(count)d meetings moved.", n),
        )

    @admin.action(description=_("Cancel (both are told)"), permissions=["change"])
    def cancel(self, request, queryset):
        reason = request.POST.get("reason", "")
        _each(
            self,
            request,
            queryset,
            lambda meeting: services.cancel_meeting(
                meeting=meeting, user=request.user, reason=reason
            ),
            lambda n: ngettext("%(count)d meeting cancelled.", "%(count)d meetings cancelled.", n),
        )

    @admin.action(description=_("Send the reminder now"), permissions=["change"])
    def remind(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda meeting: services.remind_meeting(meeting=meeting, user=request.user),
            lambda n: ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", n),
        )

    def get_urls(self):
        urls = [
            path(
                "day/",
                self.admin_site.admin_view(self.day_view),
                name="meetings_meeting_day",
            )
        ]
        return urls + super().get_urls()

    def day_view(self, request):
        """Who meets whom on one day, slot by slot, in the forum's time zone."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        editions = Edition.objects.filter(meeting_slots__isnull=False).distinct()
        edition_id = request.GET.get("edition", "")
        edition = (
            get_object_or_404(editions, pk=edition_id)
            if edition_id.isdigit()
            else editions.filter(is_current=True).first() or editions.first()
        )
        days, rows, day = [], [], None
        if edition is not None:
            zone = edition.tzinfo
            days = sorted(
                {
                    start.astimezone(zone).date()
                    for start in edition.meeting_slots.values_list("starts_at", flat=True)
                }
            )
            try:
                day = dt.date.fromisoformat(request.GET.get("day", ""))
            except ValueError:
                today = timezone.now().astimezone(zone).date()
                day = next((d for d in days if d >= today), days[-1] if days else None)
            if day is not None:
                slots: dict[int, dict] = {}
                for meeting in meetings_of_day(edition=edition, day=day):
                    entry = slots.setdefault(
                        meeting.slot_id, {"slot": meeting.slot, "meetings": []}
                    )
                    entry["meetings"].append(meeting)
                rows = list(slots.values())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Meetings by day"),
            "editions": editions,
            "edition": edition,
            "days": days,
            "day": day,
            "rows": rows,
            "changelist_url": reverse("admin:meetings_meeting_changelist"),
        }
        return TemplateResponse(request, "admin/meetings/meeting/day.html", context)


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
