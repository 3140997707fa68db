"""Reads the business-meeting pages share: directory, recommendations, requests, meetings, slots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from forum.models import Edition, Project
from meetings.choices import OPEN_REQUEST_STATUSES, MeetingStatus, RequestStatus
from meetings.matching import MatchProfile, Recommendation, recommend
from meetings.models import (
    BusinessProfile,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    MeetingSettings,
    MeetingSlot,
    SlotUnavailability,
)
from meetings.selectors.recommendations import RecommendedProfile, recommendations_for
from registrations.choices import ConsentKind, RegistrationStatus
from registrations.models import Consent, ConsentText, Registration

__all__ = ["RecommendedProfile"]  # with the recommendations, read here by the pages


def meeting_settings(*, edition: Edition) -> MeetingSettings | None:
    return MeetingSettings.objects.filter(edition=edition).first()


def profile_of(registration: Registration) -> BusinessProfile | None:
    return BusinessProfile.objects.filter(registration=registration).first()


def sharing_consent_condition(
    *, registration: str = "pk", edition: str = "edition_id"
) -> ExpressionWrapper:
    """True where the registration shares its profile, or its edition asks for no such
    consent; `registration` and `edition` name the registration's key and its edition's from
    the rows the condition is over (a registration's own by default)."""
    needs = ConsentText.objects.filter(edition_id=OuterRef(edition), kind=ConsentKind.SHARING)
    given = Consent.objects.filter(
        registration_id=OuterRef(registration), kind=ConsentKind.SHARING, withdrawn_at=None
    )
    return ExpressionWrapper(~Exists(needs) | Exists(given), output_field=BooleanField())


def profile_and_settings(
    registration: Registration,
) -> tuple[BusinessProfile | None, MeetingSettings | None]:
    """The registration's profile and its edition's meeting settings: one query when the
    profile exists (every page of the meetings area needs both), two when it doesn't.

    The profile comes with `shares`: whether the registration shares it (the condition of
    `services.support.has_sharing_consent`), so a page that finds a profile needs no other
    query to know."""
    profile = (
        BusinessProfile.objects.select_related("registration__edition__meeting_settings")
        .annotate(
            shares=sharing_consent_condition(
                registration="registration_id", edition="registration__edition_id"
            )
        )
        .filter(registration=registration)
        .first()
    )
    if profile is None:
        return None, meeting_settings(edition=registration.edition)
    try:
        settings = profile.registration.edition.meeting_settings
    except MeetingSettings.DoesNotExist:
        settings = None
    return profile, settings


def _profiles() -> QuerySet[BusinessProfile]:
    return BusinessProfile.objects.select_related("registration").prefetch_related(
        "sectors", "projects_presented", "projects_of_interest"
    )


def directory(
    *,
    edition: Edition,
    viewer: Registration | None = None,
    side: str = "",
    sector: str = "",
    country: str = "",
    project: Project | int | None = None,
    search: str = "",
) -> QuerySet[BusinessProfile]:
    """Listed profiles of confirmed registrations, without the viewer's own, filtered.

    `sector` is a sector slug, `country` a country code (of interest, or the registration's
    own country), `project` a project presented or of interest.
    """
    profiles = _profiles().filter(
        registration__edition=edition,
        registration__status=RegistrationStatus.CONFIRMED,
        listed=True,
    )
    if viewer is not None:
        profiles = profiles.exclude(registration=viewer)
    if side:
        profiles = profiles.filter(side=side)
    # The many-valued filters are EXISTS subqueries, not joins: a profile comes once, so the
    # page and its count need no DISTINCT over every column (docs/performance.md).
    if sector:
        profiles = profiles.filter(
            Exists(
                BusinessProfile.sectors.through.objects.filter(
                    businessprofile_id=OuterRef("pk"), sector__slug=sector
                )
            )
        )
    if country:
        profiles = profiles.filter(
            Q(countries_of_interest__contains=country.upper())
            | Q(registration__country=country.upper())
        )
    if project:
        project_id = getattr(project, "pk", project)
        presented = BusinessProfile.projects_presented.through.objects.filter(
            businessprofile_id=OuterRef("pk"), project_id=project_id
        )
        of_interest = BusinessProfile.projects_of_interest.through.objects.filter(
            businessprofile_id=OuterRef("pk"), project_id=project_id
        )
        profiles = profiles.filter(Exists(presented) | Exists(of_interest))
    if search:
        words = search.split()
        for word in words[:8]:
            profiles = profiles.filter(
                Q(registration__organisation__icontains=word)
                | Q(registration__organisation_en__icontains=word)
                | Q(registration__name__icontains=word)
                | Q(registration__name_latin__icontains=word)
                | Q(description__icontains=word)
                | Q(offer__icontains=word)
                | Q(seek__icontains=word)
            )
    return profiles.order_by("registration__organisation", "pk")


def directory_cards(**filters) -> QuerySet[BusinessProfile]:
    """The directory (same filters) with what its cards show: sectors and projects presented."""
    return (
        directory(**filters)
        .prefetch_related(None)
        .prefetch_related("sectors", "projects_presented")
    )


def listed_profile(*, edition: Edition, pk: int, viewer: Registration | None = None):
    """One profile of the directory, or None if it isn't listed there (a page answers 404)."""
    return directory(edition=edition, viewer=viewer).filter(pk=pk).first()


def _match_profile(profile: BusinessProfile) -> MatchProfile:
    registration = profile.registration
    return MatchProfile(
        id=profile.pk,
        side=profile.side,
        sectors=frozenset(sector.slug for sector in profile.sectors.all()),
        countries_of_interest=frozenset(str(code) for code in profile.countries_of_interest),
        own_countries=frozenset({str(registration.country)}),
        project_ids_of_interest=frozenset(p.pk for p in profile.projects_of_interest.all()),
        own_project_ids=frozenset(p.pk for p in profile.projects_presented.all()),
        languages=frozenset(profile.languages or []),
        listed=profile.listed,
    )


def _recommend(
    people: list[BusinessProfile], requests: QuerySet[MeetingRequest], *, top_n: int
) -> dict[int, list[Recommendation]]:
    """The all-pairs matcher over these profiles, leaving out pairs with an open or declined
    request; no reasons (the organisers' mutual matches need none)."""
    by_registration = {p.registration_id: p.pk for p in people}
    requested, declined = [], []
    for sender_id, receiver_id, status in requests.values_list(
        "sender_id", "receiver_id", "status"
    ):
        if sender_id in by_registration and receiver_id in by_registration:
            pair = (by_registration[sender_id], by_registration[receiver_id])
            if status in OPEN_REQUEST_STATUSES:
                requested.append(pair)
            elif status in (RequestStatus.DECLINED, RequestStatus.REJECTED):
                declined.append(pair)
    projects = {project.pk: project for p in people for project in p.projects_presented.all()} | {
        project.pk: project for p in people for project in p.projects_of_interest.all()
    }
    return recommend(
        [_match_profile(p) for p in people],
        project_countries={pk: str(project.country) for pk, project in projects.items()},
        top_n=top_n,
        requested_pairs=requested,
        declined_pairs=declined,
        with_reasons=False,
    )


def recommendations(
    *, registration: Registration, top_n: int = 10, profile: BusinessProfile | None = None
) -> list[RecommendedProfile]:
    """Counterparts for the registration's profile, best first, with reasons in the active language.

    Only listed profiles of confirmed registrations are recommended; pairs that already have a
    request (open or declined) are left out. The viewer is scored against the candidates kept in
    compact form (`meetings/selectors/recommendations.py`); only the `top_n` shown are explained.
    """
    own = profile or profile_of(registration)
    if own is None:
        return []
    return recommendations_for(
        own=own, registration=registration, shown_from=_profiles(), top_n=top_n
    )


def mutual_matches(
    *, edition: Edition, top_n: int = 5, among: Iterable[int] | None = None
) -> list[tuple[BusinessProfile, BusinessProfile]]:
    """Pairs of listed profiles each of which is among the other's `top_n` recommendations.

    Pairs that already have a request (open or declined, either way round) are left out. With
    `among` (profile keys), only pairs with at least one of those profiles.
    """
    people = list(directory(edition=edition))
    result = _recommend(people, MeetingRequest.objects.filter(edition=edition), top_n=top_n)
    best = {pk: {r.profile_id for r in found} for pk, found in result.items()}
    by_id = {p.pk: p for p in people}
    wanted = set(among) if among is not None else set(by_id)
    pairs = []
    for first in sorted(by_id):
        for second in sorted(best.get(first, ())):
            if first < second and first in best.get(second, ()) and wanted & {first, second}:
                pairs.append((by_id[first], by_id[second]))
    return pairs


def _requests() -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.select_related(
        "sender__business_profile", "receiver__business_profile", "project", "edition"
    ).prefetch_related(
        Prefetch(
            "meetings",
            queryset=Meeting.objects.filter(status=MeetingStatus.SCHEDULED).select_related("slot"),
            to_attr="scheduled_meetings",
        )
    )


def sent_requests(*, registration: Registration) -> QuerySet[MeetingRequest]:
    """What the registration asked for (a meeting the organisers suggest is in `received`)."""
    return _requests().filter(sender=registration).exclude(suggested=True)


def received_requests(*, registration: Registration) -> QuerySet[MeetingRequest]:
    """What reached the receiver: requests awaiting staff review stay with staff.

    Meetings the organisers suggested reach both sides, the sender included.
    """
    return (
        _requests()
        .filter(Q(receiver=registration) | Q(sender=registration, suggested=True))
        .exclude(status__in=[RequestStatus.PENDING_REVIEW, RequestStatus.REJECTED])
    )


def open_request_between(
    *, registration: Registration, other: Registration
) -> MeetingRequest | None:
    """The open request between the registration and `other` that the registration sees (sent,
    or received and delivered), as its key and status only — what a counterpart's page links."""
    sent = sent_requests(registration=registration).filter(receiver=other)
    received = received_requests(registration=registration).filter(sender=other)
    return (
        (sent | received)
        .select_related(None)
        .prefetch_related(None)
        .filter(status__in=OPEN_REQUEST_STATUSES)
        .only("pk", "status")
        .first()
    )


def waiting_count(*, registration: Registration) -> int:
    """How many received requests wait for the registration's answer."""
    return (
        received_requests(registration=registration)
        .select_related(None)
        .prefetch_related(None)
        .filter(status=RequestStatus.PENDING)
        .count()
    )


def request_for(*, registration: Registration, pk: int) -> MeetingRequest | None:
    """One of the registration's own requests (sent, or received and delivered), else None."""
    return (
        (sent_requests(registration=registration) | received_requests(registration=registration))
        .filter(pk=pk)
        .first()
    )


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related(
        "slot",
        "edition",
        "request__project",
        "sender__business_profile",
        "receiver__business_profile",
    )


def my_meetings(*, registration: Registration, include_cancelled: bool = True) -> QuerySet[Meeting]:
    meetings = _meetings().filter(Q(sender=registration) | Q(receiver=registration))
    if not include_cancelled:
        meetings = meetings.filter(status=MeetingStatus.SCHEDULED)
    return meetings.order_by("slot__starts_at", "pk")


def meeting_lines(*, registration: Registration) -> QuerySet[Meeting]:
    """The registration's meetings with what a line of the home page shows: the slot, both
    people and the request's project (not the profiles or the edition, which the page has)."""
    return (
        my_meetings(registration=registration)
        .select_related(None)
        .select_related("slot", "request__project", "sender", "receiver")
    )


def meeting_for(*, registration: Registration, pk: int) -> Meeting | None:
    return my_meetings(registration=registration).filter(pk=pk).first()


def slots_with_occupancy(*, edition: Edition) -> QuerySet[MeetingSlot]:
    """The edition's slots with `booked` (scheduled meetings) counted in the same query."""
    return (
        MeetingSlot.objects.filter(edition=edition)
        .select_related("edition")
        .annotate(booked=Count("meetings", filter=Q(meetings__status=MeetingStatus.SCHEDULED)))
        .order_by("starts_at")
    )


def booking_opens_after(edition: Edition, now: dt.datetime | None = None) -> dt.datetime:
    """Slots that start after this can be booked: now, for every edition.

    A past slot is never bookable, whatever the edition's pages say about its clock times
    (`times_are_illustrative` is a notice for visitors, not a booking rule); the demo's rehearsal
    edition lies ahead of the day it is loaded so the journey can be walked.
    """
    return now or timezone.now()


def free_slots(
    *,
    edition: Edition,
    people: Iterable[Registration],
    now: dt.datetime | None = None,
    exclude_meeting: Meeting | None = None,
) -> QuerySet[MeetingSlot]:
    """Future slots where every one of `people` is available and not booked, and a room is left.

    With `exclude_meeting`, that meeting's own seats and room don't count (to move it).
    """
    now = booking_opens_after(edition, now)
    ids = [p.pk for p in people]
    seats = MeetingSeat.objects.filter(
        slot=OuterRef("pk"), registration_id__in=ids, released_at__isnull=True
    )
    scheduled = Q(meetings__status=MeetingStatus.SCHEDULED)
    if exclude_meeting is not None:
        seats = seats.exclude(meeting=exclude_meeting)
        scheduled &= ~Q(meetings__pk=exclude_meeting.pk)
    return (
        MeetingSlot.objects.filter(edition=edition, starts_at__gt=now)
        .annotate(booked=Count("meetings", filter=scheduled))
        .filter(booked__lt=F("rooms"))
        .exclude(
            Exists(SlotUnavailability.objects.filter(slot=OuterRef("pk"), registration_id__in=ids))
        )
        .exclude(Exists(seats))
        .order_by("starts_at")
    )


def unavailable_slot_ids(*, registration: Registration) -> set[int]:
    return set(
        SlotUnavailability.objects.filter(registration=registration).values_list(
            "slot_id", flat=True
        )
    )


def meetings_of_day(*, edition: Edition, day: dt.date) -> QuerySet[Meeting]:
    """Who meets whom on one day of the forum (its own time zone), by slot and room."""
    zone = edition.tzinfo
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return (
        _meetings()
        .filter(
            edition=edition,
            status=MeetingStatus.SCHEDULED,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + dt.timedelta(days=1),
        )
        .order_by("slot__starts_at", "room", "pk")
    )


def meetings_to_remind(*, now: dt.datetime) -> QuerySet[Meeting]:
    """Scheduled meetings starting within the next day that have had no reminder yet."""
    return _meetings().filter(
        status=MeetingStatus.SCHEDULED,
        reminded_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + dt.timedelta(days=1),
    )


def requests_to_schedule(*, edition: Edition) -> QuerySet[MeetingRequest]:
    """Accepted requests waiting for a slot: what the organiser-run scheduler places."""
    return _requests().filter(edition=edition, status=RequestStatus.ACCEPTED)


def feed_profile(*, secret: str) -> BusinessProfile | None:
    if not secret:
        return None
    return (
        BusinessProfile.objects.select_related("registration__edition")
        .filter(calendar_secret=secret)
        .first()
    )
