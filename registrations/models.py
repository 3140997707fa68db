"""Pre-registration: registrations, their session bookings and waiting lists, consents, exports."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from forum.models import Edition, Session, validate_time_zone
from registrations.choices import (
    ACTIVE_STATUSES,
    BookingStatus,
    ConsentKind,
    ConsentRequirement,
    ExportFormat,
    ExportSource,
    Language,
    ParticipantCategory,
    RegistrationStatus,
)


def choices_constraint(model: str, field: str, choices) -> models.CheckConstraint:
    """Choices alone don't constrain the data; this makes the database refuse other values."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}), name=f"registrations_{model}_{field}_valid"
    )


def new_link_key() -> str:
    return secrets.token_urlsafe(16)


class RegistrationSettings(models.Model):
    """What pre-registration needs to know about an edition beyond its programme."""

    edition = models.OneToOneField(
        Edition,
        on_delete=models.CASCADE,
        related_name="registration_settings",
        verbose_name=_("edition"),
    )
    approval_categories = models.JSONField(
        _("categories that need approval"),
        default=list,
        blank=True,
        help_text=_("Participant categories whose registrations wait for staff, e.g. media."),
    )
    confirmation_hours = models.PositiveSmallIntegerField(
        _("hours to confirm the email address"),
        default=48,
        help_text=_(
            "Seats are held this long for an unconfirmed registration; then it expires and "
            "the confirmation link stops working."
        ),
    )
    manage_link_days = models.PositiveSmallIntegerField(
        _("days a self-service link works"), default=90
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmation_hours__gte=1), name="registrations_settings_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(manage_link_days__gte=1), name="registrations_settings_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.edition)

    def needs_approval(self, category: str) -> bool:
        return category in (self.approval_categories or [])


class Registration(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=150)
    country = CountryField(_("country"))
    category = models.CharField(
        _("participant category"), max_length=30, choices=ParticipantCategory.choices
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Seoul", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    wants_meetings = models.BooleanField(_("wants 1:1 business meetings"), default=False)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.AWAITING_CONFIRMATION,
    )
    # Rotated when the email changes or the registration is cancelled: every link made with the
    # old key stops working.
    link_key = models.CharField(max_length=32, default=new_link_key, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "edition", name="registrations_registration_one_per_email"
            ),
            choices_constraint("registration", "status", RegistrationStatus),
            choices_constraint("registration", "category", ParticipantCategory),
            choices_constraint("registration", "language", Language),
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def get_absolute_url(self) -> str:
        return reverse("admin:registrations_registration_change", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class SessionBooking(models.Model):
    """A registration's place in a session: a numbered seat, or a numbered place in line."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("session")
    )
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices)
    # Seats are numbered 1..capacity and unique per session, so two processes can never take
    # the same seat: the database, not the app, caps the count. Sessions without a capacity
    # book without a seat number.
    seat = models.PositiveIntegerField(_("seat"), null=True, blank=True)
    position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("moved off the waiting list"), null=True, blank=True)

    class Meta:
        ordering = ["session__starts_at", "pk"]
        verbose_name = _("session booking")
        verbose_name_plural = _("session bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="registrations_sessionbooking_unique"
            ),
            models.UniqueConstraint(
                fields=["session", "seat"],
                condition=Q(status=BookingStatus.BOOKED),
                name="registrations_sessionbooking_one_per_seat",
            ),
            models.UniqueConstraint(
                fields=["session", "position"],
                condition=Q(status=BookingStatus.WAITING),
                name="registrations_sessionbooking_one_per_place",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=BookingStatus.BOOKED, position__isnull=True)
                    & (Q(seat__isnull=True) | Q(seat__gte=1))
                )
                | Q(status=BookingStatus.WAITING, seat__isnull=True, position__gte=1),
                name="registrations_sessionbooking_seat_or_place",
            ),
            choices_constraint("sessionbooking", "status", BookingStatus),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.registration.name} — {self.session} ({self.get_status_display()})"


class ConsentText(models.Model):
    """The wording of one consent for one edition, in a numbered version."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="consent_texts", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    version = models.CharField(_("version"), max_length=20)
    text_en = models.TextField(_("text in English"))
    text_ko = models.TextField(_("text in Korean"), blank=True)
    requirement = models.CharField(
        _("requirement"), max_length=20, choices=ConsentRequirement.choices
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["edition", "kind", "-created_at", "-pk"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "version"], name="registrations_consenttext_unique"
            ),
            choices_constraint("consenttext", "kind", ConsentKind),
            choices_constraint("consenttext", "requirement", ConsentRequirement),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def text(self) -> str:
        return self.text_ko if get_language() == "ko" and self.text_ko else self.text_en

    def is_required(self, *, wants_meetings: bool) -> bool:
        if self.requirement == ConsentRequirement.REQUIRED:
            return True
        return self.requirement == ConsentRequirement.WITH_MEETINGS and wants_meetings


class Consent(models.Model):
    """A consent given by a registration: which text, when; and when it was withdrawn."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("registration"),
    )
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="consents", verbose_name=_("text")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    version = models.CharField(_("version"), max_length=20)
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="registrations_consent_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="registrations_consent_withdrawn_after_given",
            ),
            choices_constraint("consent", "kind", ConsentKind),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class ExportLog(models.Model):
    """Who exported which attendees when: a privacy requirement."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="export_logs", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    source = models.CharField(_("source"), max_length=10, choices=ExportSource.choices)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("exported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        constraints = [
            choices_constraint("exportlog", "source", ExportSource),
            choices_constraint("exportlog", "format", ExportFormat),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_format_display()} ({self.row_count})"


class RateLimitCounter(models.Model):
    """Hits per key and time window, counted by one atomic upsert shared by every app process."""

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
