"""The programme of each edition: sessions, speakers and the ASEAN projects presented."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.db import choices_constraint
from common.validators import single_line
from forum.choices import FinancingMode, ProjectStage, SessionKind, SpeakerRole
from forum.models.editions import Edition, Organisation, RoleInProgramme
from forum.models.themes import Sector, StrategicArea


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


# Session fields that only the seat service writes (registrations/services/seats.py).
SEAT_COUNTERS = frozenset({"seats_taken", "last_waiting_place"})


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
    # Kept by the registrations' seat service with one conditional UPDATE per sign-up (the
    # database refuses more seats than the capacity), and recounted under the session's lock
    # whenever seats are freed or the capacity changes. For limited sessions only; never saved
    # from a stale object (see `save`).
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    # The last place given on the waiting list: a queue number that only grows.
    last_waiting_place = models.PositiveIntegerField(
        _("last place given on the waiting list"), default=0, editable=False
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
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="forum_session_seats_within_capacity",
            ),
            choices_constraint("forum", "session", "kind", SessionKind),
        ]
        indexes = [models.Index(fields=["edition", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The seat counters change under sign-ups many times a second: a whole-row save (the
        # admin's, a script's) writes everything but them, so it never puts back a count it
        # read earlier.
        whole_row_update = (
            self.pk is not None
            and not self._state.adding
            and not kwargs.get("force_insert")
            and kwargs.get("update_fields") is None
        )
        if whole_row_update:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in SEAT_COUNTERS
            ]
        super().save(*args, **kwargs)

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


class SessionSpeaker(RoleInProgramme):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="appearances")
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("speaker")
    )
    role = RoleInProgramme.role_field(SpeakerRole)

    class Meta(RoleInProgramme.Meta):
        verbose_name = _("speaker in session")
        verbose_name_plural = _("speakers in session")
        constraints = RoleInProgramme.role_constraints(
            "sessionspeaker", "session", "speaker", SpeakerRole
        )

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
