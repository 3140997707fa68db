"""Fixed vocabularies of business meetings: sides, modes, priorities, statuses, schedule runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


# A request in one of these can still be declined by whoever answers it.
ANSWERABLE_REQUEST_STATUSES = (
    RequestStatus.PROPOSED,
    RequestStatus.PENDING,
    RequestStatus.ACCEPTED,
)
# A request in one of these has no meeting yet: its sender may take it back.
WITHDRAWABLE_REQUEST_STATUSES = (
    RequestStatus.PENDING_REVIEW,
    RequestStatus.PENDING,
    RequestStatus.ACCEPTED,
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
