"""What the attendee's forms share: countries, time zones, session choices with seats left, the
attendee's details."""

import functools
import zoneinfo

from django import forms
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.choices import Language
from common.collation import country_list
from common.scripts import written_in_latin
from common.timezones import time_zone_choices
from common.validators import single_line
from common.widgets import FixedChoiceField, LongChoiceField, TimeZoneChoiceField
from forum.models import Edition, Session
from registrations.models import Registration
from registrations.selectors.registrations import booked_counts

HONEYPOT = "website"


def country_choices() -> list[tuple[str, str]]:
    return _country_choices(get_language() or "en")


@functools.lru_cache(maxsize=8)
def _country_choices(language: str) -> list[tuple[str, str]]:
    # Translating and sorting 250 names for every form is the form's costliest part; once per
    # language and process is enough.
    return [("", "---------"), *country_list()]


@functools.lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


def registration_tz(registration: Registration) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(registration.time_zone) if registration.time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def seats_left_text(capacity: int | None, booked: int) -> str:
    left = None if capacity is None else max(capacity - booked, 0)
    if left is None:
        return _("no seat limit")
    if left == 0:
        return _("full — you join the waiting list")
    return ngettext("%(count)d seat left", "%(count)d seats left", left) % {"count": left}


def seats_left_placeholder(session_id: int) -> str:
    """Stands for the seats left in a cached page; the view fills in the live count."""
    return f"seats-left-in-session-{session_id}-filled-in-per-request"


def session_label(
    session: Session, booked: int | None, *, attendee_tz=None, own: str | None = None
) -> str:
    """The session with its time in the forum's zone (and the attendee's, when it differs) and
    its seats left — or, for a session the attendee already holds, where they stand. With
    `booked` None, a placeholder for the seats of a limited session."""
    forum_tz = session.edition.tzinfo
    when = formats.date_format(
        timezone.localtime(session.starts_at, forum_tz), "SESSION_DATETIME_FORMAT"
    )
    when = f"{when} ({session.edition.time_zone})"
    if attendee_tz is not None and str(attendee_tz) != session.edition.time_zone:
        local = formats.date_format(
            timezone.localtime(session.starts_at, attendee_tz), "SESSION_DATETIME_FORMAT"
        )
        when += " · " + _("%(time)s your time (%(zone)s)") % {"time": local, "zone": attendee_tz}
    if own is not None:
        seats = own
    elif booked is None and session.capacity is not None:
        seats = seats_left_placeholder(session.pk)
    else:
        seats = seats_left_text(session.capacity, booked or 0)
    return f"{session.display_title} — {when} — {seats}"


class SessionChoiceField(forms.ModelMultipleChoiceField):
    """Sessions labelled with their seats left, counted only when the choices are shown.

    With `seat_placeholders` on (a page rendered for the page cache), limited sessions get a
    placeholder instead, and `capacities` says which ones, for the view to fill in.
    """

    widget = forms.CheckboxSelectMultiple
    seat_placeholders = False

    def __deepcopy__(self, memo):
        # Django's copy clones the class's queryset (none()) for each form; the form that uses
        # this field sets its own queryset before anything reads it.
        return forms.Field.__deepcopy__(self, memo)

    @functools.cached_property
    def booked(self) -> dict[int, int]:
        return booked_counts(self.queryset)

    @functools.cached_property
    def capacities(self) -> dict[int, int]:
        return {}

    # The zone the attendee reads times in (the browser's or the registration's), and what the
    # attendee already holds per session id ("booked", "waiting list, place 2").
    attendee_tz = None
    own: dict[int, str] = {}  # replaced per form, never mutated

    def label_from_instance(self, obj: Session) -> str:
        attendee_tz = self.attendee_tz or timezone.get_current_timezone()
        if self.seat_placeholders:
            if obj.capacity is not None:
                self.capacities[obj.pk] = obj.capacity
            return session_label(obj, None, attendee_tz=attendee_tz)
        return session_label(
            obj, self.booked.get(obj.pk, 0), attendee_tz=attendee_tz, own=self.own.get(obj.pk)
        )

    # The sessions the queryset holds, by id, when the form has them already (read once per
    # process and content version): a submission is checked against them without a query.
    known: dict[int, Session] | None = None

    def _check_values(self, value):
        # A number past the database's integer range would fail inside the query (a 500 on
        # SQLite); it can't be a session, so it gets the field's own message.
        for pk in value:
            if not str(pk).isdigit() or int(pk) >= 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        if self.known is None:
            return super()._check_values(value)
        chosen = {int(pk) for pk in value}
        for pk in value:
            if int(pk) not in self.known:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return [session for pk, session in self.known.items() if pk in chosen]


