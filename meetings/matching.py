"""Matchmaking scores: who should meet whom among business-meeting participants, and why.

Pure code on plain dataclasses, so a selector can build `MatchProfile`s from business profiles
and the recommendations can be tested and benchmarked without a database. Reasons are codes
with parameters (`("shared_sectors", {"sectors": [...]})`): a page words them in its viewer's
language.

One viewer (the recommendations page) is scored with `best_for` against `Candidates`, every
candidate's features once as bit sets, so a view costs one pass of ANDs and bit counts over the
candidates; `recommend` scores all pairs at once with numpy (the organisers' mutual matches).
Both give the same scores and the same order.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_noop

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


# A reason: its code and the codes it names (sector slugs, country codes, project ids, sides,
# language codes), in the order that weighs most.
Reason = tuple[str, dict]


@dataclass(frozen=True, slots=True)
class Recommendation:
    profile_id: int
    score: int
    reasons: tuple[Reason, ...] = ()


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


def _incidence(people: list[MatchProfile], values_of):
    """A 0/1 matrix: a row per profile, a column per value any of them has; the columns."""
    import numpy as np

    columns: dict[object, int] = {}
    rows, cols = [], []
    for row, profile in enumerate(people):
        for value in values_of(profile):
            rows.append(row)
            cols.append(columns.setdefault(value, len(columns)))
    matrix = np.zeros((len(people), max(len(columns), 1)), dtype=np.float32)
    matrix[rows, cols] = 1.0
    return matrix, columns


def _aligned(people: list[MatchProfile], values_of, columns: dict):
    """A 0/1 matrix over another matrix's columns (values no one has there are left out)."""
    import numpy as np

    matrix = np.zeros((len(people), max(len(columns), 1)), dtype=np.float32)
    for row, profile in enumerate(people):
        for value in values_of(profile):
            if value in columns:
                matrix[row, columns[value]] = 1.0
    return matrix


def _scores(people: list[MatchProfile], project_countries: Mapping[int, str]):
    """Every pair's score (row: the profile, column: the counterpart), 0 without substance.

    Shared interests as products of 0/1 incidence matrices: one BLAS call per kind of reason
    instead of a Python loop over a million pairs."""
    import numpy as np

    sectors, _ = _incidence(people, lambda p: p.sectors)
    places, place_columns = _incidence(people, lambda p: _countries_of(p, project_countries))
    interests = _aligned(people, lambda p: p.countries_of_interest, place_columns)
    owned, project_columns = _incidence(people, lambda p: p.own_project_ids)
    wanted = _aligned(people, lambda p: p.project_ids_of_interest, project_columns)
    languages, _ = _incidence(people, lambda p: p.languages)
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
    return score


def recommend(
    profiles: Iterable[MatchProfile],
    *,
    project_countries: Mapping[int, str],
    top_n: int = 10,
    requested_pairs: Iterable[tuple[int, int]] = (),
    declined_pairs: Iterable[tuple[int, int]] = (),
    with_reasons: bool = True,
) -> dict[int, list[Recommendation]]:
    """The best `top_n` listed counterparts for every profile, best first, with reasons.

    Excludes the profile itself, pairs that already have a meeting request (either way round)
    and declined pairs. A counterpart needs a shared sector, project or country to be
    recommended at all; side and language only add to that. Ties go to the lower id.
    """
    import numpy as np  # only staff pages and benchmarks score every pair: not at start-up

    people = sorted(profiles, key=lambda p: p.id)
    count = len(people)
    if count == 0:
        return {}
    ids = np.array([p.id for p in people], dtype=np.int64)
    position = {p.id: index for index, p in enumerate(people)}
    score = _scores(people, project_countries)
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
                reasons=explain(profile, people[col], project_countries) if with_reasons else (),
            )
            for col in chosen
            if score[row, col] > 0
        ]
    return result


def _countries_of(profile: MatchProfile, project_countries: Mapping[int, str]) -> set[str]:
    return set(profile.own_countries) | {
        project_countries[p] for p in profile.own_project_ids if p in project_countries
    }


