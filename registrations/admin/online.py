"""The online forum's admin pages on the attendee side: who attended which session."""

from django.contrib import admin

from registrations.models import Attendance, SentReminder, SessionFeedback

RESPONDENT_PERMISSION = "registrations.view_respondent"

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


@admin.register(SessionFeedback)
class SessionFeedbackAdmin(admin.ModelAdmin):
    """Ratings and comments; who gave them only for staff with "Can see who gave feedback"."""

    list_display = ["session", "rating", "comment", "created_at"]
    list_filter = ["session__edition", "session", "rating"]
    list_select_related = ["session", "registration"]
    date_hierarchy = "created_at"

    def _sees_respondents(self, request) -> bool:
        return request.user.has_perm(RESPONDENT_PERMISSION)

    def get_list_display(self, request):
        if self._sees_respondents(request):
            return ["registration", *self.list_display]
        return self.list_display

    def get_search_fields(self, request):
        if self._sees_respondents(request):
            return ["comment", "registration__name", "registration__email"]
        return ["comment"]

    def get_fields(self, request, obj=None):
        fields = ["session", "rating", "comment", "created_at"]
        return ["registration", *fields] if self._sees_respondents(request) else fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
