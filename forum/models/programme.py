"""The programme of each forum edition: editions, sessions, speakers, sectors and ASEAN projects."""

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
from forum.choices import (
    ContactPurpose,
    EditionFormat,
    FinancingMode,
    OrganisationKind,
    OrganisationRole,
    ProjectStage,
    SessionKind,
    SpeakerRole,
)


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), code="invalid", params={"value": value}
        )


class BilingualName:
    """Mixin: `display_name`, kept for callers; django-modeltranslation (forum/translation.py)
    makes `name` itself the active language's value, English when there is no Korean one."""

    name: str

    @property
    def display_name(self) -> str:
        return self.name


class StrategicArea(BilingualName, models.Model):
    """One of the five strategic areas of the Master Plan on ASEAN Connectivity (MPAC) 2025."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("strategic area")
        verbose_name_plural = _("strategic areas")

    def __str__(self) -> str:
        return self.name


class Sector(BilingualName, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[single_line])

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


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


class EditionOrganisation(models.Model):
    """An organisation's part in an edition: organiser, co-host or supporter."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("organiser or supporter")
        verbose_name_plural = _("organisers and supporters")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organisation", "role"], name="forum_editionorganisation_unique"
            ),
            choices_constraint("forum", "editionorganisation", "role", OrganisationRole),
        ]

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


class Speaker(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    honorific = models.CharField(
        _("honorific"), max_length=20, blank=True, help_text="H.E., Dr.", validators=[single_line]
    )
    name = models.CharField(_("name"), max_length=150, validators=[single_line])
    position = models.CharField(_("position"), max_length=250, blank=True, validators=[single_line])
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speakers",
        verbose_name=_("organisation"),
    )
    country = CountryField(_("country"), blank=True)
    biography = models.TextField(_("biography"), blank=True)
    name_announced = models.BooleanField(
        _("name announced"),
        default=True,
        help_text=_("Off while only the speaker's organisation is known."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class Session(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("edition")
    )
    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=250, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=30, choices=SessionKind.choices)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    room = models.CharField(
        _("stream or room"), max_length=100, blank=True, validators=[single_line]
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="sessions"
    )
    strategic_areas = models.ManyToManyField(
        StrategicArea, verbose_name=_("strategic areas"), blank=True, related_name="sessions"
    )
    speakers = models.ManyToManyField(Speaker, through="SessionSpeaker", related_name="sessions")

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="forum_session_unique_slug"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="forum_session_starts_before_end"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="forum_session_capacity_positive",
            ),
            choices_constraint("forum", "session", "kind", SessionKind),
        ]
        indexes = [models.Index(fields=["edition", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # The current edition's sessions have the short address; every edition's, past ones
        # included, have one with the edition's number (slugs are unique per edition only).
        if self.edition.is_current:
            return reverse("forum:session", kwargs={"slug": self.slug})
        return reverse(
            "forum:edition_session", kwargs={"number": self.edition.number, "slug": self.slug}
        )

    @property
    def display_title(self) -> str:
        """The active language's title (django-modeltranslation), English when there's no other."""
        return self.title

    @property
    def day(self):
        """The session's date in the forum's own time zone."""
        return timezone.localtime(self.starts_at, self.edition.tzinfo).date()


class SessionSpeaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="appearances")
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("speaker")
    )
    role = models.CharField(_("role"), max_length=20, choices=SpeakerRole.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("speaker in session")
        verbose_name_plural = _("speakers in session")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker", "role"], name="forum_sessionspeaker_unique"
            ),
            choices_constraint("forum", "sessionspeaker", "role", SpeakerRole),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} — {self.get_role_display()}"


class Project(models.Model):
    """A connectivity project that an ASEAN member state presents to potential partners."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="projects", verbose_name=_("edition")
    )
    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=250, validators=[single_line])
    country = CountryField(_("country"))
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="projects", verbose_name=_("sector")
    )
    summary = models.TextField(_("summary"), blank=True)
    implementing_agency = models.CharField(
        _("implementing agency"), max_length=250, blank=True, validators=[single_line]
    )
    estimated_cost_usd = models.DecimalField(
        _("estimated cost (USD)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    financing_mode = models.CharField(
        _("financing mode"),
        max_length=20,
        choices=FinancingMode.choices,
        default=FinancingMode.OPEN,
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=ProjectStage.choices, default=ProjectStage.CONCEPT
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("presented in session"),
    )
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demo data, shown with a ‘sample’ label.")
    )

    class Meta:
        ordering = ["country", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="forum_project_unique_slug"),
            models.CheckConstraint(
                condition=Q(estimated_cost_usd__isnull=True) | Q(estimated_cost_usd__gte=0),
                name="forum_project_cost_not_negative",
            ),
            choices_constraint("forum", "project", "financing_mode", FinancingMode),
            choices_constraint("forum", "project", "stage", ProjectStage),
        ]

    def __str__(self) -> str:
        return self.title
