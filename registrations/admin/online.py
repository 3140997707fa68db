"""The online forum's admin pages on the attendee side: who attended which session."""

from django.contrib import admin

from registrations.models import Attendance, SentReminder

ATTENDANCE_FIELDS = [
    "session",
    "first_joined_at",
    "last_joined_at",
    "joins",
    "stream_language",
    "source",
]


class AttendanceInline(admin.TabularInline):
    """On a registration: the sessions it attended (written by the join link, never typed)."""

    model = Attendance
    extra = 0
    fields = ATTENDANCE_FIELDS
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["registration", *ATTENDANCE_FIELDS]
    list_filter = ["session__edition", "session", "source", "stream_language"]
    list_select_related = ["registration", "session"]
    search_fields = ["registration__name", "registration__email", "registration__organisation"]
    date_hierarchy = "first_joined_at"
    readonly_fields = ["registration", *ATTENDANCE_FIELDS]

    def has_add_permission(self, request) -> bool:
        return False  # recorded by the join link; staff import the platform's report instead

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """Which reminders and after-forum emails went to whom (the emails are in the outbox)."""

    list_display = ["registration", "session", "kind", "sent_at"]
    list_filter = ["kind", "registration__edition", "session"]
    list_select_related = ["registration", "session"]
    search_fields = ["registration__name", "registration__email"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
