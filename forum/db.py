"""Database helpers every app shares: the check constraint that makes a field's choices binding."""

from django.db import models
from django.db.models import Q


def choices_constraint(app_label: str, model: str, field: str, choices) -> models.CheckConstraint:
    """Choices alone don't constrain the data; this makes the database refuse other values.

    Named `<app>_<model>_<field>_valid`, the project's naming rule for constraints.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}), name=f"{app_label}_{model}_{field}_valid"
    )
