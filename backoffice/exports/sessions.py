"""Per-session attendance: one row per person per session, booked and waiting kept apart."""

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from backoffice.exports.base import (
    ColumnSpec,
    ExportList,
    as_booking,
    as_category,
    as_country,
    as_local_time,
    as_status,
    as_text,
    as_yes_no,
)
from registrations.choices import BookingStatus
from registrations.models import Attendance, SessionBooking, SessionFeedback


def as_session_title(export: ExportList):
    titles = {session.pk: session.display_title for session in export.edition.sessions.all()}
    return titles.get


class SessionAttendanceList(ExportList):
    """Who is in each session. Waiting-list rows appear only when the filters ask for them."""

    slug = "session-attendance"
    title = _("Session attendance")
    default_columns = (
        "session",
        "starts_at",
        "booking",
        "name",
        "organisation",
        "country",
        "category",
    )

    @classmethod
    def column_specs(cls) -> dict[str, ColumnSpec]:
        return {
            "session": ColumnSpec(_("Session"), "session_id", as_session_title, personal=False),
            "starts_at": ColumnSpec(
                _("Starts"), "session__starts_at", as_local_time, personal=False, time=True
            ),
            "room": ColumnSpec(_("Stream or room"), "session__room", as_text, personal=False),
            "booking": ColumnSpec(_("Booking"), "status", as_booking, personal=False),
            "place": ColumnSpec(_("Place on the waiting list"), "position", personal=False),
            "name": ColumnSpec(_("Name"), "registration__name"),
            "email": ColumnSpec(_("Email"), "registration__email"),
            "organisation": ColumnSpec(_("Organisation"), "registration__organisation"),
            "job_title": ColumnSpec(_("Job title"), "registration__job_title"),
            "country": ColumnSpec(
                _("Country"), "registration__country", as_country, personal=False
            ),
            "category": ColumnSpec(
                _("Participant category"), "registration__category", as_category, personal=False
            ),
            "phone": ColumnSpec(_("Phone"), "registration__phone", as_text),
            "status": ColumnSpec(
                _("Registration status"), "registration__status", as_status, personal=False
            ),
            "booked_at": ColumnSpec(_("Booked at"), "created_at", as_local_time, time=True),
            "attended": ColumnSpec(_("Attended"), "attended", as_yes_no, personal=False),
            "first_joined": ColumnSpec(
                _("First joined"), "first_joined", as_local_time, personal=False, time=True
            ),
            "rating": ColumnSpec(_("Rating (1 to 5)"), "rating", personal=False),
            "comment": ColumnSpec(_("Comment"), "comment", as_text),
        }

    def queryset(self, sources: list[str]) -> QuerySet:
        bookings = SessionBooking.objects.filter(
            session__edition=self.edition,
            registration__in=self.filters.registrations().values("pk"),
            status__in=self.filters.booking_statuses,
        )
        if self.filters.session is not None:
            bookings = bookings.filter(session=self.filters.session)
        attendance = Attendance.objects.filter(
            registration=OuterRef("registration"), session=OuterRef("session")
        )
        if "attended" in sources:
            bookings = bookings.annotate(attended=Exists(attendance))
        feedback = SessionFeedback.objects.filter(
            registration=OuterRef("registration"), session=OuterRef("session")
        )
        for source in ("rating", "comment"):
            if source in sources:
                bookings = bookings.annotate(**{source: Subquery(feedback.values(source)[:1])})
        if "first_joined" in sources:
            bookings = bookings.annotate(
                first_joined=Subquery(attendance.values("first_joined_at")[:1])
            )
        # Per session: the booked first, by name; then the waiting list in its order.
        return bookings.annotate(
            waiting=Case(
                When(status=BookingStatus.WAITING, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ).order_by("session__starts_at", "session_id", "waiting", "position", "registration__name")
