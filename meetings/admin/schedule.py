"""Back office for the organiser-run scheduler: start a run, follow it, review, publish."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import ForumError
from forum.models import Edition
from meetings.models import ScheduleRun
from meetings.selectors.schedule import draft_review
from meetings.services.schedule_problem import DEFAULT_TIME_LIMIT
from meetings.services.schedule_publish import publish_schedule
from meetings.services.schedule_runs import discard_schedule_run, start_schedule_run


def reason_text(code: str, params: dict) -> str:
    """An unplaced request's reason, in the viewer's language (runs store codes only)."""
    texts = {
        "no_common_slot": _("%(a)s and %(b)s have no free slot in common."),
        "participant_overbooked": _(
            "%(person)s has more meetings to place than free slots: some must stay out."
        ),
        "rooms_exhausted": _("Every slot where both are free already uses all its rooms."),
        "displaced": _(
            "Meetings of higher priority of %(a)s or %(b)s took the slots they have in common."
        ),
        "predecessor_unplaced": _("The meeting it must follow could not be placed."),
    }
    names = {key: getattr(value, "name", value) for key, value in params.items()}
    names.setdefault("person", names.get("a", ""))
    return texts.get(code, code) % names


class StartRunForm(forms.Form):
    edition = forms.ModelChoiceField(
        Edition.objects.order_by("-number"), label=gettext_lazy("Edition")
    )
    time_limit = forms.IntegerField(
        label=gettext_lazy("Time limit (seconds)"),
        min_value=1,
        max_value=600,
        initial=DEFAULT_TIME_LIMIT,
        help_text=gettext_lazy("The scheduler stops at the best schedule found by then."),
    )
    keep_published = forms.BooleanField(
        label=gettext_lazy("Keep published meetings where they are"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Untick to let the scheduler move or drop meetings already published."
        ),
    )


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "phase",
        "placed_of_requested",
        "priority_share_display",
        "breaks",
        "optimal",
        "seconds",
        "started_by",
        "created_at",
    ]
    list_filter = ["edition", "status"]
    list_select_related = ["edition", "started_by"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("placed / requested"))
    def placed_of_requested(self, run: ScheduleRun) -> str:
        return f"{run.placed} / {run.requested}"

    @admin.display(description=gettext_lazy("priority placed of the bound"))
    def priority_share_display(self, run: ScheduleRun) -> str:
        share = run.priority_share
        return "–" if share is None else f"{share} %"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # runs are the record of what was published; discard instead

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/publish/",
                view(self.publish_view),
                name="meetings_schedulerun_publish",
            ),
            path(
                "<int:pk>/discard/",
                view(self.discard_view),
                name="meetings_schedulerun_discard",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "app_label": self.model._meta.app_label,
            **extra,
        }

    def add_view(self, request, form_url="", extra_context=None):
        """Start a run: the form, then the service queues it for a background worker."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StartRunForm(
            request.POST or None,
            initial={"edition": Edition.objects.filter(is_current=True).first()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                run = start_schedule_run(user=request.user, **form.cleaned_data)
            except ForumError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, _("The scheduler is running."), messages.SUCCESS)
                return redirect(reverse("admin:meetings_schedulerun_change", args=[run.pk]))
        return TemplateResponse(
            request,
            "admin/meetings/schedulerun/start.html",
            self._context(request, title=_("Run the meeting scheduler"), form=form),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The run's progress while it runs; then the draft to review and publish."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(
            ScheduleRun.objects.select_related("edition", "started_by"), pk=object_id
        )
        # One day of the draft at a time (`?day=`): a forum's draft has hundreds of meetings.
        review = draft_review(run=run, day=request.GET.get("day", "")) if run.draft else None
        unplaced = (
            [(row, reason_text(row.reason, row.params)) for row in review.unplaced]
            if review
            else []
        )
        return TemplateResponse(
            request,
            "admin/meetings/schedulerun/review.html",
            self._context(
                request,
                title=str(run),
                run=run,
                review=review,
                unplaced=unplaced,
                can_publish=self.has_change_permission(request, run),
            ),
        )

    def publish_view(self, request, pk: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ScheduleRun.objects.select_related("edition"), pk=pk)
        if request.method == "POST":
            try:
                result = publish_schedule(run=run, user=request.user)
            except ForumError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _(
                        "Published: %(booked)s meetings booked, %(moved)s moved, %(cancelled)s "
                        "cancelled. Both sides of each are being notified."
                    )
                    % vars(result),
                    messages.SUCCESS,
                )
            return redirect(reverse("admin:meetings_schedulerun_change", args=[run.pk]))
        review = draft_review(run=run) if run.draft else None
        return TemplateResponse(
            request,
            "admin/meetings/schedulerun/publish_confirm.html",
            self._context(request, title=_("Publish this schedule?"), run=run, review=review),
        )

    def discard_view(self, request, pk: int):
        if not self.has_change_permission(request) or request.method != "POST":
            raise PermissionDenied
        run = get_object_or_404(ScheduleRun, pk=pk)
        try:
            discard_schedule_run(run=run, user=request.user)
        except ForumError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, _("The draft was discarded."), messages.SUCCESS)
        return redirect(reverse("admin:meetings_schedulerun_changelist"))
