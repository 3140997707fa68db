"""Recommendations for one viewer: the candidates' features kept per process, reasons in words.

A view scores its viewer against every candidate of the edition with `matching.best_for`. The
candidates' features (sectors, projects presented and wanted, the projects' countries,
languages, side) are read once per process and kept under the profiles' version token, which
every change of a business profile, its sectors or projects, a project or a sector replaces
(`mark_profiles_changed`, connected in `meetings/apps.py`). What changes with a registration —
who may be recommended now (listed, confirmed) and their own country — is read per view, in one
query. Only the `top_n` shown are explained and loaded as objects.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django_countries import countries

from forum.models import Edition
from meetings.choices import MEETING_LANGUAGES, OPEN_REQUEST_STATUSES, RequestStatus
from meetings.matching import (
    SIDE_LABELS,
    Candidates,
    MatchProfile,
    Reason,
    best_for,
    explain,
    index_candidates,
)
from meetings.models import BusinessProfile, MeetingRequest, ProfileIndexVersion
from registrations.choices import RegistrationStatus
from registrations.models import Registration


@dataclass(frozen=True, slots=True)
class Labels:
    """Display names for the codes in reasons; a missing code shows as itself."""

    sectors: Mapping[str, str] = field(default_factory=dict)
    countries: Mapping[str, str] = field(default_factory=dict)
    projects: Mapping[int, str] = field(default_factory=dict)
    languages: Mapping[str, str] = field(default_factory=dict)


def _names(codes: Iterable, names: Mapping) -> str:
    return ", ".join(sorted(str(names.get(code, code)) for code in codes))


def reason_text(reason: Reason, labels: Labels) -> str:
    """One reason in the active language."""
    code, params = reason
    if code == "wants_their_project":
        country, project = params["country"], params["project"]
        return gettext("interested in %(country)s's project %(project)s") % {
            "country": labels.countries.get(country, country),
            "project": labels.projects.get(project, f"#{project}"),
        }
    if code == "wants_your_project":
        project = params["project"]
        return gettext("interested in your project %(project)s") % {
            "project": labels.projects.get(project, f"#{project}")
        }
    if code == "shared_sectors":
        return gettext("both in %(sectors)s") % {
            "sectors": _names(params["sectors"], labels.sectors)
        }
    if code == "projects_in":
        return gettext("has projects in %(countries)s") % {
            "countries": _names(params["countries"], labels.countries)
        }
    if code == "based_in":
        return gettext("based in %(countries)s") % {
            "countries": _names(params["countries"], labels.countries)
        }
    if code == "side":
        return gettext(SIDE_LABELS[params["side"]])
    if code == "shared_languages":
        return gettext("speaks %(languages)s") % {
            "languages": _names(params["languages"], labels.languages)
        }
    raise ValueError(f"unknown reason {code!r}")


def reason_texts(reasons: Iterable[Reason], labels: Labels) -> tuple[str, ...]:
    return tuple(reason_text(reason, labels) for reason in reasons)


# Profiles' changes ---------------------------------------------------------------------------

_VERSION_ROW = 1


def profiles_version() -> uuid.UUID | None:
    return (
        ProfileIndexVersion.objects.filter(pk=_VERSION_ROW).values_list("token", flat=True).first()
    )


def mark_profiles_changed(**_signal_kwargs) -> None:
    """A new token: every process reads the candidates again before its next recommendation.

    A fresh random value, not a counter, so a rolled-back change can never bring back a token
    that a process has kept features under."""
    token = uuid.uuid4()
    if not ProfileIndexVersion.objects.filter(pk=_VERSION_ROW).update(token=token):
        ProfileIndexVersion.objects.bulk_create(
            [ProfileIndexVersion(pk=_VERSION_ROW, token=token)], ignore_conflicts=True
        )
        ProfileIndexVersion.objects.filter(pk=_VERSION_ROW).update(token=token)


@dataclass(frozen=True, slots=True)
class EditionCandidates:
    """Every business profile of an edition, as the matcher sees it, and its compact index."""

    profiles: Mapping[int, MatchProfile]  # own countries left empty: they come with each view
    project_countries: Mapping[int, str]
    index: Candidates


_kept: dict[int, tuple[uuid.UUID | None, EditionCandidates]] = {}
_kept_lock = threading.Lock()


def forget_candidates() -> None:
    """Drop what this process keeps (tests; the token makes it unnecessary in production)."""
    with _kept_lock:
        _kept.clear()


def _load_candidates(edition_id: int) -> EditionCandidates:
    """Four queries, whatever the number of profiles."""
    of_edition = Q(businessprofile__registration__edition_id=edition_id)
    sectors: dict[int, set[str]] = defaultdict(set)
    through = BusinessProfile.sectors.through.objects.filter(of_edition)
    for profile_id, slug in through.values_list("businessprofile_id", "sector__slug"):
        sectors[profile_id].add(slug)
    project_countries: dict[int, str] = {}
    projects: dict[str, dict[int, set[int]]] = {}
    for name in ("projects_presented", "projects_of_interest"):
        found: dict[int, set[int]] = defaultdict(set)
        through = getattr(BusinessProfile, name).through.objects.filter(of_edition)
        for profile_id, project_id, country in through.values_list(
            "businessprofile_id", "project_id", "project__country"
        ):
            found[profile_id].add(project_id)
            project_countries[project_id] = str(country)
        projects[name] = found
    profiles = {
        pk: MatchProfile(
            id=pk,
            side=side,
            sectors=frozenset(sectors[pk]),
            countries_of_interest=frozenset(_codes(interests)),
            project_ids_of_interest=frozenset(projects["projects_of_interest"][pk]),
            own_project_ids=frozenset(projects["projects_presented"][pk]),
            languages=frozenset(languages or ()),
        )
        for pk, side, interests, languages in BusinessProfile.objects.filter(
            registration__edition_id=edition_id
        ).values_list("pk", "side", "countries_of_interest", "languages")
    }
    return EditionCandidates(
        profiles=profiles,
        project_countries=project_countries,
        index=index_candidates(profiles.values(), project_countries=project_countries),
    )


def _codes(stored) -> list[str]:
    """A multiple country field as read by `values_list`: "KH,VN" (a list if converted)."""
    if isinstance(stored, str):
        return [code for code in stored.split(",") if code]
    return [str(code) for code in stored or ()]


def edition_candidates(edition_id: int) -> EditionCandidates:
    """The edition's candidates as of the profiles' current version (one query when kept)."""
    token = profiles_version()
    kept = _kept.get(edition_id)
    if kept is not None and kept[0] == token:
        return kept[1]
    loaded = _load_candidates(edition_id)
    with _kept_lock:
        _kept[edition_id] = (token, loaded)
    return loaded


# The page's read ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendedProfile:
    profile: BusinessProfile
    score: int
    reasons: tuple[str, ...]


def _excluded(registration: Registration, profile_of: Mapping[int, int]) -> set[int]:
    """Profiles the viewer has an open or declined request with, either way round."""
    excluded = set()
    rows = MeetingRequest.objects.filter(
        Q(sender=registration) | Q(receiver=registration), edition_id=registration.edition_id
    ).values_list("sender_id", "receiver_id", "status")
    for sender_id, receiver_id, status in rows:
        other = receiver_id if sender_id == registration.pk else sender_id
        if other in profile_of and (
            status in OPEN_REQUEST_STATUSES
            or status in (RequestStatus.DECLINED, RequestStatus.REJECTED)
        ):
            excluded.add(profile_of[other])
    return excluded


def _labels(shown: Iterable[BusinessProfile]) -> Labels:
    """Names of what the shown profiles share with the viewer (theirs hold every shared one)."""
    sectors, projects = {}, {}
    for profile in shown:
        for sector in profile.sectors.all():
            sectors[sector.slug] = sector.display_name
        for project in [*profile.projects_presented.all(), *profile.projects_of_interest.all()]:
            projects[project.pk] = project.title
    return Labels(
        sectors=sectors,
        countries=dict(countries),
        projects=projects,
        languages={code: str(name) for code, name in MEETING_LANGUAGES},
    )


def recommendations_for(
    *,
    own: BusinessProfile,
    registration: Registration,
    shown_from: QuerySet[BusinessProfile],
    top_n: int = 10,
) -> list[RecommendedProfile]:
    """Counterparts for the registration's profile `own`, best first, reasons in words; the
    profiles shown are read from `shown_from` (with what the page needs preloaded)."""
    edition: Edition = registration.edition
    candidates = edition_candidates(edition.pk)
    now = (
        BusinessProfile.objects.filter(
            registration__edition=edition,
            registration__status=RegistrationStatus.CONFIRMED,
            listed=True,
        )
        .exclude(registration=registration)
        .values_list("pk", "registration_id", "registration__country")
    )
    country_of, profile_of = {}, {}
    for pk, registration_id, country in now:
        country_of[pk] = str(country)
        profile_of[registration_id] = pk
    viewer = candidates.profiles.get(own.pk)
    if viewer is None:  # saved since this process read the candidates' version: read it now
        candidates = _load_candidates(edition.pk)
        viewer = candidates.profiles[own.pk]
    viewer = _with_country(viewer, str(registration.country))
    best = best_for(
        viewer,
        candidates.index,
        country_of=country_of,
        top_n=top_n,
        excluded=_excluded(registration, profile_of),
    )
    shown = shown_from.in_bulk([profile_id for profile_id, _ in best])
    labels = _labels(shown.values())
    return [
        RecommendedProfile(
            profile=shown[profile_id],
            score=score,
            reasons=reason_texts(
                explain(
                    viewer,
                    _with_country(candidates.profiles[profile_id], country_of[profile_id]),
                    candidates.project_countries,
                ),
                labels,
            ),
        )
        for profile_id, score in best
        if profile_id in shown
    ]


def _with_country(profile: MatchProfile, country: str) -> MatchProfile:
    return dataclasses.replace(profile, own_countries=frozenset({country}))
