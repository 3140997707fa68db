"""Fixed vocabularies of pre-registration: categories, statuses, consents, languages, exports."""

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


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    KOREAN = "ko", _("Korean")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportListKind(models.TextChoices):
    ATTENDEES = "attendees", _("Attendees")
    SESSION_ATTENDANCE = "session-attendance", _("Session attendance")
    MEETINGS_BY_PARTICIPANT = "meetings-by-participant", _("Meetings by participant")
    MEETINGS_BY_DAY = "meetings-by-day", _("Meetings by day")


class ExportSource(models.TextChoices):
    ADMIN = "admin", _("Admin")
    COMMAND = "command", _("Command line")


class AuditActor(models.TextChoices):
    STAFF = "staff", _("Staff")
    ATTENDEE = "attendee", _("Attendee")
    SYSTEM = "system", _("System")


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will retry")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not needed any more")


class EmailKind:
    """The kinds of email of registration; each has one builder in emails/registrations.py.

    Not a choices field: other sub-domains (meetings) register kinds of their own.
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


# Business meetings ------------------------------------------------------------------------------


class ProfileSide(models.TextChoices):
    # The first three values are registrations/matching.py's sides.
    COMPANY = "company", _("Company looking for projects")
    PROJECT_OWNER = "project_owner", _("Project owner")
    FINANCIER = "financier", _("Financier or international organisation")
    OTHER = "other", _("Other")


class BookingMode(models.TextChoices):
    SELF_BOOKING = "self_booking", _("Self-booking: the receiver picks a slot on accepting")
    ORGANISER = "organiser", _("Organiser-scheduled: accepted requests wait for the scheduler")


class MeetingPriority(models.TextChoices):
    MUST = "must", _("Must meet")
    WOULD_LIKE = "would_like", _("Would like to meet")


class RequestStatus(models.TextChoices):
    PROPOSED = "proposed", _("Suggested by the organisers")
    PENDING_REVIEW = "pending_review", _("Awaiting staff review")
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted, waiting for a slot")
    BOOKED = "booked", _("Booked")
    DECLINED = "declined", _("Declined")
    REJECTED = "rejected", _("Not forwarded by staff")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


# While a request is in one of these, the same two people can't open another one.
OPEN_REQUEST_STATUSES = (
    RequestStatus.PROPOSED,
    RequestStatus.PENDING_REVIEW,
    RequestStatus.PENDING,
    RequestStatus.ACCEPTED,
    RequestStatus.BOOKED,
)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingOutcome(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    PROPOSAL = "proposal", _("Proposal to send")
    MOU = "mou", _("MoU discussed")
    NO_FIT = "no_fit", _("No fit")
    NOT_HELD = "not_held", _("Did not take place")


class UnavailableReason(models.TextChoices):
    MARKED = "marked", _("Marked by the participant")
    OUTSIDE_HOURS = "outside_hours", _("Outside 08:00–19:00 in the participant's time zone")


# Languages a business profile can list: the forum's region and its usual lingua francas.
MEETING_LANGUAGES = [
    ("en", _("English")),
    ("ko", _("Korean")),
    ("id", _("Indonesian")),
    ("ms", _("Malay")),
    ("vi", _("Vietnamese")),
    ("th", _("Thai")),
    ("tl", _("Filipino")),
    ("km", _("Khmer")),
    ("lo", _("Lao")),
    ("my", _("Burmese")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
    ("fr", _("French")),
]


class ScheduleRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("draft ready")
    FAILED = "failed", _("failed")
    PUBLISHED = "published", _("published")
    DISCARDED = "discarded", _("discarded")


# A run that is queued or running holds the edition: one run at a time.
ACTIVE_RUN_STATUSES = (ScheduleRunStatus.QUEUED, ScheduleRunStatus.RUNNING)


class SchedulePhase(models.TextChoices):
    WAITING = "waiting", _("waiting for a worker")
    LOADING = "loading", _("reading requests, slots and availability")
    FIRST_DRAFT = "first_draft", _("first draft (greedy)")
    OPTIMISING = "optimising", _("optimising")
    SAVING = "saving", _("saving the draft")
    FINISHED = "finished", _("finished")
