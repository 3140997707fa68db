"""Benchmark: recommendations with reasons, all pairs at once and for one viewer at a time.

All pairs (`recommend`, numpy) is what the organisers' mutual matches use; one viewer
(`best_for` over `index_candidates`, then `explain` for the ten shown) is what the
recommendations page does on each view. Both give the same result (tests/meetings/test_matching.py).
"""

from __future__ import annotations

import argparse
import random
import time

from _common import configure_django, machine, print_table

configure_django()

from meetings.matching import (  # noqa: E402
    COMPANY,
    FINANCIER,
    PROJECT_OWNER,
    MatchProfile,
    best_for,
    explain,
    index_candidates,
    recommend,
)

SECTORS = [
    "transport",
    "energy",
    "smart cities",
    "ICT",
    "water",
    "logistics",
    "finance",
    "construction",
    "engineering",
    "digital innovation",
    "sustainable infrastructure",
    "people mobility",
]
COUNTRIES = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN", "KR"]
LANGUAGES = ["en", "ko", "vi", "th", "id", "ms", "fr"]


def make_profiles(count: int, seed: int) -> tuple[list[MatchProfile], dict[int, str]]:
    rng = random.Random(seed)
    project_countries = {}
    profiles = []
    next_project = 1
    for profile_id in range(1, count + 1):
        side = rng.choices([COMPANY, PROJECT_OWNER, FINANCIER], weights=[6, 3, 1])[0]
        own_projects = []
        home = rng.choice(COUNTRIES[:-1]) if side == PROJECT_OWNER else rng.choice(COUNTRIES)
        if side == PROJECT_OWNER:
            for _ in range(rng.randint(1, 3)):
                project_countries[next_project] = home
                own_projects.append(next_project)
                next_project += 1
        profiles.append(
            MatchProfile(
                id=profile_id,
                side=side,
                sectors=frozenset(rng.sample(SECTORS, rng.randint(1, 3))),
                countries_of_interest=frozenset(rng.sample(COUNTRIES, rng.randint(1, 4))),
                own_countries=frozenset({home}),
                project_ids_of_interest=frozenset(),
                own_project_ids=frozenset(own_projects),
                languages=frozenset({"en"} | set(rng.sample(LANGUAGES, rng.randint(0, 2)))),
                listed=rng.random() < 0.9,
            )
        )
    projects = sorted(project_countries)
    profiles = [
        MatchProfile(
            **{
                **{f: getattr(p, f) for f in MatchProfile.__slots__},
                "project_ids_of_interest": frozenset(rng.sample(projects, rng.randint(0, 5)))
                if p.side != PROJECT_OWNER
                else frozenset(),
            }
        )
        for p in profiles
    ]
    return profiles, project_countries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=2000, help="both sides together")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    print(f"# {machine()}")
    rows = []
    for seed in args.seeds:
        profiles, project_countries = make_profiles(args.participants, seed)
        rng = random.Random(seed)
        ids = [p.id for p in profiles]
        requested = [tuple(rng.sample(ids, 2)) for _ in range(5000)]
        declined = [tuple(rng.sample(ids, 2)) for _ in range(500)]
        started = time.perf_counter()
        result = recommend(
            profiles,
            project_countries=project_countries,
            top_n=args.top,
            requested_pairs=requested,
            declined_pairs=declined,
        )
        seconds = time.perf_counter() - started
        filled = sum(len(v) for v in result.values())
        started = time.perf_counter()
        candidates = index_candidates(profiles, project_countries=project_countries)
        indexing = time.perf_counter() - started
        country_of = {p.id: next(iter(p.own_countries)) for p in profiles if p.listed}
        viewers = profiles[:200]
        by_id = {p.id: p for p in profiles}
        excluded: dict[int, set[int]] = {}
        for a, b in requested + declined:
            excluded.setdefault(a, set()).add(b)
            excluded.setdefault(b, set()).add(a)
        started = time.perf_counter()
        for viewer in viewers:
            best = best_for(
                viewer,
                candidates,
                country_of=country_of,
                top_n=args.top,
                excluded=excluded.get(viewer.id, ()),
            )
            [explain(viewer, by_id[i], project_countries) for i, _ in best]
        one = (time.perf_counter() - started) / len(viewers)
        rows.append(
            [
                seed,
                len(profiles),
                filled,
                f"{seconds:.2f}",
                f"{indexing * 1000:.0f}",
                f"{one * 1000:.1f}",
            ]
        )
    print_table(
        [
            "seed",
            "profiles",
            "recommendations",
            "all pairs s",
            "index ms (once)",
            "one viewer ms",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
