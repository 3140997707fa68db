"""Records of who did what: exports so far."""

from typing import Any

from forum.models import Edition
from registrations.choices import (
    ExportFormat,
    ExportSource,
)
from registrations.models import (
    ExportLog,
)


def log_export(
    *,
    edition: Edition,
    user,
    source: str,
    format: str,
    filters: dict[str, Any],
    row_count: int,
) -> ExportLog:
    return ExportLog.objects.create(
        edition=edition,
        user=user if getattr(user, "is_authenticated", False) else None,
        source=ExportSource(source),
        format=ExportFormat(format),
        filters=filters,
        row_count=row_count,
    )
