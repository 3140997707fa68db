"""Fixed vocabularies of pre-registration: categories, statuses, consents, email kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantCategory(models.TextChoices):
    KOREAN_COMPANY = "korean_company", _("Korean company")
    ASEAN_GOVERNMENT = "asean_government", _("ASEAN government / project owner")
    INTERNATIONAL = "international", _("International organisation")
    FINANCIAL = "financial", _("Financial institution")
    ACADEMIA = "academia", _("Academia / think tank")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class RegistrationStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting email confirmation")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


# A registration in one of these holds its seats and waiting-list places.
ACTIVE_STATUSES = (
    RegistrationStatus.AWAITING_CONFIRMATION,
    RegistrationStatus.AWAITING_APPROVAL,
    RegistrationStatus.CONFIRMED,
)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    WAITING = "waiting", _("Waiting list")


class ConsentKind(models.TextChoices):
    COLLECTION = "collection", _("Collection and use of personal data")
    SHARING = "sharing", _("Sharing my profile with meeting counterparts")
    TRANSFER = "transfer", _("Transfer of personal data abroad")
    MARKETING = "marketing", _("News about future forums")


class ConsentRequirement(models.TextChoices):
    REQUIRED = "required", _("Required to register")
    WITH_MEETINGS = "with_meetings", _("Required with business meetings")
    OPTIONAL = "optional", _("Optional")


class EmailKind:
    """The kinds of email of registration, declared in emails/registrations.py (`KINDS`), each
    with its template in templates/emails/kinds/.

    Not a choices field: the other apps (meetings, the back office) declare kinds of their own.
    """

    CONFIRM = "confirm"  # double opt-in: confirm your address
    CONFIRM_NEW_ADDRESS = "confirm_new_address"
    ADDRESS_CHANGED = "address_changed"  # notice to the old address
    ALREADY_REGISTERED = "already_registered"  # someone registered this address again
    MANAGE_LINK = "manage_link"  # "send me my link"
    CONFIRMED = "confirmed"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    PROMOTED = "promoted"
    SESSION_REMINDER = "session_reminder"  # the day before / an hour before (emails/online.py)
    AFTER_FORUM = "after_forum"  # thanks, recordings, materials


class AttendanceSource(models.TextChoices):
    """How an attendance was recorded: the join link, or staff from the platform's report."""

    LINK = "link", _("Join link")
    MANUAL = "manual", _("Marked by staff")


class ReminderKind(models.TextChoices):
    """The online forum's emails that go once: per session, or once per registration."""

    DAY_BEFORE = "day_before", _("Reminder within a day")
    HOUR_BEFORE = "hour_before", _("Reminder within the hour")
    AFTER_FORUM = "after_forum", _("After the forum")


class SurveyQuestionKind(models.TextChoices):
    """What an after-forum survey question asks for."""

    RATING = "rating", _("A rating from 1 to 5")
    CHOICE = "choice", _("One of the choices")
    TEXT = "text", _("A text")
