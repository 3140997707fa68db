"""A profile's card in the directory and the recommendations, written in Python.

The directory shows twenty cards a page and the recommendations ten: through the template
engine each cost about half a millisecond (a dozen lookups, filters and a translated line), as
much as the rest of the page. `{% profile_card card %}` writes the same HTML directly, every
value escaped as the template escaped it (docs/performance.md)."""

import functools

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django_countries import countries

from common.templatetags.usertext import bdi
from meetings.choices import ProfileSide

register = template.Library()

DESCRIPTION_WORDS = 40


@functools.lru_cache(maxsize=8)
def _words(language: str) -> tuple[dict[str, str], str]:
    """The sides' names (escaped) and the "presents" line, in `language` (the active one)."""
    sides = {value: escape(label) for value, label in ProfileSide.choices}
    return sides, gettext("presents %(title)s")


@functools.lru_cache(maxsize=1024)
def _country_name(code: str, language: str) -> str:
    return escape(countries.name(code))


@register.simple_tag
def profile_card(card) -> SafeString:
    """The card of a business profile whose registration, sectors and projects presented are
    loaded with it (`selectors.directory_cards`)."""
    registration = card.registration
    description = ""
    if card.description:
        words = Truncator(card.description).words(DESCRIPTION_WORDS, truncate=" …")
        description = f'<p class="mb-1"><bdi>{escape(words)}</bdi></p>'
    sectors = "".join(
        f'<span class="badge text-bg-light border">{escape(sector.display_name)}</span> '
        for sector in card.sectors.all()
    )
    language = get_language() or ""
    sides, presents = _words(language)
    projects = "".join(
        f'<span class="badge text-bg-info">'
        f"{presents % {'title': conditional_escape(project.title)}}</span> "
        for project in card.projects_presented.all()
    )
    return mark_safe(  # noqa: S308 — every value is escaped above
        f'\n<h3 class="h5 mb-1">{bdi(registration.organisation_both)}</h3>\n'
        f'<p class="mb-1">{bdi(registration.name_both)}, {bdi(registration.job_title)} · '
        f"{_country_name(str(registration.country), language)} · "
        f'<span class="badge text-bg-secondary">{sides.get(card.side, escape(card.side))}</span>'
        "</p>\n"
        f"{description}\n"
        f'<p class="mb-0 small">\n  {sectors}\n  {projects}\n</p>\n'
    )
