"""Generate a realistic large online forum as a `meeting-schedule-problem/1` dict.

Shaped on the 9th forum's online business meetings (24 January to 11 February 2022): Korean
companies and financiers on Seoul time, ASEAN project owners from Yangon (UTC+6:30) to Dili
(UTC+9), 30-minute slots on the forum's clock (Asia/Seoul), each participant free only within
their own business hours, some days off, a limited number of video rooms with interpreters, and
skewed popularity: the most wanted project owners get more requests than they have free slots.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta

# Minutes ahead of Seoul (UTC+9) for each side's home; Seoul and Dili share a clock.
ASEAN_OFFSETS = {
    "MM": -150,  # Yangon UTC+6:30
    "KH": -120,
    "LA": -120,
    "TH": -120,
    "VN": -120,
    "ID": -120,  # Jakarta; eastern Indonesia is +9 but the ministries sit in Jakarta
    "BN": -60,
    "MY": -60,
    "PH": -60,
    "SG": -60,
    "TL": 0,  # Dili UTC+9
}
FIRST_DAY = date(2022, 1, 24)
LAST_DAY = date(2022, 2, 11)
DAY_START = 9 * 60  # 09:00 Seoul
SLOT_MINUTES = 30
LOCAL_HOURS = (9 * 60, 18 * 60)


def forum_days() -> list[date]:
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def generate_forum(
    *,
    seed: int = 1,
    participants: int = 1000,
    requests: int = 5000,
    slots: int = 200,
    rooms: int = 30,
    fairness: int | None = None,
) -> dict:
    rng = random.Random(seed)
    days = forum_days()
    per_day, extra = divmod(slots, len(days))
    slot_list = []
    slot_day: list[int] = []
    slot_minute: list[int] = []
    for number, day in enumerate(days):
        for k in range(per_day + (number < extra)):
            minute = DAY_START + k * SLOT_MINUTES
            slot_list.append(
                {
                    "id": len(slot_list) + 1,
                    "day": day.isoformat(),
                    "session": "am" if minute < 12 * 60 else "pm",
                    "start": f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}+09:00",
                }
            )
            slot_day.append(number)
            slot_minute.append(minute)

    sides = []
    for person in range(participants):
        roll = rng.random()
        if roll < 0.55:
            sides.append(("company", "KR"))
        elif roll < 0.65:
            sides.append(("financier", rng.choice(["KR", "KR", "SG", "PH"])))
        else:
            sides.append(("project_owner", rng.choice(sorted(ASEAN_OFFSETS))))
        del person

    people = []
    for person, (side, country) in enumerate(sides, start=1):
        offset = ASEAN_OFFSETS.get(country, 0)
        off_days = set(rng.sample(range(len(days)), rng.choice([0, 1, 1, 2, 3, 4])))
        unavailable = []
        for index in range(len(slot_list)):
            local_start = slot_minute[index] + offset
            outside_hours = not (
                LOCAL_HOURS[0] <= local_start and local_start + SLOT_MINUTES <= LOCAL_HOURS[1]
            )
            # a lunch hour at 12:00 local, and the odd other appointment
            lunch = 12 * 60 <= local_start < 13 * 60
            if outside_hours or lunch or slot_day[index] in off_days or rng.random() < 0.04:
                unavailable.append(index + 1)
        people.append({"id": person, "side": side, "country": country, "unavailable": unavailable})

    owners = [p["id"] for p in people if p["side"] == "project_owner"]
    others = [p["id"] for p in people if p["side"] != "project_owner"]
    # Zipf-like popularity: a handful of flagship projects draw most of the requests.
    ranked = rng.sample(owners, len(owners))
    popularity = {owner: 1.0 / (rank + 1) ** 0.9 for rank, owner in enumerate(ranked)}
    activity = {other: rng.paretovariate(2.0) for other in others}
    owner_weights = [popularity[o] for o in owners]
    other_weights = [activity[o] for o in others]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < requests:
        if rng.random() < 0.85:
            a = rng.choices(others, other_weights)[0]
            b = rng.choices(owners, owner_weights)[0]
        else:  # companies also meet financiers
            a, b = rng.choices(others, other_weights, k=2)
            if a == b:
                continue
        pairs.add((min(a, b), max(a, b)))
    meetings = [
        {"id": number, "a": a, "b": b, "priority": rng.choices([1, 2, 3], [5, 3, 2])[0]}
        for number, (a, b) in enumerate(sorted(pairs), start=1)
    ]
    rng.shuffle(meetings)
    for number, meeting in enumerate(meetings, start=1):
        meeting["id"] = number
    meetings.sort(key=lambda m: m["id"])
    problem = {
        "format": "meeting-schedule-problem/1",
        "name": f"online-forum-seed{seed}",
        "slots": slot_list,
        "rooms": rooms,
        "participants": people,
        "meetings": meetings,
    }
    if fairness is not None:
        problem["fairness"] = fairness
    return problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--slots", type=int, default=200)
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--fairness", type=int)
    parser.add_argument("--output", help="file to write; stdout when left out")
    args = parser.parse_args()
    problem = generate_forum(
        seed=args.seed,
        participants=args.participants,
        requests=args.requests,
        slots=args.slots,
        rooms=args.rooms,
        fairness=args.fairness,
    )
    text = json.dumps(problem, indent=1)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
