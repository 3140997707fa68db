"""Export presets (named column choices the staff share) and the export log."""

from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from backoffice.choices import ExportListKind
from backoffice.models import ExportLog, ExportPreset
from common.choices import AuditActor, ExportFormat, ExportSource
from common.db import atomic
from common.services.audit import log_action
from forum.models import Edition
from registrations.errors import RegistrationError


def save_export_preset(
    *, name: str, list_kind: str, columns: list[str], available: list[str], user
) -> ExportPreset:
    """Creates the preset, or replaces the columns of the preset of that name and list."""
    name = name.strip()
    columns = [column for column in columns if column in available]
    if not name:
        raise RegistrationError(_("Give the preset a name."), code="preset_name")
    if not columns:
        raise RegistrationError(_("Tick at least one column to save."), code="preset_columns")
    try:
        with atomic():
            preset, _created = ExportPreset.objects.update_or_create(
                list_kind=list_kind,
                name=name,
                defaults={
                    "columns": columns,
                    "created_by": user if getattr(user, "is_authenticated", False) else None,
                },
            )
    except IntegrityError as error:  # two saves of one name at once
        raise RegistrationError(
            _("Another preset of that name was saved just now; try again."), code="preset_race"
        ) from error
    log_action(
        actor=user if getattr(user, "is_authenticated", False) else AuditActor.SYSTEM,
        obj=preset,
        action="export_preset.saved",
        fields=["columns"],
        details={"list": list_kind},
    )
    return preset


def log_export(
    *,
    edition: Edition,
    user,
    source: str,
    format: str,
    filters: dict[str, Any],
    row_count: int,
    list_kind: str = ExportListKind.ATTENDEES,
) -> ExportLog:
    """`filters` must hold codes and slugs only, never a search term: the log outlives purges."""
    export = ExportLog.objects.create(
        edition=edition,
        user=user if getattr(user, "is_authenticated", False) else None,
        source=ExportSource(source),
        format=ExportFormat(format),
        filters=filters,
        row_count=row_count,
        list_kind=ExportListKind(list_kind),
    )
    log_action(
        actor=user if getattr(user, "is_authenticated", False) else AuditActor.SYSTEM,
        obj=export,
        action="export.created",
        details={"format": export.format, "source": export.source, "rows": row_count},
    )
    return export
