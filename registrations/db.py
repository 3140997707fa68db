"""Database helpers shared by the registrations models and services."""

from django.db import models
from django.db.models import Q


def choices_constraint(model: str, field: str, choices) -> models.CheckConstraint:
    """Choices alone don't constrain the data; this makes the database refuse other values."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}), name=f"registrations_{model}_{field}_valid"
    )
