"""Content in the page's language, with English fallback text marked `lang="en"` for readers and
screen readers (django-modeltranslation fields, see forum/translation.py)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from forum.translation import is_translated

register = template.Library()


@register.filter
def translated(obj, field: str):
    """`{{ session|translated:"title" }}`: the active language's value, or English marked so."""
    if obj is None:
        return ""
    value = getattr(obj, field)
    language = get_language() or "en"
    if not value or language == "en" or not is_translated(type(obj), field):
        return value
    if getattr(obj, build_localized_fieldname(field, language), None):
        return value
    return format_html('<span lang="en">{}</span>', value)


@register.filter
def english(value):
    """Text that exists only in English (an honorific, an acronym), marked on other pages."""
    if not value or (get_language() or "en") == "en":
        return value
    return format_html('<span lang="en">{}</span>', conditional_escape(value))
