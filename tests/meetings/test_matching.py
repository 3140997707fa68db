"""Matchmaking scores: reasons as codes and in words, exclusions and deterministic ties."""

import random

import pytest

from meetings.matching import (
    COMPANY,
    FINANCIER,
    PROJECT_OWNER,
    MatchProfile,
    best_for,
    explain,
    index_candidates,
    recommend,
)
from meetings.selectors.recommendations import Labels, reason_texts

PROJECT_COUNTRIES = {10: "VN", 11: "KH"}
LABELS = Labels(
    sectors={"smart_cities": "smart cities", "energy": "energy"},
    countries={"VN": "Viet Nam", "KH": "Cambodia", "KR": "Korea"},
    projects={10: "Da Nang smart city", 11: "Phnom Penh ring road"},
    languages={"en": "English", "ko": "Korean"},
)


def company(profile_id, **fields):
    return MatchProfile(id=profile_id, side=COMPANY, **fields)


def owner(profile_id, **fields):
    return MatchProfile(id=profile_id, side=PROJECT_OWNER, **fields)


def test_reasons_name_the_shared_sector_and_the_wanted_project():
    builder = company(
        1,
        sectors=frozenset({"smart_cities"}),
        project_ids_of_interest=frozenset({10}),
        languages=frozenset({"en", "ko"}),
    )
    viet_nam = owner(
        2,
        sectors=frozenset({"smart_cities", "energy"}),
        own_countries=frozenset({"VN"}),
        own_project_ids=frozenset({10}),
        languages=frozenset({"en"}),
    )
    result = recommend([builder, viet_nam], project_countries=PROJECT_COUNTRIES)

    assert [r.profile_id for r in result[1]] == [2]
    assert result[1][0].reasons == (
        ("wants_their_project", {"project": 10, "country": "VN"}),
        ("shared_sectors", {"sectors": ["smart_cities"]}),
        ("side", {"side": PROJECT_OWNER}),
        ("shared_languages", {"languages": ["en"]}),
    )
    assert "; ".join(reason_texts(result[1][0].reasons, LABELS)) == (
        "interested in Viet Nam's project Da Nang smart city; both in smart cities; "
        "a project owner; speaks English"
    )
    assert reason_texts(result[2][0].reasons, LABELS) == (
        "interested in your project Da Nang smart city",
        "both in smart cities",
        "a company",
        "speaks English",
    )
    assert result[1][0].score == 5 + 3 + 2 + 1


def test_country_of_interest_matches_where_projects_and_offices_are():
    investor = MatchProfile(id=1, side=FINANCIER, countries_of_interest=frozenset({"KH", "KR"}))
    cambodia = owner(2, own_countries=frozenset({"KH"}), own_project_ids=frozenset({11}))
    seoul = company(3, own_countries=frozenset({"KR"}))
    result = recommend([investor, cambodia, seoul], project_countries=PROJECT_COUNTRIES)

    assert [(r.profile_id, reason_texts(r.reasons, LABELS)) for r in result[1]] == [
        (2, ("has projects in Cambodia", "a project owner")),
        (3, ("based in Korea", "a company")),
    ]


def test_excludes_self_requested_declined_and_unlisted_and_needs_a_shared_interest():
    sector = frozenset({"energy"})
    profiles = [
        company(1, sectors=sector),
        owner(2, sectors=sector),
        owner(3, sectors=sector),
        owner(4, sectors=sector, listed=False),
        owner(5, languages=frozenset({"en"})),  # side and language alone are not enough
        owner(6, sectors=sector),
    ]
    result = recommend(
        profiles,
        project_countries={},
        requested_pairs=[(2, 1)],
        declined_pairs=[(1, 3)],
    )

    assert [r.profile_id for r in result[1]] == [6]
    # the unlisted participant still gets recommendations, just never appears in others'
    assert [r.profile_id for r in result[4]] == [1, 2, 3, 6]


def test_equal_scores_go_to_the_lower_id_and_top_n_cuts():
    sector = frozenset({"energy"})
    profiles = [owner(7, sectors=sector), company(9, sectors=sector), company(3, sectors=sector)]
    profiles += [company(5, sectors=sector)]

    first = recommend(profiles, project_countries={}, top_n=2)
    again = recommend(list(reversed(profiles)), project_countries={}, top_n=2)

    assert [r.profile_id for r in first[7]] == [3, 5]
    assert first == again


def test_no_profiles_no_recommendations():
    assert recommend([], project_countries={}) == {}


def seeded_profiles(count: int, seed: int) -> tuple[list[MatchProfile], dict[int, str]]:
    """A forum's worth of varied profiles: every kind of reason, overlaps and ties."""
    rng = random.Random(seed)
    sectors = ["transport", "energy", "smart_cities", "ict", "water", "logistics", "finance"]
    places = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN", "KR", "JP"]
    project_countries = {project: rng.choice(places[:11]) for project in range(1, 40)}
    profiles = []
    for profile_id in rng.sample(range(1, count * 3), count):
        side = rng.choice([COMPANY, PROJECT_OWNER, FINANCIER, "other"])
        profiles.append(
            MatchProfile(
                id=profile_id,
                side=side,
                sectors=frozenset(rng.sample(sectors, rng.randint(0, 3))),
                countries_of_interest=frozenset(rng.sample(places, rng.randint(0, 4))),
                own_countries=frozenset({rng.choice(places)}),
                project_ids_of_interest=frozenset(rng.sample(range(1, 45), rng.randint(0, 4))),
                own_project_ids=frozenset(rng.sample(range(1, 40), rng.randint(0, 2)))
                if side == PROJECT_OWNER
                else frozenset(),
                languages=frozenset(rng.sample(["en", "ko", "vi", "th"], rng.randint(0, 2))),
                listed=rng.random() < 0.85,
            )
        )
    return profiles, project_countries


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_viewer_against_the_candidates_gives_the_full_matrix_result(seed):
    profiles, project_countries = seeded_profiles(300, seed)
    rng = random.Random(seed)
    ids = [p.id for p in profiles]
    requested = [tuple(rng.sample(ids, 2)) for _ in range(400)]
    declined = [tuple(rng.sample(ids, 2)) for _ in range(100)]
    everyone = recommend(
        profiles,
        project_countries=project_countries,
        requested_pairs=requested,
        declined_pairs=declined,
    )
    candidates = index_candidates(profiles, project_countries=project_countries)
    country_of = {p.id: next(iter(p.own_countries)) for p in profiles if p.listed}
    by_id = {p.id: p for p in profiles}

    for viewer in profiles:
        excluded = {b for a, b in requested + declined if a == viewer.id}
        excluded |= {a for a, b in requested + declined if b == viewer.id}
        best = best_for(viewer, candidates, country_of=country_of, excluded=excluded)

        expected = everyone[viewer.id]
        assert best == [(r.profile_id, r.score) for r in expected]
        assert [explain(viewer, by_id[i], project_countries) for i, _ in best] == [
            r.reasons for r in expected
        ]
    assert sum(len(found) for found in everyone.values()) > 2000  # the comparison compared
