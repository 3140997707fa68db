"""Back-office records: export log, rate-limit counters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models import Edition
from registrations.choices import (
    ExportFormat,
    ExportSource,
)
from registrations.db import choices_constraint


class ExportLog(models.Model):
    """Who exported which attendees when: a privacy requirement."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="export_logs", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    source = models.CharField(_("source"), max_length=10, choices=ExportSource.choices)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("exported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        constraints = [
            choices_constraint("exportlog", "source", ExportSource),
            choices_constraint("exportlog", "format", ExportFormat),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_format_display()} ({self.row_count})"


class RateLimitCounter(models.Model):
    """Hits per key and time window, counted by one atomic upsert shared by every app process."""

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
