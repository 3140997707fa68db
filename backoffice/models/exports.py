"""Back-office records: the export log and the export column presets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.choices import ExportListKind
from common.choices import ExportFormat, ExportSource
from common.db import choices_constraint
from common.times import shown
from common.validators import single_line
from forum.models import Edition


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
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_exportlog"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        constraints = [
            choices_constraint("registrations", "exportlog", "source", ExportSource),
            choices_constraint("registrations", "exportlog", "format", ExportFormat),
            choices_constraint("registrations", "exportlog", "list_kind", ExportListKind),
        ]

    def __str__(self) -> str:
        when = shown(self.created_at, "SHORT_DATETIME_FORMAT")
        return f"{when} {self.get_format_display()} ({self.row_count})"


class ExportPreset(models.Model):
    """A named choice of columns for one list, shared by the staff (e.g. "For the co-host")."""

    name = models.CharField(_("name"), max_length=100, validators=[single_line])
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
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_exportpreset"
        ordering = ["list_kind", "name"]
        verbose_name = _("export preset")
        verbose_name_plural = _("export presets")
        constraints = [
            models.UniqueConstraint(
                fields=["list_kind", "name"], name="registrations_exportpreset_unique"
            ),
            choices_constraint("registrations", "exportpreset", "list_kind", ExportListKind),
        ]
        # The back office's own permissions: the dashboard shows counts only (a Viewer may see
        # it); exporting personal data is a separate right (Organisers).
        permissions = [
            ("view_dashboard", _("Can see the back-office dashboard (counts only)")),
            ("export_personal_data", _("Can export lists with personal data")),
        ]

    def __str__(self) -> str:
        return f"{self.get_list_kind_display()}: {self.name}"