def edition_sessions(edition: Edition):
    """The edition's sessions in programme order, each with its edition (not read yet)."""
    return _edition_sessions(edition.pk).all()  # a copy: the kept one is never evaluated


@functools.lru_cache(maxsize=8)
def _edition_sessions(edition_id: int):
    # Building the query costs more than copying it; every form of the edition needs it.
    return (
        Session.objects.filter(edition_id=edition_id)
        .select_related("edition")
        .order_by("starts_at", "pk")
    )


def required(message) -> dict:
    return {"required": message}


class DetailFieldsMixin(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages=required(_("Enter your full name.")),
        validators=[single_line],
    )
    name_latin = forms.CharField(
        label=_("Your name in Latin letters"),
        max_length=150,
        required=False,
        help_text=_(
            "Only if your name above is in another script (Hangul, Thai, Burmese…): as in your "
            "passport, so that every counterpart can read it."
        ),
        validators=[single_line],
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter your email address like name@example.com."),
        },
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        error_messages=required(_("Enter the organisation you work for.")),
        validators=[single_line],
    )
    organisation_en = forms.CharField(
        label=_("Organisation in English"),
        max_length=200,
        required=False,
        help_text=_("Only if its name above is in another script."),
        validators=[single_line],
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        error_messages=required(_("Enter your job title.")),
        validators=[single_line],
    )
    country = LongChoiceField(
        label=_("Country"),
        source=country_choices,
        valid_values=_country_codes,
        error_messages=required(_("Choose your country.")),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"), max_length=40, required=False, validators=[single_line]
    )
    time_zone = TimeZoneChoiceField(
        label=_("Your time zone"),
        source=time_zone_choices,
        error_messages=required(_("Choose your time zone.")),
    )
    language = FixedChoiceField(label=_("Preferred language"), choices=Language.choices)
    wants_meetings = forms.BooleanField(
        label=_("I want to take part in 1:1 online business meetings"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        for main, latin, missing in LATIN_COMPANIONS:
            value, companion = cleaned.get(main, ""), cleaned.get(latin, "").strip()
            if not value or written_in_latin(value):
                cleaned[latin] = ""  # nothing to add to a name everyone can read
            elif not companion:
                self.add_error(latin, forms.ValidationError(missing, code="latin_required"))
            elif not written_in_latin(companion):
                self.add_error(
                    latin,
                    forms.ValidationError(
                        _("Use Latin letters here (A to Z, accents allowed)."), code="not_latin"
                    ),
                )
        return cleaned


# (field, its Latin companion, what to say when the companion is missing)
LATIN_COMPANIONS = [
    (
        "name",
        "name_latin",
        _(
            "Your name is not in Latin letters: write it in Latin letters too, so that "
            "counterparts who don't read its script can read it."
        ),
    ),
    (
        "organisation",
        "organisation_en",
        _("Your organisation's name is not in Latin letters: give its English name too."),
    ),
]
# The companions show only when the main field needs them (forum/static/forum/forms.js);
# without JavaScript they are always there, saying when they are needed.
for _main, _latin, _message in LATIN_COMPANIONS:
    DetailFieldsMixin.base_fields[_latin].widget.attrs["data-latin-for"] = _main
for _name in ("name", "name_latin", "organisation", "organisation_en", "job_title"):
    DetailFieldsMixin.base_fields[_name].widget.attrs["dir"] = "auto"


# The long list of zones gets a search box (forum/static/forum/select_search.js).
DetailFieldsMixin.base_fields["time_zone"].widget.attrs.update(
    {
        "data-searchable": "",
        "data-search-label": _("Search the time zones"),
        "data-search-placeholder": _("Type a city or a country"),
    }
)
