"""The public forms of pre-registration: register, change details and sessions, consents, links."""

import functools
import zoneinfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.choices import Language
from common.timezones import offered_time_zones, time_zone_choices
from common.widgets import LongChoiceField
from forum.models import Edition, Session
from registrations.choices import BookingStatus, ConsentKind, ParticipantCategory
from registrations.models import ConsentText, Registration
from registrations.selectors.registrations import booked_counts, current_consent_texts

HONEYPOT = "website"


def country_choices() -> list[tuple[str, str]]:
    return _country_choices(get_language() or "en")


@functools.lru_cache(maxsize=8)
def _country_choices(language: str) -> list[tuple[str, str]]:
    # Translating and sorting 250 names for every form is the form's costliest part; once per
    # language and process is enough.
    return [("", "---------")] + [(code, name) for code, name in countries]


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
        return super()._check_values(value)


def edition_sessions(edition: Edition):
    return (
        Session.objects.filter(edition=edition)
        .select_related("edition")
        .order_by("starts_at", "pk")
    )


def required(message) -> dict:
    return {"required": message}


class DetailFieldsMixin(forms.Form):
    name = forms.CharField(
        label=_("Full name"), max_length=150, error_messages=required(_("Enter your full name."))
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
    )
    job_title = forms.CharField(
        label=_("Job title"), max_length=150, error_messages=required(_("Enter your job title."))
    )
    country = LongChoiceField(
        label=_("Country"),
        source=country_choices,
        valid_values=_country_codes,
        error_messages=required(_("Choose your country.")),
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    time_zone = LongChoiceField(
        label=_("Your time zone"),
        source=time_zone_choices,
        valid_values=offered_time_zones,
        error_messages=required(_("Choose your time zone.")),
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)
    wants_meetings = forms.BooleanField(
        label=_("I want to take part in 1:1 online business meetings"), required=False
    )


# The long list of zones gets a search box (forum/static/forum/select_search.js).
DetailFieldsMixin.base_fields["time_zone"].widget.attrs.update(
    {
        "data-searchable": "",
        "data-search-label": _("Search the time zones"),
        "data-search-placeholder": _("Type a city or a country"),
    }
)


# One message per missing consent that says what to do (no "This field is required." beside it).
CONSENT_MISSING = {
    ConsentKind.COLLECTION: _("Tick this box to let us process your registration."),
    ConsentKind.SHARING: _(
        "Tick this box to share your profile with your meeting counterparts, or untick the "
        "business meetings."
    ),
    ConsentKind.TRANSFER: _(
        "Tick this box to let us store your registration on our servers in Korea; we can't "
        "register you without it."
    ),
    ConsentKind.MARKETING: _("Tick this box to receive news about future forums."),
}


def consent_field_name(kind: str) -> str:
    return f"consent_{kind}"


SHARING_FIELD = consent_field_name(ConsentKind.SHARING)


class RegistrationForm(DetailFieldsMixin):
    category = forms.ChoiceField(
        label=_("Participant category"),
        choices=[("", "---------"), *ParticipantCategory.choices],
        error_messages=required(_("Choose your participant category.")),
    )
    sessions = SessionChoiceField(
        label=_("Sessions you will attend"), queryset=Session.objects.none(), required=False
    )
    # Hidden from people; bots that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    field_order = [
        "name",
        "email",
        "organisation",
        "job_title",
        "country",
        "category",
        "phone",
        "time_zone",
        "language",
        "sessions",
        "wants_meetings",
    ]

    def __init__(self, *args, edition: Edition, seat_placeholders: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["sessions"].queryset = edition_sessions(edition)
        self.fields["sessions"].seat_placeholders = seat_placeholders
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.consent_texts: list[ConsentText] = current_consent_texts(edition=edition)
        for text in self.consent_texts:
            self.fields[consent_field_name(text.kind)] = forms.BooleanField(
                label=text.text,
                # Checked in clean(), with one message that says what to do.
                required=False,
                help_text=self._consent_help(text),
            )
        self.helper = FormHelper()
        self.helper.form_id = "registration-form"
        # The server checks everything and lists the problems at the top (error summary).
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(
                _("About you"),
                "name",
                "email",
                "organisation",
                "job_title",
                "country",
                "category",
                "phone",
                "time_zone",
                "language",
            ),
            Fieldset(_("Programme"), "sessions", "wants_meetings"),
            Fieldset(
                _("Your consents"),
                HTML(
                    "<p class='small text-body-secondary'>"
                    + str(_("Each consent is separate; none is ticked for you."))
                    + "</p>"
                ),
                *[consent_field_name(text.kind) for text in self.consent_texts],
            ),
            Div(Field(HONEYPOT), css_class="d-none", aria_hidden="true"),
            Submit("submit", _("Pre-register")),
        )

    @staticmethod
    def _consent_help(text: ConsentText) -> str:
        requirement = {
            "required": _("Required to register."),
            "with_meetings": _("Required if you take part in business meetings."),
            "optional": _("Optional."),
        }[text.requirement]
        return f"{requirement} " + str(_("Version %(version)s.") % {"version": text.version})

    def clean(self):
        cleaned = super().clean()
        wants_meetings = cleaned.get("wants_meetings", False)
        for text in self.consent_texts:
            name = consent_field_name(text.kind)
            if text.is_required(wants_meetings=wants_meetings) and not cleaned.get(name):
                self.add_error(
                    name, forms.ValidationError(CONSENT_MISSING[text.kind], code="required")
                )
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def registration_data(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in [*DetailFieldsMixin.base_fields, "category", "sessions"]
        }
        data["consents"] = [
            text.kind
            for text in self.consent_texts
            if self.cleaned_data.get(consent_field_name(text.kind))
        ]
        return data


