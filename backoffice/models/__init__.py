"""The back office's records: export log and presets, bulk emails, edited emails."""

from backoffice.models.bulk import BulkEmail
from backoffice.models.exports import ExportLog, ExportPreset
from backoffice.models.mailtemplates import MailTemplate

__all__ = ["BulkEmail", "ExportLog", "ExportPreset", "MailTemplate"]
