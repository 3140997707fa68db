"""Vocabularies every app shares: languages, who acted, email states, export formats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    KOREAN = "ko", _("Korean")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportSource(models.TextChoices):
    ADMIN = "admin", _("Admin")
    COMMAND = "command", _("Command line")


class AuditActor(models.TextChoices):
    STAFF = "staff", _("Staff")
    ATTENDEE = "attendee", _("Attendee")
    SYSTEM = "system", _("System")


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will retry")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not needed any more")
    # Refused for good (the mail server's 5xx, a header that can't be written): never retried.
    UNDELIVERABLE = "refused", _("Undeliverable, not retried")
