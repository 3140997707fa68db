"""The attendee list: one row per registration, sessions and consents aggregated by the database."""

from collections.abc import Callable

from django.db.models import CharField, Min, OuterRef, QuerySet, Subquery, Value
from django.db.models.aggregates import StringAgg
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from backoffice.exports.base import (
    ColumnSpec,
    ExportList,
    as_category,
    as_country,
    as_language,
    as_local_time,
    as_status,
    as_text,
    as_yes_no,
    country_names,
    labels,
)
from backoffice.exports.copy_csv import (
    Joined,
    SqlColumn,
    local_time_cell,
    sql_label,
    sql_labels_joined,
    sql_local_minute,
    sql_plain,
    sql_text,
    sql_yes_no,
    with_cell,
)
from common.choices import Language
from registrations.choices import (
    BookingStatus,
    ConsentKind,
    ParticipantCategory,
    RegistrationStatus,
)
from registrations.models import Attendance, Consent, SessionBooking


def sessions_of(status: str) -> Subquery:
    """The ids of a registration's sessions with a booking in `status`, comma-separated.

    Unordered: SQLite can't order inside an aggregate; the column sorts them by programme order.
    """
    return Subquery(
        SessionBooking.objects.filter(registration=OuterRef("pk"), status=status)
        .order_by()  # no join to sessions for the model's default ordering
        .values("registration")
        .annotate(ids=StringAgg(Cast("session_id", CharField()), Value(",")))
        .values("ids")
    )


def sessions_attended() -> Subquery:
    """The ids of the sessions a registration attended (join link or marked by staff)."""
    return Subquery(
        Attendance.objects.filter(registration=OuterRef("pk"))
        .order_by()
        .values("registration")
        .annotate(ids=StringAgg(Cast("session_id", CharField()), Value(",")))
        .values("ids")
    )


def first_joined() -> Subquery:
    """When the registration first joined any session online."""
    return Subquery(
        Attendance.objects.filter(registration=OuterRef("pk"))
        .order_by()
        .values("registration")
        .annotate(first=Min("first_joined_at"))
        .values("first")
    )


def consents_in_force() -> Subquery:
    return Subquery(
        Consent.objects.filter(registration=OuterRef("pk"), withdrawn_at__isnull=True)
        .order_by()
        .values("registration")
        .annotate(kinds=StringAgg("kind", Value(",")))
        .values("kinds")
    )


def session_titles(export: ExportList) -> dict[str, tuple[int, str]]:
    """Each session of the edition by its key: its place in the programme, its title."""
    sessions = export.edition.sessions.order_by("starts_at", "pk")
    return {
        str(session.pk): (order, session.display_title) for order, session in enumerate(sessions)
    }


def as_session_titles(export: ExportList):
    titles = session_titles(export)

    def convert(ids: str | None) -> str:
        if not ids:
            return ""
        if "," not in ids:
            return titles[ids][1]
        return "; ".join(title for _order, title in sorted(titles[pk] for pk in ids.split(",")))

    return convert


def as_consent_labels(export: ExportList):
    names = labels(ConsentKind.choices)
    order = list(names)

    def convert(kinds: str | None) -> str:
        if not kinds:
            return ""
        return "; ".join(names[kind] for kind in sorted(kinds.split(","), key=order.index))

    return convert


# The same in SQL, for PostgreSQL's COPY (copy_csv.py): the titles and labels aggregated by
# the database in programme (or consent) order, instead of the keys the Python writer reads.
def sql_session_titles(rows: Callable[[], QuerySet]):
    def column(export: ExportList, source: str):
        titles = session_titles(export)
        return sql_labels_joined(
            rows(),
            "session_id",
            {pk: title for pk, (_order, title) in titles.items()},
            {pk: order for pk, (order, _title) in titles.items()},
        )

    return column


def sql_consent_labels(export: ExportList, source: str):
    names = labels(ConsentKind.choices)
    order = {kind: index for index, kind in enumerate(names)}
    in_force = Consent.objects.filter(withdrawn_at__isnull=True)
    return sql_labels_joined(in_force, "kind", names, order)


def sql_first_joined(export: ExportList, source: str):
    """When the registration first joined any session online, in the forum's zone."""
    local = sql_local_minute(export, source)
    first = Joined(Attendance.objects.all(), Min("first_joined_at"))
    return with_cell(
        SqlColumn(first, local.template, local.params),
        local_time_cell(first, export.edition.time_zone),
    )


