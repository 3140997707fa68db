"""Meeting requests in the admin: review, filters, and booking an accepted request."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin.audit import AuditLogInline
from forum.admin_zones import ObjectEditionZoneAdmin, local_time
from meetings.admin.bookings import _chosen_slot
from meetings.admin.profiles import ProfileSideFilter
from meetings.admin.slots import SlotActionForm
from meetings.admin.support import _each
from meetings.errors import MeetingError
from meetings.models import (
    MeetingRequest,
)
from meetings.selectors.meetings import free_slots
from meetings.services.booking import book_meeting
from meetings.services.requests import review_request


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ObjectEditionZoneAdmin):
    inlines = [AuditLogInline]
    list_display = ["sender", "receiver", "priority", "status", "project", "sent"]
    list_filter = ["edition", "status", "priority", ProfileSideFilter]
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
    list_select_related = ["sender", "receiver", "project", "edition"]
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

    @admin.display(description=_("sent (edition's time zone)"), ordering="created_at")
    def sent(self, obj) -> str:
        return local_time(obj.created_at, obj.edition.tzinfo)

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
            lambda meeting_request: review_request(
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
            book_meeting(request=meeting_request, slot=slot, user=request.user)

        _each(
            self,
            request,
            queryset.select_related("sender", "receiver", "edition"),
            book,
            lambda n: ngettext("%(count)d meeting booked.", "%(count)d meetings booked.", n),
        )
