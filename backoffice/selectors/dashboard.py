"""The dashboard's counts for one edition: grouped queries only, so their number never grows."""

import datetime as dt

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate

from forum.models import Edition
from meetings.choices import MeetingStatus
from meetings.models import Meeting, MeetingRequest
from registrations.choices import ACTIVE_STATUSES, BookingStatus, RegistrationStatus
from registrations.models import Registration, SurveyAnswer, SurveyQuestion


def registrations_by(*, edition: Edition, field: str) -> list[tuple[str, int]]:
    """(code, count) of the edition's registrations per value of `field`, largest first."""
    return list(
        Registration.objects.filter(edition=edition)
        .values_list(field)
        .annotate(count=Count("pk"))
        .order_by("-count", field)
    )


def active_registrations_by(*, edition: Edition, field: str) -> list[tuple[str, int]]:
    """The same, counting only registrations that hold their places (not cancelled/rejected)."""
    return list(
        Registration.objects.filter(edition=edition, status__in=ACTIVE_STATUSES)
        .values_list(field)
        .annotate(count=Count("pk"))
        .order_by("-count", field)
    )


def session_seats(*, edition: Edition) -> list[dict]:
    """Per session in programme order: title, start, capacity, seats taken, people waiting."""
    return list(
        edition.sessions.order_by("starts_at", "pk").annotate(
            booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)),
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        )
    )


def meeting_requests_by_status(*, edition: Edition) -> list[tuple[str, int]]:
    return list(
        MeetingRequest.objects.filter(edition=edition)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by("-count", "status")
    )


def meetings_per_day(*, edition: Edition) -> list[tuple[dt.date, int]]:
    """Scheduled meetings per day in the forum's time zone."""
    return list(
        Meeting.objects.filter(edition=edition, status=MeetingStatus.SCHEDULED)
        .annotate(day=TruncDate("slot__starts_at", tzinfo=edition.tzinfo))
        .values_list("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )


def session_attendance(*, edition: Edition) -> list:
    """Per session in programme order: registered (active, seat or waiting), confirmed (a
    confirmed registration's seat) and attended (used the join link or marked by staff)."""
    active = Q(bookings__registration__status__in=ACTIVE_STATUSES)
    return list(
        edition.sessions.order_by("starts_at", "pk").annotate(
            registered=Count("bookings", filter=active, distinct=True),
            confirmed=Count(
                "bookings",
                filter=Q(
                    bookings__status=BookingStatus.BOOKED,
                    bookings__registration__status=RegistrationStatus.CONFIRMED,
                ),
                distinct=True,
            ),
            attended=Count("attendances", distinct=True),
        )
    )


def attendance_by(*, edition: Edition, field: str) -> list[tuple[str, int, int]]:
    """(code, confirmed, attended) per value of `field`: confirmed registrations, and people
    who attended at least one session; most attended first."""
    rows = (
        Registration.objects.filter(edition=edition)
        .values_list(field)
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED), distinct=True),
            attended=Count("pk", filter=Q(attendances__isnull=False), distinct=True),
        )
        .order_by("-attended", "-confirmed", field)
    )
    return [row for row in rows if row[1] or row[2]]


def session_ratings(*, edition: Edition) -> list:
    """Per session that has ratings, in programme order: how many, and their average."""
    return list(
        edition.sessions.order_by("starts_at", "pk")
        .annotate(ratings=Count("feedback"), average=Avg("feedback__rating"))
        .filter(ratings__gt=0)
    )


def survey_results(*, edition: Edition) -> list[dict]:
    """Each survey question in order with its answers counted: how many, the average rating,
    how many chose each choice. Two grouped queries whatever the number of questions."""
    questions = list(
        SurveyQuestion.objects.filter(edition=edition)
        .order_by("position", "pk")
        .annotate(answered=Count("answers"), average=Avg("answers__rating"))
    )
    chosen: dict[int, dict[int, int]] = {}
    for question_id, choice, count in (
        SurveyAnswer.objects.filter(question__edition=edition, choice__isnull=False)
        .values_list("question_id", "choice")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        chosen.setdefault(question_id, {})[choice] = count
    return [{"question": question, "chosen": chosen.get(question.pk, {})} for question in questions]