class DetailsForm(DetailFieldsMixin):
    """What an attendee can change themselves; the category stays as staff know it."""

    def __init__(self, *args, registration: Registration, **kwargs):
        initial = {name: getattr(registration, name) for name in self.base_fields}
        initial["country"] = registration.country.code
        initial["email"] = registration.pending_email or registration.email  # as last asked for
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.registration = registration
        fields = list(self.base_fields)
        # Opting (back) into the meetings asks for the sharing consent in the same step.
        self.sharing_text = self._missing_sharing_consent(registration)
        if self.sharing_text is not None:
            self.fields[SHARING_FIELD] = forms.BooleanField(
                label=self.sharing_text.text,
                required=False,
                help_text=_("Required if you take part in business meetings."),
            )
            fields.insert(fields.index("wants_meetings") + 1, SHARING_FIELD)
        self.helper = FormHelper()
        self.helper.form_id = "details-form"
        self.helper.form_action = reverse_lazy("registrations:manage")
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*fields, Submit("submit", _("Save my details")))

    @staticmethod
    def _missing_sharing_consent(registration: Registration) -> ConsentText | None:
        texts = {text.kind: text for text in current_consent_texts(edition=registration.edition)}
        sharing = texts.get(ConsentKind.SHARING)
        if sharing is None or sharing.requirement != "with_meetings":
            return None
        if any(
            consent.kind == ConsentKind.SHARING and consent.withdrawn_at is None
            for consent in registration.consents.all()
        ):
            return None
        return sharing

    def clean(self):
        cleaned = super().clean()
        if (
            self.sharing_text is not None
            and cleaned.get("wants_meetings")
            and not cleaned.get(SHARING_FIELD)
        ):
            self.add_error(
                SHARING_FIELD,
                forms.ValidationError(CONSENT_MISSING[ConsentKind.SHARING], code="required"),
            )
        if cleaned.get(SHARING_FIELD):
            cleaned["consents"] = [ConsentKind.SHARING]
        return cleaned


class SessionsForm(forms.Form):
    sessions = SessionChoiceField(
        label=_("Sessions you will attend"), queryset=Session.objects.none(), required=False
    )

    def __init__(self, *args, registration: Registration, **kwargs):
        kwargs.setdefault(
            "initial", {"sessions": [booking.session for booking in registration.bookings.all()]}
        )
        super().__init__(*args, **kwargs)
        field = self.fields["sessions"]
        field.queryset = edition_sessions(registration.edition)
        field.attendee_tz = registration_tz(registration)
        field.own = {
            booking.session_id: (
                _("you are on the waiting list, place %(place)s")
                % {"place": getattr(booking, "place", None) or booking.position}
                if booking.status == BookingStatus.WAITING
                else _("you are booked")
            )
            for booking in registration.bookings.all()
        }
        self.helper = FormHelper()
        self.helper.form_id = "sessions-form"
        self.helper.form_action = reverse_lazy("registrations:manage_sessions")
        self.helper.layout = Layout("sessions", Submit("submit", _("Save my sessions")))


class ConsentChangeForm(forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("give", _("Give")), ("withdraw", _("Withdraw"))], widget=forms.HiddenInput
    )


class CancelForm(forms.Form):
    """The confirmation step of cancelling: the page says what happens, the button does it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "cancel-form"
        self.helper.form_action = reverse_lazy("registrations:manage_cancel")
        self.helper.layout = Layout(
            Submit("submit", _("Yes, cancel my registration"), css_class="btn-danger")
        )


class SendLinkForm(forms.Form):
    email = forms.EmailField(label=_("Email you registered with"), max_length=254)
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.helper = FormHelper()
        self.helper.form_id = "send-link-form"
        self.helper.form_action = reverse_lazy("registrations:send_link")
        self.helper.layout = Layout(
            "email",
            Div(Field(HONEYPOT), css_class="d-none", aria_hidden="true"),
            Submit("submit", _("Send me my link")),
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))