def explain(
    profile: MatchProfile, other: MatchProfile, project_countries: Mapping[int, str]
) -> tuple[Reason, ...]:
    """Why `other` is a good counterpart for `profile`, in the order that weighs most."""
    reasons: list[Reason] = []
    for project in sorted(profile.project_ids_of_interest & other.own_project_ids):
        reasons.append(
            ("wants_their_project", {"project": project, "country": project_countries.get(project)})
        )
    for project in sorted(other.project_ids_of_interest & profile.own_project_ids):
        reasons.append(("wants_your_project", {"project": project}))
    shared_sectors = profile.sectors & other.sectors
    if shared_sectors:
        reasons.append(("shared_sectors", {"sectors": sorted(shared_sectors)}))
    project_places = {
        project_countries[p] for p in other.own_project_ids if p in project_countries
    } & profile.countries_of_interest
    if project_places:
        reasons.append(("projects_in", {"countries": sorted(project_places)}))
    home = (other.own_countries & profile.countries_of_interest) - project_places
    if home:
        reasons.append(("based_in", {"countries": sorted(home)}))
    if other.side in COMPLEMENTARY_SIDES.get(profile.side, frozenset()):
        reasons.append(("side", {"side": other.side}))
    shared_languages = profile.languages & other.languages
    if shared_languages:
        reasons.append(("shared_languages", {"languages": sorted(shared_languages)}))
    return tuple(reasons)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Every candidate's features once, each a bit set over numbered codes (`bits`).

    Built once per change of the profiles (a selector keeps it); a candidate's own country and
    whether it may be recommended now are given per view, as they change with its registration.
    """

    ids: tuple[int, ...]
    sides: tuple[str, ...]
    sectors: tuple[int, ...]
    project_places: tuple[int, ...]  # the countries of the projects it presents
    owned: tuple[int, ...]
    wanted: tuple[int, ...]
    languages: tuple[int, ...]
    bits: Mapping[str, Mapping[object, int]]
    position: Mapping[int, int]

    def mask(self, kind: str, values: Iterable) -> int:
        """The bit set of `values` among this kind's codes; a code no candidate has adds nothing."""
        numbered = self.bits[kind]
        mask = 0
        for value in values:
            bit = numbered.get(value)
            if bit is not None:
                mask |= 1 << bit
        return mask


def index_candidates(
    profiles: Iterable[MatchProfile], *, project_countries: Mapping[int, str]
) -> Candidates:
    """The candidates' features as bit sets (their own countries are left to `best_for`)."""
    people = sorted(profiles, key=lambda p: p.id)
    bits: dict[str, dict[object, int]] = {
        kind: {} for kind in ("sectors", "countries", "projects", "languages")
    }

    def mask(kind: str, values: Iterable) -> int:
        numbered = bits[kind]
        result = 0
        for value in values:
            result |= 1 << numbered.setdefault(value, len(numbered))
        return result

    rows = [
        (
            mask("sectors", p.sectors),
            mask(
                "countries",
                sorted(project_countries[x] for x in p.own_project_ids if x in project_countries),
            ),
            mask("projects", sorted(p.own_project_ids)),
            mask("projects", sorted(p.project_ids_of_interest)),
            mask("languages", sorted(p.languages)),
        )
        for p in people
    ]
    return Candidates(
        ids=tuple(p.id for p in people),
        sides=tuple(p.side for p in people),
        sectors=tuple(row[0] for row in rows),
        project_places=tuple(row[1] for row in rows),
        owned=tuple(row[2] for row in rows),
        wanted=tuple(row[3] for row in rows),
        languages=tuple(row[4] for row in rows),
        bits=bits,
        position={p.id: index for index, p in enumerate(people)},
    )


def best_for(
    viewer: MatchProfile,
    candidates: Candidates,
    *,
    country_of: Mapping[int, str],
    top_n: int = 10,
    excluded: Iterable[int] = (),
) -> list[tuple[int, int]]:
    """The viewer's best `top_n` counterparts as (profile id, score), best first.

    `country_of` names the candidates that may be recommended now (listed, of a confirmed
    registration) and each one's own country; `excluded` are profile ids with a request either
    way or a declined one. Scores, exclusions and ties are `recommend`'s: a shared sector,
    project or country is needed, side and language only add to it, ties go to the lower id.
    """
    left_out = set(excluded) | {viewer.id}
    sectors = candidates.mask("sectors", viewer.sectors)
    interests = candidates.mask("countries", viewer.countries_of_interest)
    owned = candidates.mask("projects", viewer.own_project_ids)
    wanted = candidates.mask("projects", viewer.project_ids_of_interest)
    languages = candidates.mask("languages", viewer.languages)
    country_bits = candidates.bits["countries"]
    complementary = COMPLEMENTARY_SIDES.get(viewer.side, frozenset())
    scored = []
    for profile_id, country in country_of.items():
        index = candidates.position.get(profile_id)
        if index is None or profile_id in left_out:
            continue
        places = candidates.project_places[index]
        shared_places = (interests & places).bit_count()
        if country in viewer.countries_of_interest:  # based there, unless a project counts it
            bit = country_bits.get(country)
            if bit is None or not places >> bit & 1:
                shared_places += 1
        substance = (
            SECTOR_WEIGHT * (sectors & candidates.sectors[index]).bit_count()
            + COUNTRY_WEIGHT * shared_places
            + PROJECT_WEIGHT
            * (
                (wanted & candidates.owned[index]).bit_count()
                + (owned & candidates.wanted[index]).bit_count()
            )
        )
        if substance <= 0:
            continue
        score = substance + SIDE_WEIGHT * (candidates.sides[index] in complementary)
        score += LANGUAGE_WEIGHT * bool(languages & candidates.languages[index])
        scored.append((-score, profile_id))
    return [(profile_id, -negative) for negative, profile_id in heapq.nsmallest(top_n, scored)]
