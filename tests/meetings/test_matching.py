"""Matchmaking scores: reasons in words, exclusions and deterministic ties."""

from meetings.matching import COMPANY, FINANCIER, PROJECT_OWNER, Labels, MatchProfile, recommend

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
    result = recommend([builder, viet_nam], project_countries=PROJECT_COUNTRIES, labels=LABELS)

    assert [r.profile_id for r in result[1]] == [2]
    assert result[1][0].reason_text == (
        "interested in Viet Nam's project Da Nang smart city; both in smart cities; "
        "a project owner; speaks English"
    )
    assert result[2][0].reasons == (
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
    result = recommend(
        [investor, cambodia, seoul], project_countries=PROJECT_COUNTRIES, labels=LABELS
    )

    assert [(r.profile_id, r.reasons) for r in result[1]] == [
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