def bookings(status: str) -> Callable[[], QuerySet]:
    return lambda: SessionBooking.objects.filter(status=status)


def attended() -> QuerySet:
    return Attendance.objects.all()


class AttendeeList(ExportList):
    slug = "attendees"
    title = _("Attendees")
    default_columns = (
        "name",
        "email",
        "organisation",
        "job_title",
        "country",
        "category",
        "status",
        "sessions_booked",
    )

    @classmethod
    def column_specs(cls) -> dict[str, ColumnSpec]:
        return {
            "id": ColumnSpec(_("Registration number"), "pk", personal=False, sql=sql_plain),
            "name": ColumnSpec(_("Name"), "name", sql=sql_text),
            "name_latin": ColumnSpec(_("Name in Latin letters"), "name_latin", sql=sql_text),
            "email": ColumnSpec(_("Email"), "email", sql=sql_text),
            "organisation": ColumnSpec(_("Organisation"), "organisation", sql=sql_text),
            "organisation_en": ColumnSpec(
                _("Organisation in English"), "organisation_en", sql=sql_text
            ),
            "job_title": ColumnSpec(_("Job title"), "job_title", sql=sql_text),
            "country": ColumnSpec(
                _("Country"),
                "country",
                as_country,
                personal=False,
                sql=sql_label(country_names),
            ),
            "category": ColumnSpec(
                _("Participant category"),
                "category",
                as_category,
                personal=False,
                sql=sql_label(lambda: labels(ParticipantCategory.choices)),
            ),
            "phone": ColumnSpec(_("Phone"), "phone", as_text, sql=sql_text),
            "language": ColumnSpec(
                _("Preferred language"),
                "language",
                as_language,
                sql=sql_label(lambda: labels(Language.choices)),
            ),
            "time_zone": ColumnSpec(_("Time zone"), "time_zone", sql=sql_text),
            "wants_meetings": ColumnSpec(
                _("Wants business meetings"),
                "wants_meetings",
                as_yes_no,
                personal=False,
                sql=sql_yes_no(lambda: _("Yes"), lambda: _("No")),
            ),
            "status": ColumnSpec(
                _("Registration status"),
                "status",
                as_status,
                personal=False,
                sql=sql_label(lambda: labels(RegistrationStatus.choices)),
            ),
            "registered_at": ColumnSpec(
                _("Registered"), "created_at", as_local_time, time=True, sql=sql_local_minute
            ),
            "email_confirmed_at": ColumnSpec(
                _("Email confirmed"),
                "email_confirmed_at",
                as_local_time,
                time=True,
                sql=sql_local_minute,
            ),
            "sessions_booked": ColumnSpec(
                _("Sessions booked"),
                "sessions_booked",
                as_session_titles,
                sql=sql_session_titles(bookings(BookingStatus.BOOKED)),
            ),
            "sessions_waiting": ColumnSpec(
                _("Sessions on the waiting list"),
                "sessions_waiting",
                as_session_titles,
                sql=sql_session_titles(bookings(BookingStatus.WAITING)),
            ),
            "consents": ColumnSpec(
                _("Consents in force"), "consent_kinds", as_consent_labels, sql=sql_consent_labels
            ),
            "sessions_attended": ColumnSpec(
                _("Sessions attended"),
                "sessions_attended",
                as_session_titles,
                personal=False,
                sql=sql_session_titles(attended),
            ),
            "first_joined": ColumnSpec(
                _("First joined"),
                "first_joined",
                as_local_time,
                personal=False,
                time=True,
                sql=sql_first_joined,
            ),
        }

    def queryset(self, sources: list[str]) -> QuerySet:
        registrations = self.filters.registrations().order_by("pk")
        annotations = {
            "sessions_booked": lambda: sessions_of(BookingStatus.BOOKED),
            "sessions_waiting": lambda: sessions_of(BookingStatus.WAITING),
            "consent_kinds": consents_in_force,
            "sessions_attended": sessions_attended,
            "first_joined": first_joined,
        }
        wanted = {name: make() for name, make in annotations.items() if name in sources}
        return registrations.annotate(**wanted) if wanted else registrations
