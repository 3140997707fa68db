"""Widgets the forms share.

Long fixed choice lists (countries, time zones) that cost nothing per form: the options of a list
of hundreds are rendered to HTML once per process and language, not through the template engine
once per option for every page; a form shares the list instead of copying it, and checks a value
against a set.

Free text with a stated limit and a live counter (`LimitedTextField`).
"""

import functools
from collections.abc import Callable, Iterable

from django import forms
from django.forms.utils import flatatt
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from common.timezones import canonical_zone, offered_time_zones

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


class FixedChoiceField(forms.ChoiceField):
    """A choice field whose choices never change per form: each form shares them instead of
    deep-copying them (Django's copy goes through every choice, lazy translations included, on
    every form a page or a submission builds)."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class LongChoiceField(FixedChoiceField):
    """A choice field over a long fixed list: each form shares the list instead of deep-copying
    it, a value is looked up in a set instead of the list, and the select is pre-rendered."""

    def __init__(self, *, source: ChoicesSource, valid_values: Callable[[], frozenset[str]], **kw):
        super().__init__(choices=source, widget=LongSelect(source=source), **kw)
        self.valid_values = valid_values

    def valid_value(self, value) -> bool:
        return str(value) in self.valid_values()


class CountedTextarea(forms.Textarea):
    """A textarea that shows how many characters are left (forum/counter.js), without the
    browser's `maxlength`, which cuts a pasted text at the limit without a word: the person sees
    the count go past the limit, and the form says by how much, keeping the text."""

    def __init__(self, attrs=None, *, limit: int):
        super().__init__(attrs)
        self.limit = limit

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        attrs.pop("maxlength", None)
        attrs["data-limit"] = str(self.limit)
        attrs["dir"] = "auto"  # a text in Arabic or Hebrew reads right to left as it is typed
        # The words the counter shows, in the page's language: "%(count)s" and "%(limit)s"
        # or "%(over)s" are replaced as the person types.
        attrs["data-count-text"] = str(_("%(count)s of %(limit)s characters"))
        attrs["data-over-text"] = str(_("%(over)s over the limit: please shorten the text."))
        return context


class LimitedTextField(forms.CharField):
    """Free text with a limit that the page states, a live counter shows and the server checks
    with a message that says by how much the text is too long (the text stays in the form)."""

    def __init__(self, *, limit: int, help_text="", rows: int = 3, **kwargs):
        self.limit = limit
        limit_text = format_lazy(_("Up to {limit} characters."), limit=intcomma_lazy(limit))
        help_text = format_lazy("{} {}", help_text, limit_text) if help_text else limit_text
        super().__init__(
            help_text=help_text,
            widget=CountedTextarea(attrs={"rows": rows}, limit=limit),
            **kwargs,
        )

    def to_python(self, value):
        # Browsers send new lines as CR LF but count them as one character, as the counter does.
        return super().to_python(value).replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        if (length := len(value)) > self.limit:
            over = length - self.limit
            message = ngettext(
                "This text has %(length)s characters; at most %(limit)s fit. "
                "Please shorten it by %(over)s character.",
                "This text has %(length)s characters; at most %(limit)s fit. "
                "Please shorten it by %(over)s characters.",
                over,
            )
            raise forms.ValidationError(
                message,
                code="too_long",
                params={
                    "length": _intcomma(length),
                    "limit": _intcomma(self.limit),
                    "over": _intcomma(over),
                },
            )


def _intcomma(value: int) -> str:
    return number_format(value, force_grouping=True)


intcomma_lazy = lazy(_intcomma, str)


class TimeZoneChoiceField(LongChoiceField):
    """The offered time zones; a legacy name the zone database knows (Asia/Saigon, posted by a
    script or stored before) is read, and shown selected, as its canonical zone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("valid_values", offered_time_zones)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_zone(value) or value

    def prepare_value(self, value):
        return canonical_zone(value) or value


# Option lists over rows that change rarely (an edition's projects, the sectors), rendered once
# per process, `version` and language. The form sets `widget.version` to something that changes
# whenever the rows may have (an edition's `content_changed_at`); with no version the widget
# renders as Django's own does.
_kept_options: dict[tuple, object] = {}


def _kept(key: tuple, build: Callable[[], object]) -> object:
    found = _kept_options.get(key)
    if found is None:
        found = build()
        if len(_kept_options) > 256:  # a few lists × languages × versions: forget old versions
            _kept_options.clear()
        _kept_options[key] = found
    return found


def forget_kept_options() -> None:
    _kept_options.clear()


def _chosen(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, (list, tuple, set, frozenset)):
        return {str(v) for v in value}
    return {str(value)}


class VersionedSelect(forms.Select):
    """A <select> over rows (a model choice field's queryset) read and rendered once per
    version and language; the form marks its own choice. No query when the list is kept."""

    version = None

    def render(self, name, value, attrs=None, renderer=None):
        if self.version is None:
            return super().render(name, value, attrs, renderer)
        options = _kept(
            ("select", self.version, get_language() or ""),
            lambda: "".join(
                f'\n  <option value="{escape(str(v))}">{escape(label)}</option>'
                for v, label in self.choices
            ),
        )
        chosen = _chosen(value)
        for each in chosen:
            tag = f'<option value="{escape(each)}">'
            options = options.replace(tag, f'<option value="{escape(each)}" selected>', 1)
        final_attrs = self.build_attrs(self.attrs, attrs)
        html = f'<select name="{escape(name)}"{flatatt(final_attrs)}>{options}\n</select>'
        return mark_safe(html)  # noqa: S308 — names, values and labels are escaped above


def _checkbox_parts(name: str, prefix: str, choices) -> list[tuple[str, str, str]]:
    """Each option as (value, the HTML before where `checked` goes, the HTML after)."""
    return [
        (
            str(value),
            f'\n  <div class="form-check">\n    <input type="checkbox" class="form-check-input" '
            f'name="{escape(name)}" value="{escape(str(value))}" id="{escape(prefix)}_{index}"',
            f'>\n    <label for="{escape(prefix)}_{index}" class="form-check-label">'
            f"{escape(label)}</label>\n  </div>",
        )
        for index, (value, label) in enumerate(choices)
    ]


class VersionedCheckboxes(forms.SelectMultiple):
    """Checkboxes (Bootstrap's form-check, as crispy-forms lays them out) over rows read and
    rendered once per version and language; the form ticks its own. crispy-forms renders it
    as it does a select, inside a fieldset whose legend is the field's label."""

    version = None
    use_fieldset = True

    def id_for_label(self, id_, index=None):
        return "" if index is None or not id_ else f"{id_}_{index}"

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        prefix = final_attrs.get("id") or f"id_{name}"
        if self.version is None:
            parts = _checkbox_parts(name, prefix, self.choices)
        else:
            key = ("checkboxes", self.version, get_language() or "", name, prefix)
            parts = _kept(key, lambda: _checkbox_parts(name, prefix, self.choices))
        chosen = _chosen(value)
        body = "".join(
            f"{head} checked{tail}" if v in chosen else f"{head}{tail}" for v, head, tail in parts
        )
        return mark_safe(f"<div>{body}\n</div>")  # noqa: S308 — escaped in _checkbox_parts
