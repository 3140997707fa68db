"""Runs of the organiser-run meeting scheduler: settings, progress, figures and the draft."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from forum.models import Edition
from meetings.choices import ACTIVE_RUN_STATUSES, SchedulePhase, ScheduleRunStatus


class ScheduleRun(models.Model):
    """One run of the scheduler over an edition's accepted requests, and its draft.

    The draft (`draft`) maps each placed request to a slot; nothing reaches participants until
    staff publish it, which books the meetings through the meetings services.
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="schedule_runs", verbose_name=_("edition")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ScheduleRunStatus.choices, default="queued"
    )
    phase = models.CharField(
        _("phase"), max_length=12, choices=SchedulePhase.choices, default="waiting"
    )
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=30)
    keep_published = models.BooleanField(
        _("keep published meetings where they are"),
        default=True,
        help_text=_("Off: the scheduler may move or drop meetings already published."),
    )
    # Figures, filled as the run goes (the first draft's, then the final ones).
    requested = models.PositiveIntegerField(_("requests to place"), default=0)
    placed = models.PositiveIntegerField(_("placed"), default=0)
    priority_placed = models.PositiveIntegerField(_("priority placed"), default=0)
    priority_bound = models.PositiveIntegerField(_("priority bound"), default=0)
    breaks = models.PositiveIntegerField(_("idle gaps"), default=0)
    # Proven: no schedule placing these meetings has fewer idle gaps (from the MaxSAT race).
    breaks_bound = models.PositiveIntegerField(_("idle gaps at least"), null=True, blank=True)
    optimal = models.BooleanField(_("proven optimal"), default=False)
    seconds = models.FloatField(_("seconds"), default=0)
    # {"assignments": [{"request": id, "slot": id}], "fixed": [{"meeting": id, "slot": id}],
    #  "unplaced": [{"request": id, "reason": code, "params": {...}}]}
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_schedulerun"
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            choices_constraint("registrations", "schedulerun", "status", ScheduleRunStatus),
            choices_constraint("registrations", "schedulerun", "phase", SchedulePhase),
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(status__in=ACTIVE_RUN_STATUSES),
                name="registrations_schedulerun_one_active_per_edition",
            ),
            models.CheckConstraint(
                condition=Q(time_limit__gte=1) & Q(time_limit__lte=600),
                name="registrations_schedulerun_time_limit_range",
            ),
        ]

    def __str__(self) -> str:
        return _("Schedule run %(number)s of %(edition)s") % {
            "number": self.pk,
            "edition": self.edition,
        }

    def get_absolute_url(self) -> str:
        return reverse("admin:meetings_schedulerun_change", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def breaks_gap(self) -> int | None:
        """Idle gaps above the proven least: 0 means no schedule of these meetings does better."""
        if self.breaks_bound is None:
            return None
        return max(self.breaks - self.breaks_bound, 0)

    @property
    def priority_share(self) -> float | None:
        """Share of the bound's priority placed, in per cent."""
        if not self.priority_bound:
            return None
        return round(100 * self.priority_placed / self.priority_bound, 1)
