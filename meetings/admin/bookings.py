"""Meetings in the admin: book, move, cancel, remind, and the day view."""

import datetime as dt

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin.audit import AuditLogInline
from common.errors import ForumError
from forum.admin_zones import ObjectEditionZoneAdmin
from forum.models import Edition
from meetings.admin.profiles import ProfileSideFilter
from meetings.admin.slots import SlotActionForm, SlotDayFilter
from meetings.admin.support import _each, forum_time
from meetings.models import (
    Meeting,
    MeetingSlot,
)
from meetings.selectors.meetings import meetings_of_day
from meetings.services.booking import cancel_meeting, move_meeting, set_video_link
from meetings.services.reminders import remind_meeting


class MeetingDayFilter(SlotDayFilter):
    slot_path = "slot__starts_at"

    def _related(self):
        return ["edition", "slot"]

    def _start(self, obj):
        return obj.slot.starts_at


def _chosen_slot(request) -> MeetingSlot | None:
    slot_id = request.POST.get("slot")
    if not slot_id or not slot_id.isdigit():
        return None
    return MeetingSlot.objects.filter(pk=slot_id).select_related("edition").first()


def _with_names(meetings):
    """What a meeting's name shows (both people, the slot in its edition's zone), in the query."""
    return meetings.select_related("sender", "receiver", "slot__edition")


@admin.register(Meeting)
class MeetingAdmin(ObjectEditionZoneAdmin):
    inlines = [AuditLogInline]
    list_display = ["when", "room", "sender", "receiver", "status", "outcome", "video"]
    list_filter = ["edition", "status", MeetingDayFilter, ProfileSideFilter, "outcome"]
    search_fields = [
        "sender__name",
        "sender__name_latin",
        "sender__organisation",
        "sender__organisation_en",
        "receiver__name",
        "receiver__name_latin",
        "receiver__organisation",
        "receiver__organisation_en",
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

    @admin.display(description=_("slot (edition's time zone)"), ordering="slot__starts_at")
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
                set_video_link(
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
            _with_names(queryset),
            lambda meeting: move_meeting(meeting=meeting, slot=slot, user=request.user),
            lambda n: ngettext("%(count)d meeting moved.", "%(count)d meetings moved.", n),
        )

    @admin.action(description=_("Cancel (both are told)"), permissions=["change"])
    def cancel(self, request, queryset):
        reason = request.POST.get("reason", "")
        _each(
            self,
            request,
            _with_names(queryset),
            lambda meeting: cancel_meeting(meeting=meeting, user=request.user, reason=reason),
            lambda n: ngettext("%(count)d meeting cancelled.", "%(count)d meetings cancelled.", n),
        )

    @admin.action(description=_("Send the reminder now"), permissions=["change"])
    def remind(self, request, queryset):
        _each(
            self,
            request,
            _with_names(queryset),
            lambda meeting: remind_meeting(meeting=meeting, user=request.user),
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
