"""Export presets: named column choices the staff share."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from registrations.errors import RegistrationError
from registrations.models import ExportPreset


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
        with transaction.atomic():
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
    return preset
