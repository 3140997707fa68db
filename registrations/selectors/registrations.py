"""Reads of pre-registration that pages, exports and services share, with related rows loaded."""

import functools
from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Lower

from common.db import prepared_cursor
from forum.models import Edition, Session
from registrations.choices import (
    ACTIVE_STATUSES,
    BookingStatus,
    ConsentKind,
    ConsentRequirement,
    RegistrationStatus,
)
from registrations.models import (
    Consent,
    ConsentText,
    Registration,
    RegistrationSettings,
    SessionBooking,
)


def current_consent_texts(*, edition: Edition) -> list[ConsentText]:
    """The newest version of each kind of consent, in the order the form shows them.

    Kept on the edition object, so the form and the service of one request share one query.
    """
    cached = getattr(edition, "_current_consent_texts", None)
    if cached is not None:
        return cached
    latest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(edition=edition).order_by("kind", "-created_at", "-pk"):
        latest.setdefault(text.kind, text)
    order = list(ConsentKind.values)
    texts = sorted(latest.values(), key=lambda text: order.index(text.kind))
    edition._current_consent_texts = texts
    return texts


# What the registration form offers — the edition's sessions and its consent texts in force —
# kept per process under the edition's content version: any change to a session or a consent
# text moves `content_changed_at` in the same transaction (forum/pagecache.py), so a submission,
# which reads the edition's row first, gets exactly what a fresh read would have given then.
_kept_for_form: dict[tuple, tuple[dict[int, Session], list[ConsentText]]] = {}


def forget_kept_form_rows() -> None:
    _kept_for_form.clear()


def registration_form_rows(*, edition: Edition) -> tuple[dict[int, Session], list[ConsentText]]:
    """The edition's sessions by id (in programme order, each with its edition) and its consent
    texts in force (also kept on `edition` for `current_consent_texts`)."""
    key = (edition.pk, edition.content_changed_at)
    kept = _kept_for_form.get(key)
    if kept is None:
        sessions = (
            Session.objects.filter(edition=edition)
            .select_related("edition")
            .order_by("starts_at", "pk")
        )
        kept = (
            {session.pk: session for session in sessions},
            current_consent_texts(edition=edition),
        )
        if len(_kept_for_form) > 8:
            _kept_for_form.clear()
        _kept_for_form[key] = kept
    edition._current_consent_texts = kept[1]
    return kept


def missing_consent_texts(*, edition: Edition) -> list[str]:
    """The consent texts an edition needs before its registration form can open.

    Collection and use of personal data, required of everyone; with business meetings (the
    edition has a meeting period), sharing the profile with counterparts. Returns the missing
    kinds' codes, in the form's order; empty when the edition is ready.
    """
    texts = {text.kind: text for text in current_consent_texts(edition=edition)}
    missing = []
    collection = texts.get(ConsentKind.COLLECTION)
    if collection is None or collection.requirement != ConsentRequirement.REQUIRED:
        missing.append(ConsentKind.COLLECTION)
    if edition.meetings_start is not None:
        sharing = texts.get(ConsentKind.SHARING)
        if sharing is None or sharing.requirement == ConsentRequirement.OPTIONAL:
            missing.append(ConsentKind.SHARING)
    return missing


def registration_accepts(*, edition: Edition) -> bool:
    """The form is open: within the edition's window and with the consent texts it needs."""
    return edition.registration_is_open() and not missing_consent_texts(edition=edition)


def booked_counts(sessions: QuerySet[Session]) -> dict[int, int]:
    """Seats booked by confirmed addresses per session id, in one grouped query: what the form
    shows as taken.

    Seats held by registrations still waiting for their address to be confirmed are left out,
    so registering a new address doesn't change the figure while registering a known one
    (which changes nothing) leaves it as it was — the figure would otherwise tell anyone
    whether an address is registered. Such holds last at most the confirmation hours.
    """
    return dict(
        SessionBooking.objects.filter(
            session__in=sessions.values("pk"), status=BookingStatus.BOOKED
        )
        .exclude(registration__status=RegistrationStatus.AWAITING_CONFIRMATION)
        .values("session")
        .annotate(booked=Count("pk"))
        .values_list("session", "booked")
    )


def booked_counts_by_id(session_ids) -> dict[int, int]:
    """Seats of these sessions booked by confirmed addresses (see booked_counts: no side channel),
    in one grouped query."""
    return dict(
        SessionBooking.objects.filter(session_id__in=session_ids, status=BookingStatus.BOOKED)
        .exclude(registration__status=RegistrationStatus.AWAITING_CONFIRMATION)
        .order_by()
        .values_list("session_id")
        .annotate(booked=Count("pk"))
    )


