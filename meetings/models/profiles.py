"""Business profiles: what a participant offers and seeks, and whether they are listed."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.db import choices_constraint
from forum.models import Project, Sector
from meetings.choices import (
    ProfileSide,
)
from registrations.models.registration import Registration


def new_calendar_secret() -> str:
    return secrets.token_urlsafe(24)


class BusinessProfile(models.Model):
    """What a registration that takes part in business meetings shows the other sides."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="business_profile",
        verbose_name=_("registration"),
    )
    side = models.CharField(_("side"), max_length=20, choices=ProfileSide.choices)
    description = models.TextField(_("about the organisation"), blank=True)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="business_profiles", verbose_name=_("sectors")
    )
    countries_of_interest = CountryField(_("countries of interest"), multiple=True, blank=True)
    projects_presented = models.ManyToManyField(
        Project,
        blank=True,
        related_name="presenting_profiles",
        verbose_name=_("projects presented"),
    )
    projects_of_interest = models.ManyToManyField(
        Project,
        blank=True,
        related_name="interested_profiles",
        verbose_name=_("projects of interest"),
    )
    offer = models.TextField(_("what we offer"), blank=True)
    seek = models.TextField(_("what we seek"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    listed = models.BooleanField(
        _("listed in the directory"),
        default=True,
        help_text=_("Shown to the other participants and in their recommendations."),
    )
    # The personal calendar feed's address; a new value revokes the old address.
    calendar_secret = models.CharField(
        max_length=40, unique=True, default=new_calendar_secret, editable=False
    )
    # Until the participant saves their availability, the default (08:00–19:00 in their own
    # time zone) follows their time zone.
    availability_saved_at = models.DateTimeField(_("availability saved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_businessprofile"
        ordering = ["registration__organisation", "pk"]
        verbose_name = _("business profile")
        verbose_name_plural = _("business profiles")
        constraints = [choices_constraint("registrations", "businessprofile", "side", ProfileSide)]

    def __str__(self) -> str:
        return f"{self.registration.organisation} — {self.registration.name}"

    def get_absolute_url(self) -> str:
        return reverse("admin:meetings_businessprofile_change", args=[self.pk])


class ProfileIndexVersion(models.Model):
    """One row whose token every change to the business profiles (their sectors, projects) and
    to projects and sectors replaces: app processes keep the candidates' features for
    recommendations under it (`meetings/selectors/recommendations.py`)."""

    # Never shown to anyone (no admin page): its names need no translation.
    token = models.UUIDField("version")

    class Meta:
        verbose_name = "version of the business profiles"
        verbose_name_plural = "versions of the business profiles"

    def __str__(self) -> str:
        return str(self.token)
