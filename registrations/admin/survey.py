"""The after-forum survey in the admin: the questions organisers set per edition, and the
responses — whose they are only for staff with "Can see who gave feedback"."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registrations.admin.online import RESPONDENT_PERMISSION
from registrations.models import SurveyAnswer, SurveyQuestion, SurveyResponse


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ["text_en", "kind", "required", "position", "edition"]
    list_editable = ["position"]
    list_filter = ["edition", "kind"]
    list_select_related = ["edition"]
    search_fields = ["text_en", "text_ko"]
    fieldsets = [
        (None, {"fields": ["edition", "position", "kind", "required"]}),
        (_("English"), {"fields": ["text_en", "choices_en"]}),
        (_("Korean"), {"fields": ["text_ko", "choices_ko"]}),
    ]


class SurveyAnswerInline(admin.TabularInline):
    model = SurveyAnswer
    extra = 0
    can_delete = False
    fields = ["question", "display"]
    readonly_fields = fields

    @admin.display(description=_("answer"))
    def display(self, answer: SurveyAnswer) -> str:
        return answer.display

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Read-only; the person behind a response only with the respondent permission."""

    list_display = ["__str__", "submitted_at"]
    list_filter = ["registration__edition"]
    date_hierarchy = "submitted_at"
    inlines = [SurveyAnswerInline]

    def _sees_respondents(self, request) -> bool:
        return request.user.has_perm(RESPONDENT_PERMISSION)

    def get_list_display(self, request):
        if self._sees_respondents(request):
            return ["__str__", "registration", "submitted_at"]
        return self.list_display

    def get_list_select_related(self, request):
        return ["registration"] if self._sees_respondents(request) else []

    def get_search_fields(self, request):
        if self._sees_respondents(request):
            return ["registration__name", "registration__email"]
        return []

    def get_fields(self, request, obj=None):
        fields = ["submitted_at"]
        return ["registration", *fields] if self._sees_respondents(request) else fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