def current_edition_light() -> Edition | None:
    """The current edition with its registration settings, without the related rows the pages
    show: for form submissions, which read it on every request.

    The same query as `Edition.objects.filter(is_current=True).select_related(
    "registration_settings").first()`, built once per process and database (building it —
    the ORM, the translated fields — cost several times what running it does).
    """
    sql, params, converters, edition_fields, settings_fields = _edition_light_query(
        connection.alias
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for position, (functions, expression) in converters.items():
        for convert in functions:
            row[position] = convert(row[position], expression, connection)
    edition = Edition.from_db(connection.alias, edition_fields, row[: len(edition_fields)])
    settings_row = row[len(edition_fields) :]
    registration_settings = None
    if settings_row[0] is not None:
        registration_settings = RegistrationSettings.from_db(
            connection.alias, settings_fields, settings_row
        )
        registration_settings.edition = edition
    # What select_related leaves: the reverse one-to-one's cache (None: no settings row yet).
    Edition.registration_settings.related.set_cached_value(edition, registration_settings)
    return edition


@functools.cache
def _edition_light_query(alias: str) -> tuple[str, tuple, dict, list[str], list[str]]:
    """The statement, its parameters and the converters of its columns (what the ORM applies
    to each value it reads: dates on SQLite, JSON, …); the columns are each model's concrete
    fields in order, the edition's then its settings'."""
    queryset = Edition.objects.using(alias).filter(is_current=True)
    queryset = queryset.select_related("registration_settings").order_by("pk")[:1]
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    edition_fields = [field.attname for field in Edition._meta.concrete_fields]
    settings_fields = [field.attname for field in RegistrationSettings._meta.concrete_fields]
    if len(compiler.select) != len(edition_fields) + len(settings_fields):
        raise RuntimeError("current_edition_light: the query's columns are not the models'")
    return sql, tuple(params), converters, edition_fields, settings_fields


def with_waiting_place(bookings: QuerySet[SessionBooking]) -> QuerySet[SessionBooking]:
    """Each booking with `place`: its place on the session's waiting list as it is now.

    The stored `position` only grows (a queue number); the place counts who is still waiting
    ahead, so after someone ahead is promoted or leaves, the next person sees place 1.
    """
    ahead = (
        SessionBooking.objects.filter(
            session=OuterRef("session"),
            status=BookingStatus.WAITING,
            position__lte=OuterRef("position"),
        )
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return bookings.annotate(place=Subquery(ahead, output_field=IntegerField()))


def active_registration_with_email(*, edition: Edition, email: str) -> Registration | None:
    """The edition's active registration of this address, looked up as the one-address index
    compares addresses (`LOWER(email)` with the active statuses), so the index answers it: an
    `email__iexact` (`UPPER(email)`) filtered every registration of the edition, 60 ms with
    20,000 on a loaded machine, for each sign-up of an address already registered."""
    return (
        Registration.objects.filter(edition=edition, status__in=ACTIVE_STATUSES)
        .alias(address=Lower("email"))
        .filter(address=Lower(Value(email.strip())))
        .first()
    )


def registration_with_edition(*, pk: int) -> Registration | None:
    """The registration and its edition only, for pages that show neither bookings nor consents."""
    return Registration.objects.select_related("edition").filter(pk=pk).first()


def registration_with_details(*, pk: int) -> Registration | None:
    return (
        Registration.objects.select_related("edition__registration_settings")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=with_waiting_place(
                    SessionBooking.objects.select_related("session").order_by(
                        "session__starts_at", "pk"
                    )
                ),
            ),
            Prefetch("consents", queryset=Consent.objects.filter(withdrawn_at=None)),
        )
        .filter(pk=pk)
        .first()
    )


def filtered_registrations(
    *,
    edition: Edition,
    session: Session | None = None,
    categories: Iterable[str] = (),
    countries: Iterable[str] = (),
    statuses: Iterable[str] = (),
    consents: Iterable[str] = (),
    booking_statuses: Iterable[str] = (BookingStatus.BOOKED,),
) -> QuerySet[Registration]:
    """An edition's registrations narrowed by the back office's filters (exports, bulk email).

    Each consent in `consents` must be in force; `session` keeps people with a booking in one of
    `booking_statuses` there. EXISTS subqueries, so no row is repeated.
    """
    registrations = Registration.objects.filter(edition=edition)
    if categories := list(categories):
        registrations = registrations.filter(category__in=categories)
    if countries := list(countries):
        registrations = registrations.filter(country__in=countries)
    if statuses := list(statuses):
        registrations = registrations.filter(status__in=statuses)
    for kind in sorted(set(consents) - {""}):
        registrations = registrations.filter(
            Exists(
                Consent.objects.filter(
                    registration=OuterRef("pk"), kind=kind, withdrawn_at__isnull=True
                )
            )
        )
    if session is not None:
        registrations = registrations.filter(
            Exists(
                SessionBooking.objects.filter(
                    registration=OuterRef("pk"),
                    session=session,
                    status__in=list(booking_statuses),
                )
            )
        )
    return registrations
