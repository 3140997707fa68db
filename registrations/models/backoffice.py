"""Back-office records: export log, export column presets, rate-limit counters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models import Edition
from registrations.choices import (
    ExportFormat,
    ExportListKind,
    ExportSource,
)
from registrations.db import choices_constraint


class ExportLog(models.Model):
    """Who exported which list when, with which filters and how many rows: a privacy requirement.

    `filters` holds codes and slugs only (status, category, country, session, consent), never a
    search term or anything else personal, so the log outlives the attendees' data.
    """

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
    list_kind = models.CharField(
        _("list"), max_length=30, choices=ExportListKind.choices, default=ExportListKind.ATTENDEES
    )
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
            choices_constraint("exportlog", "list_kind", ExportListKind),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_format_display()} ({self.row_count})"


class ExportPreset(models.Model):
    """A named choice of columns for one list, shared by the staff (e.g. "For the co-host")."""

    name = models.CharField(_("name"), max_length=100)
    list_kind = models.CharField(_("list"), max_length=30, choices=ExportListKind.choices)
    columns = models.JSONField(_("columns"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["list_kind", "name"]
        verbose_name = _("export preset")
        verbose_name_plural = _("export presets")
        constraints = [
            models.UniqueConstraint(
                fields=["list_kind", "name"], name="registrations_exportpreset_unique"
            ),
            choices_constraint("exportpreset", "list_kind", ExportListKind),
        ]
        # The back office's own permissions: the dashboard shows counts only (a Viewer may see
        # it); exporting personal data is a separate right (Organisers).
        permissions = [
            ("view_dashboard", _("Can see the back-office dashboard (counts only)")),
            ("export_personal_data", _("Can export lists with personal data")),
        ]

    def __str__(self) -> str:
        return f"{self.get_list_kind_display()}: {self.name}"


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
