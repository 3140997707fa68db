"""The back office's records: export log and presets, bulk emails."""

from backoffice.models.bulk import BulkEmail
from backoffice.models.exports import ExportLog, ExportPreset

__all__ = ["BulkEmail", "ExportLog", "ExportPreset"]
