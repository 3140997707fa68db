"""The time zones the site knows and offers, read from the zone database once per process.

One list for every form that asks for a zone (the programme's "show times also in", the
registration form), so a change of its order or contents is made here once.
"""

import functools
import zoneinfo


@functools.cache
def known_time_zones() -> frozenset[str]:
    """Every zone name the system's database has: what a stored or posted zone may be.

    `zoneinfo.available_timezones()` walks the zone directory on each call: never per request.
    """
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """The zones the forms offer, as (value, label) pairs in the order shown."""
    return tuple((name, name.replace("_", " ")) for name in sorted(known_time_zones()))


@functools.cache
def offered_time_zones() -> frozenset[str]:
    return frozenset(name for name, _label in time_zone_choices())
