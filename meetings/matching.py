"""Matchmaking scores: who should meet whom among business-meeting participants, and why.

Pure code on plain dataclasses, so a selector can build `MatchProfile`s from business profiles
and the recommendations can be tested and benchmarked without a database. All pairs are scored
at once with numpy: 0/1 matrices of profiles against sectors, countries and projects, whose
products count what each pair shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext, gettext_noop

COMPANY = "company"
PROJECT_OWNER = "project_owner"
FINANCIER = "financier"

# Who has business with whom: companies build what project owners plan and financiers fund.
COMPLEMENTARY_SIDES = {
    COMPANY: frozenset({PROJECT_OWNER, FINANCIER}),
    PROJECT_OWNER: frozenset({COMPANY, FINANCIER}),
    FINANCIER: frozenset({COMPANY, PROJECT_OWNER}),
}
SIDE_LABELS = {
    COMPANY: gettext_noop("a company"),
    PROJECT_OWNER: gettext_noop("a project owner"),
    FINANCIER: gettext_noop("a financier"),
}

# Integer weights keep scores exact, so equal scores are truly equal and ties fall to the id.
PROJECT_WEIGHT = 5  # per project one side wants that the other owns
SECTOR_WEIGHT = 3  # per shared sector
COUNTRY_WEIGHT = 2  # per country of interest where the other is based or has a project
SIDE_WEIGHT = 2
LANGUAGE_WEIGHT = 1


@dataclass(frozen=True, slots=True)
class MatchProfile:
    id: int
    side: str
    sectors: frozenset[str] = frozenset()
    countries_of_interest: frozenset[str] = frozenset()
    own_countries: frozenset[str] = frozenset()
    project_ids_of_interest: frozenset[int] = frozenset()
    own_project_ids: frozenset[int] = frozenset()
    languages: frozenset[str] = frozenset()
    listed: bool = True  # consented to appear in the directory and in others' recommendations


@dataclass(frozen=True, slots=True)
class Labels:
    """Display names for the codes in profiles; a missing code shows as itself."""

    sectors: Mapping[str, str] = field(default_factory=dict)
    countries: Mapping[str, str] = field(default_factory=dict)
    projects: Mapping[int, str] = field(default_factory=dict)
    languages: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recommendation:
    profile_id: int
    score: int
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


def recommend(
    profiles: Iterable[MatchProfile],
    *,
    project_countries: Mapping[int, str],
    top_n: int = 10,
    requested_pairs: Iterable[tuple[int, int]] = (),
    declined_pairs: Iterable[tuple[int, int]] = (),
    labels: Labels | None = None,
) -> dict[int, list[Recommendation]]:
    """The best `top_n` listed counterparts for every profile, best first, with reasons.

    Excludes the profile itself, pairs that already have a meeting request (either way round)
    and declined pairs. A counterpart needs a shared sector, project or country to be
    recommended at all; side and language only add to that. Ties go to the lower id.
    """
    labels = labels or Labels()
    people = sorted(profiles, key=lambda p: p.id)
    count = len(people)
    if count == 0:
        return {}
    ids = np.array([p.id for p in people], dtype=np.int64)
    position = {p.id: index for index, p in enumerate(people)}

    def incidence(values_of) -> tuple[np.ndarray, dict]:
        columns: dict[object, int] = {}
        rows, cols = [], []
        for row, profile in enumerate(people):
            for value in values_of(profile):
                rows.append(row)
                cols.append(columns.setdefault(value, len(columns)))
        matrix = np.zeros((count, max(len(columns), 1)), dtype=np.float32)
        matrix[rows, cols] = 1.0
        return matrix, columns

    def aligned(values_of, columns) -> np.ndarray:
        matrix = np.zeros((count, max(len(columns), 1)), dtype=np.float32)
        for row, profile in enumerate(people):
            for value in values_of(profile):
                if value in columns:
                    matrix[row, columns[value]] = 1.0
        return matrix

    # Shared interests as products of 0/1 incidence matrices: one BLAS call per kind of reason
    # instead of a Python loop over a million pairs.
    sectors, sector_columns = incidence(lambda p: p.sectors)
    places, place_columns = incidence(lambda p: _countries_of(p, project_countries))
    interests = aligned(lambda p: p.countries_of_interest, place_columns)
    owned, project_columns = incidence(lambda p: p.own_project_ids)
    wanted = aligned(lambda p: p.project_ids_of_interest, project_columns)
    languages, _ = incidence(lambda p: p.languages)
    side_names = sorted(COMPLEMENTARY_SIDES)
    side_of = np.array(
        [side_names.index(p.side) if p.side in COMPLEMENTARY_SIDES else -1 for p in people]
    )
    complementary = np.zeros((len(side_names) + 1, len(side_names) + 1), dtype=np.float32)
    for i, side in enumerate(side_names):
        for j, other in enumerate(side_names):
            complementary[i, j] = other in COMPLEMENTARY_SIDES[side]

    projects = owned @ wanted.T
    substance = (
        SECTOR_WEIGHT * (sectors @ sectors.T)
        + COUNTRY_WEIGHT * (interests @ places.T)
        + PROJECT_WEIGHT * (wanted @ owned.T + projects)
    )
    score = (
        substance
        + SIDE_WEIGHT * complementary[side_of[:, None], side_of[None, :]]
        + LANGUAGE_WEIGHT * np.minimum(languages @ languages.T, 1.0)
    )
    score = np.rint(score).astype(np.int64)
    score[substance <= 0] = 0
    unlisted = np.array([not p.listed for p in people])
    score[:, unlisted] = 0
    np.fill_diagonal(score, 0)
    for a, b in [*requested_pairs, *declined_pairs]:
        if a in position and b in position:
            score[position[a], position[b]] = 0
            score[position[b], position[a]] = 0

    # One sortable key per pair: the score first, then the lower id (people are sorted by id).
    key = score * (count + 1) + (count - np.arange(count))[None, :]
    key[score <= 0] = 0
    take = min(top_n, count)
    best = np.argpartition(-key, take - 1, axis=1)[:, :take] if take else np.zeros((count, 0))
    result: dict[int, list[Recommendation]] = {}
    for row, profile in enumerate(people):
        chosen = sorted(best[row], key=lambda col: -key[row, col])
        result[profile.id] = [
            Recommendation(
                profile_id=int(ids[col]),
                score=int(score[row, col]),
                reasons=explain(profile, people[col], project_countries, labels),
            )
            for col in chosen
            if score[row, col] > 0
        ]
    return result


def _countries_of(profile: MatchProfile, project_countries: Mapping[int, str]) -> set[str]:
    return set(profile.own_countries) | {
        project_countries[p] for p in profile.own_project_ids if p in project_countries
    }


def _names(codes: Iterable, names: Mapping) -> str:
    return ", ".join(sorted(str(names.get(code, code)) for code in codes))


def explain(
    profile: MatchProfile,
    other: MatchProfile,
    project_countries: Mapping[int, str],
    labels: Labels,
) -> tuple[str, ...]:
    """Why `other` is a good counterpart for `profile`, in the order that weighs most."""
    reasons = []
    for project in sorted(profile.project_ids_of_interest & other.own_project_ids):
        country = project_countries.get(project)
        reasons.append(
            gettext("interested in %(country)s's project %(project)s")
            % {
                "country": labels.countries.get(country, country),
                "project": labels.projects.get(project, f"#{project}"),
            }
        )
    for project in sorted(other.project_ids_of_interest & profile.own_project_ids):
        reasons.append(
            gettext("interested in your project %(project)s")
            % {"project": labels.projects.get(project, f"#{project}")}
        )
    shared_sectors = profile.sectors & other.sectors
    if shared_sectors:
        reasons.append(
            gettext("both in %(sectors)s") % {"sectors": _names(shared_sectors, labels.sectors)}
        )
    project_places = {
        project_countries[p] for p in other.own_project_ids if p in project_countries
    } & profile.countries_of_interest
    if project_places:
        reasons.append(
            gettext("has projects in %(countries)s")
            % {"countries": _names(project_places, labels.countries)}
        )
    home = (other.own_countries & profile.countries_of_interest) - project_places
    if home:
        reasons.append(
            gettext("based in %(countries)s") % {"countries": _names(home, labels.countries)}
        )
    if other.side in COMPLEMENTARY_SIDES.get(profile.side, frozenset()):
        reasons.append(gettext(SIDE_LABELS[other.side]))
    shared_languages = profile.languages & other.languages
    if shared_languages:
        reasons.append(
            gettext("speaks %(languages)s")
            % {"languages": _names(shared_languages, labels.languages)}
        )
    return tuple(reasons)
