"""Each forum edition: its dates and zone, when registration opens, who organises it and whom
to contact."""

import datetime as dt
import zoneinfo
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.db import choices_constraint
from common.timezones import known_time_zones
from common.validators import single_line
from forum.choices import ContactPurpose, EditionFormat, OrganisationKind, OrganisationRole
from forum.models.themes import StrategicArea


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), code="invalid", params={"value": value}
        )


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True, validators=[single_line])
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, validators=[single_line]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [choices_constraint("forum", "organisation", "kind", OrganisationKind)]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class Edition(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    theme = models.CharField(_("theme"), max_length=300, blank=True, validators=[single_line])
    summary = models.TextField(_("summary"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("forum time zone"), max_length=64, default="Asia/Seoul", validators=[validate_time_zone]
    )
    format = models.CharField(
        _("format"), max_length=20, choices=EditionFormat.choices, default=EditionFormat.ONLINE
    )
    venue = models.CharField(
        _("platform or venue"), max_length=200, blank=True, help_text=_("e.g. Zoom, or a hotel")
    )
    focus_areas = models.ManyToManyField(
        StrategicArea, verbose_name=_("focus areas"), blank=True, related_name="editions"
    )
    organisations = models.ManyToManyField(
        Organisation, through="EditionOrganisation", verbose_name=_("organisers and supporters")
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    meetings_start = models.DateField(_("business meetings from"), null=True, blank=True)
    meetings_end = models.DateField(_("business meetings until"), null=True, blank=True)
    retention_days = models.PositiveIntegerField(
        _("personal-data retention (days after the last day)"), default=365
    )
    is_current = models.BooleanField(
        _("current edition"), default=False, help_text=_("The edition shown on the home page.")
    )
    is_rehearsal = models.BooleanField(
        _("rehearsal with sample data"),
        default=False,
        help_text=_(
            "Shows every visitor that this edition is a rehearsal with sample participants, "
            "not a real forum."
        ),
    )
    times_are_illustrative = models.BooleanField(
        _("clock times are illustrative"),
        default=False,
        help_text=_("Shows a notice that session times are examples, not the real schedule."),
    )
    # Part of the key of every cached public page: any change to the programme sets it anew
    # (forum/pagecache.py), so no process serves a page built from older content.
    content_changed_at = models.DateTimeField(
        _("content last changed"), default=timezone.now, editable=False
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="forum_edition_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=F("registration_opens")),
                name="forum_edition_registration_ordered",
            ),
            models.CheckConstraint(
                condition=Q(meetings_start__isnull=True)
                | Q(meetings_end__isnull=True)
                | Q(meetings_end__gte=F("meetings_start")),
                name="forum_edition_meetings_ordered",
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="forum_edition_one_current",
            ),
            choices_constraint("forum", "edition", "format", EditionFormat),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:home")

    @property
    def display_title(self) -> str:
        """The active language's title (django-modeltranslation), English when there's no other."""
        return self.title

    @cached_property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def last_day(self) -> dt.date:
        """The edition's last day with anything on it: the forum's or the meetings' last day."""
        return max(self.end_date, self.meetings_end or self.end_date)

    @property
    def ends_at(self) -> dt.datetime:
        """Midnight after the last day, in the edition's zone: from then on it took place."""
        return dt.datetime.combine(
            self.last_day + dt.timedelta(days=1), dt.time(), tzinfo=self.tzinfo
        )

    def has_ended(self, now=None) -> bool:
        """A past edition is closed everywhere: no registration, no requests, no booking."""
        return (now or timezone.now()) >= self.ends_at

    @property
    def is_past(self) -> bool:
        return self.has_ended()

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.has_ended(now):
            return False
        if self.registration_opens and now < self.registration_opens:
            return False
        return not (self.registration_closes and now >= self.registration_closes)


class RoleInProgramme(models.Model):
    """Someone's part in something, in a role, shown in order: an organisation in an edition, a
    speaker in a session. One row per (thing, who, role)."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    @staticmethod
    def role_field(roles: type[models.TextChoices]) -> models.CharField:
        return models.CharField(_("role"), max_length=20, choices=roles.choices)

    @staticmethod
    def role_constraints(
        model: str, thing: str, who: str, roles: type[models.TextChoices]
    ) -> list[models.BaseConstraint]:
        """`forum_<model>_unique` (one row per role) and the role's choices constraint."""
        return [
            models.UniqueConstraint(fields=[thing, who, "role"], name=f"forum_{model}_unique"),
            choices_constraint("forum", model, "role", roles),
        ]


class EditionOrganisation(RoleInProgramme):
    """An organisation's part in an edition: organiser, co-host or supporter."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("organisation")
    )
    role = RoleInProgramme.role_field(OrganisationRole)

    class Meta(RoleInProgramme.Meta):
        verbose_name = _("organiser or supporter")
        verbose_name_plural = _("organisers and supporters")
        constraints = RoleInProgramme.role_constraints(
            "editionorganisation", "edition", "organisation", OrganisationRole
        )

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.organisation}"


class ContactPerson(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="contacts")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ContactPurpose.choices)
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    position = models.CharField(_("position"), max_length=100, blank=True, validators=[single_line])
    unit = models.CharField(_("unit"), max_length=100, blank=True, validators=[single_line])
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[single_line])
    email = models.EmailField(_("email"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [choices_constraint("forum", "contactperson", "purpose", ContactPurpose)]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_purpose_display()})"
