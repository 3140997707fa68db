"""Sort keys for names shown to visitors, in whatever language the page is in."""

import unicodedata


def name_key(name: str) -> str:
    """Alphabetical in English, 가나다 order in Korean (Hangul is encoded in that order)."""
    return unicodedata.normalize("NFKC", str(name)).casefold()


def sorted_countries(codes) -> list[tuple[str, str]]:
    """(code, name) of the countries, sorted by their names in the active language."""
    from django_countries import countries

    pairs = [(code, str(countries.name(code))) for code in codes]
    return sorted(pairs, key=lambda pair: name_key(pair[1]))


def country_list() -> list[tuple[str, str]]:
    """Every country as the forms list them, in the active language's order: the ASEAN member
    states (sorted), then Korea, a break, then every other country (sorted) — django-countries
    sorts Korean names by their English ones when pyuca is missing."""
    from django.conf import settings
    from django_countries import countries

    first = list(settings.COUNTRIES_FIRST)
    others = [code for code, _name in countries if code and code not in first]
    return [
        *sorted_countries(first[:-1]),
        *sorted_countries(first[-1:]),
        ("", settings.COUNTRIES_FIRST_BREAK),
        *sorted_countries(others),
    ]
