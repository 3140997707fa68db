"""Long fixed choice lists (countries, time zones) that cost nothing per form.

The options of a list of hundreds are rendered to HTML once per process and language, not
through the template engine once per option for every page; a form shares the list instead of
copying it, and checks a value against a set.
"""

import functools
from collections.abc import Callable, Iterable

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

ChoicesSource = Callable[[], Iterable[tuple[str, str]]]


@functools.lru_cache(maxsize=64)
def options_html(source: ChoicesSource, language: str) -> str:
    """The <option> elements of the list, in `language` (the source may translate labels)."""
    return "".join(
        f'\n  <option value="{escape(value)}">{escape(label)}</option>' for value, label in source()
    )


class LongSelect(forms.Select):
    """A <select> whose options come from a fixed source, pre-rendered per language."""

    def __init__(self, attrs=None, *, source: ChoicesSource):
        super().__init__(attrs)
        self.source = source

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = options_html(self.source, get_language() or "")
        selected = "" if value is None else escape(str(value))
        tag = f'<option value="{selected}">'
        options = options.replace(tag, f'<option value="{selected}" selected>', 1)
        html = f'<select name="{escape(name)}"{flatatt(final_attrs)}>{options}\n</select>'
        return mark_safe(html)  # noqa: S308 — names, values and labels are escaped above


class LongChoiceField(forms.ChoiceField):
    """A choice field over a long fixed list: each form shares the list instead of deep-copying
    it, a value is looked up in a set instead of the list, and the select is pre-rendered."""

    def __init__(self, *, source: ChoicesSource, valid_values: Callable[[], frozenset[str]], **kw):
        super().__init__(choices=source, widget=LongSelect(source=source), **kw)
        self.valid_values = valid_values

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result

    def valid_value(self, value) -> bool:
        return str(value) in self.valid_values()
