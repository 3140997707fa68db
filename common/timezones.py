"""The time zones the site knows and offers, read from the zone database once per process.

One list for every form that asks for a zone (the programme's "show times also in", the
registration form), so a change of its order or contents is made here once.

Every name the database knows is read as the zone the forms offer (`canonical_zone`): browsers
report some zones under legacy names (Chromium says Asia/Saigon, Asia/Rangoon, Asia/Calcutta), and
the database keeps those as links — the `backward` file's, shipped in the tzdata package's
tzdata.zi as `L target alias` lines. The cookie, the forms and the stored registrations all go
through it, so the zone a page detects and the one a form preselects are the same.

Offered: the canonical zones of the IANA database's zone.tab (one or more per country, no
`Factory`, `localtime`, `posixrules` or legacy aliases such as `US/Eastern`) and UTC — the zones
of the 11 ASEAN member states and Korea first, each labelled with its city and country in the
page's language, so typing "Jakarta", "Indonesia" or "인도네시아" finds it.
"""

import functools
import zoneinfo
from importlib import resources

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries


@functools.cache
def known_time_zones() -> frozenset[str]:
    """Every zone name the system's database has: what a stored or posted zone may be.

    `zoneinfo.available_timezones()` walks the zone directory on each call: never per request.
    """
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def canonical_zones() -> tuple[tuple[str, str], ...]:
    """(zone, country code) of each canonical zone, from the tzdata package's zone.tab."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text()
    zones = []
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, zone = line.split("\t")[:3]
        if zone in known_time_zones():
            zones.append((zone, country))
    return tuple(zones)


@functools.cache
def zone_links() -> dict[str, str]:
    """alias → target for every link of the zone database (tzdata.zi's `L target alias`)."""
    table = resources.files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text()
    links = {}
    for line in table.splitlines():
        if line.startswith("L "):
            _kind, target, alias = line.split()[:3]
            links[alias] = target
    return links


# The universal zones' other names (Etc/UTC, Etc/GMT and their links) are offered as UTC.
UNIVERSAL = frozenset({"Etc/UTC", "Etc/GMT"})


@functools.cache
def _canonical_names() -> dict[str, str]:
    offered = offered_time_zones()
    links = zone_links()
    names = {}
    for name in known_time_zones() | links.keys():
        zone, seen = name, set()
        while zone not in offered and zone in links and zone not in seen:
            seen.add(zone)
            zone = links[zone]
        if zone in UNIVERSAL:
            zone = "UTC"
        if zone in offered:
            names[name] = zone
    return names


def canonical_zone(name: str | None) -> str | None:
    """The offered zone for any name the zone database knows, its legacy aliases included
    (Asia/Saigon → Asia/Ho_Chi_Minh, Asia/Rangoon → Asia/Yangon); None for anything else
    (fixed offsets such as Etc/GMT-7, which no form offers, or a made-up name)."""
    return _canonical_names().get(name or "")


# The cities of the ASEAN member states' and Korea's zones in the page's language (서울, 호찌민);
# other zones keep the database's English city.
ZONE_CITIES = {
    "Asia/Bangkok": _("Bangkok"),
    "Asia/Brunei": _("Brunei"),
    "Asia/Dili": _("Dili"),
    "Asia/Ho_Chi_Minh": _("Ho Chi Minh"),
    "Asia/Jakarta": _("Jakarta"),
    "Asia/Jayapura": _("Jayapura"),
    "Asia/Kuala_Lumpur": _("Kuala Lumpur"),
    "Asia/Kuching": _("Kuching"),
    "Asia/Makassar": _("Makassar"),
    "Asia/Manila": _("Manila"),
    "Asia/Phnom_Penh": _("Phnom Penh"),
    "Asia/Pontianak": _("Pontianak"),
    "Asia/Seoul": _("Seoul"),
    "Asia/Singapore": _("Singapore"),
    "Asia/Vientiane": _("Vientiane"),
    "Asia/Yangon": _("Yangon"),
}


def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """The zones the forms offer, as (value, label) pairs in the order shown, in the page's
    language."""
    return _time_zone_choices(get_language() or settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=8)
def _time_zone_choices(language: str) -> tuple[tuple[str, str], ...]:
    first = settings.COUNTRIES_FIRST  # the ASEAN member states and Korea

    def label(zone: str, country: str) -> str:
        city = ZONE_CITIES.get(zone) or zone.rsplit("/", 1)[-1].replace("_", " ")
        return f"{city} — {countries.name(country)} ({zone})"

    ours = sorted(
        (label(zone, country), zone) for zone, country in canonical_zones() if country in first
    )
    others = sorted(
        (zone, label(zone, country)) for zone, country in canonical_zones() if country not in first
    )
    return (
        *((zone, text) for text, zone in ours),
        *others,
        ("UTC", "UTC"),
    )


@functools.cache
def offered_time_zones() -> frozenset[str]:
    return frozenset(zone for zone, _country in canonical_zones()) | {"UTC"}
