"""Registrations, their session bookings and waiting lists, and registration settings."""

import secrets
import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.choices import Language
from common.db import choices_constraint
from common.models import OutgoingEmail
from common.validators import single_line
from forum.models import Edition, Session, validate_time_zone
from registrations.choices import (
    ACTIVE_STATUSES,
    BookingStatus,
    ParticipantCategory,
    RegistrationStatus,
)

# Bounds of the registration settings, (lowest, highest), kept by the database too.
CONFIRMATION_HOURS = (12, 168)
MANAGE_LINK_DAYS = (7, 180)
JOIN_OPENS_MINUTES = (0, 120)


# The attendee's own details, in the order pages show them: what the attendee gives on the form
# and what staff may correct. Services, the admin and the forms take their field lists from here.
ATTENDEE_FIELDS = (
    "name",
    "name_latin",
    "email",
    "organisation",
    "organisation_en",
    "job_title",
    "country",
    "category",
    "phone",
    "time_zone",
    "language",
    "wants_meetings",
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
        validators=[
            MinValueValidator(CONFIRMATION_HOURS[0]),
            MaxValueValidator(CONFIRMATION_HOURS[1]),
        ],
        help_text=_(
            "Seats are held this long for an unconfirmed registration; then it expires and "
            "the confirmation link stops working. Between 12 hours and 7 days."
        ),
    )
    manage_link_days = models.PositiveSmallIntegerField(
        _("days a self-service link works"),
        default=90,
        validators=[MinValueValidator(MANAGE_LINK_DAYS[0]), MaxValueValidator(MANAGE_LINK_DAYS[1])],
        help_text=_("Between 7 and 180 days."),
    )
    join_opens_minutes = models.PositiveSmallIntegerField(
        _("minutes a join link opens before the start"),
        default=15,
        validators=[
            MinValueValidator(JOIN_OPENS_MINUTES[0]),
            MaxValueValidator(JOIN_OPENS_MINUTES[1]),
        ],
        help_text=_(
            "Before that, an attendee's personal join link shows a waiting page. Between 0 and "
            "120 minutes."
        ),
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")
        constraints = [
            # Sane bounds: an hour would expire people before they read their email (and the
            # next expiry run would delete them); thousands keep personal links alive for years.
            models.CheckConstraint(
                condition=Q(confirmation_hours__range=CONFIRMATION_HOURS),
                name="registrations_settings_hours_bounded",
            ),
            models.CheckConstraint(
                condition=Q(manage_link_days__range=MANAGE_LINK_DAYS),
                name="registrations_settings_days_bounded",
            ),
            models.CheckConstraint(
                condition=Q(join_opens_minutes__range=JOIN_OPENS_MINUTES),
                name="registrations_settings_join_minutes_bounded",
            ),
        ]

    def __str__(self) -> str:
        return str(self.edition)

    def needs_approval(self, category: str) -> bool:
        return category in (self.approval_categories or [])


class Registration(models.Model):
    # What links carry instead of the sequential primary key: it says nothing about how many
    # registrations there are and can't be guessed from another one.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Looked up through the (edition, status) index, which leads with it: a second index on
    # the edition alone would only cost every sign-up one more index entry to write.
    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("edition"),
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=150, validators=[single_line])
    # Asked for when the name or the organisation is in a script other than Latin (common/
    # scripts.py), so that counterparts who read only Latin letters can read them.
    name_latin = models.CharField(
        _("name in Latin letters"), max_length=150, blank=True, validators=[single_line]
    )
    email = models.EmailField(_("email"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, validators=[single_line])
    organisation_en = models.CharField(
        _("organisation in English"), max_length=200, blank=True, validators=[single_line]
    )
    job_title = models.CharField(_("job title"), max_length=150, validators=[single_line])
    country = CountryField(_("country"))
    category = models.CharField(
        _("participant category"), max_length=30, choices=ParticipantCategory.choices
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[single_line])
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Seoul", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    wants_meetings = models.BooleanField(_("wants 1:1 business meetings"), default=False)
    # The demo's sample participants: their names carry a "Sample:" label in the reader's
    # language wherever others see them (`name_both`), not one typed into the name.
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demo data, shown with a ‘sample’ label.")
    )
    wants_reminders = models.BooleanField(
        _("wants session reminders"),
        default=True,
        help_text=_("Emails the day before and an hour before each booked session."),
    )
    # A new address asked for on the self-service page: it replaces `email` only once its inbox
    # confirms it, so the page looks the same whether or not the address is registered already.
    pending_email = models.EmailField(
        _("new email, not confirmed yet"), max_length=254, blank=True, default=""
    )
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
    # The emails to this person (the outbox refers to its recipients generically): deleted with
    # the registration, so purging personal data leaves no address or message behind.
    outgoing_emails = GenericRelation(
        OutgoingEmail,
        content_type_field="recipient_type",
        object_id_field="recipient_id",
        related_query_name="registration",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One active registration per address and edition; a cancelled or rejected one
            # doesn't stop the address from registering again.
            models.UniqueConstraint(
                Lower("email"),
                "edition",
                condition=Q(status__in=ACTIVE_STATUSES),
                name="registrations_registration_one_active_per_email",
            ),
            choices_constraint("registrations", "registration", "status", RegistrationStatus),
            choices_constraint("registrations", "registration", "category", ParticipantCategory),
            choices_constraint("registrations", "registration", "language", Language),
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        # Staff read it in every admin list and choice: the Latin name beside one in Hangul.
        return f"{both(self.name, self.name_latin)} <{self.email}>"

    def get_absolute_url(self) -> str:
        return reverse("admin:registrations_registration_change", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def name_both(self) -> str:
        """The name as written, with the Latin one beside it when there is one: "김민준 (Kim
        Min-jun)" — what a counterpart of either script can read."""
        return self.labelled(both(self.name, self.name_latin))

    @property
    def organisation_both(self) -> str:
        return self.labelled(both(self.organisation, self.organisation_en))

    def labelled(self, text: str) -> str:
        """`text` (this person's name or organisation) with the sample label in the active
        language when this is one of the demo's sample participants."""
        return gettext("Sample: %(name)s") % {"name": text} if self.is_sample else text

    @property
    def name_latin_or_name(self) -> str:
        return self.name_latin or self.name

    @property
    def organisation_en_or_organisation(self) -> str:
        return self.organisation_en or self.organisation


def both(main: str, latin: str) -> str:
    return f"{main} ({latin})" if latin and latin != main else main


class SessionBooking(models.Model):
    """A registration's place in a session: a numbered seat, or a numbered place in line."""

    # Both keys are found through the unique (registration, session) and the (session,
    # status) indexes, which lead with them; no index of their own (one less to write a booking).
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("registration"),
        db_index=False,
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("session"),
        db_index=False,
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
            choices_constraint("registrations", "sessionbooking", "status", BookingStatus),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.registration.name} — {self.session} ({self.get_status_display()})"

    @property
    def is_waiting(self) -> bool:
        return self.status == BookingStatus.WAITING
