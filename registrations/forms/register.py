"""The pre-registration form, with its separate consents."""

import functools

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from common.widgets import FixedChoiceField
from forum.models import Edition, Session
from registrations.choices import ConsentKind, ParticipantCategory
from registrations.forms.fields import (
    HONEYPOT,
    DetailFieldsMixin,
    SessionChoiceField,
    edition_sessions,
    required,
)
from registrations.models import ConsentText
from registrations.selectors.registrations import registration_form_rows

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
    category = FixedChoiceField(
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
        "name_latin",
        "email",
        "organisation",
        "organisation_en",
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
        sessions, self.consent_texts = registration_form_rows(edition=edition)
        self.fields["sessions"].queryset = edition_sessions(edition)  # read only to render
        self.fields["sessions"].known = sessions
        self.fields["sessions"].seat_placeholders = seat_placeholders
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for text in self.consent_texts:
            self.fields[consent_field_name(text.kind)] = forms.BooleanField(
                label=text.text,
                # Checked in clean(), with one message that says what to do.
                required=False,
                help_text=self._consent_help(text),
            )

    @functools.cached_property
    def helper(self) -> FormHelper:
        """The layout, built when the form is shown (a submission that passes never needs it)."""
        helper = FormHelper()
        helper.form_id = "registration-form"
        # The server checks everything and lists the problems at the top (error summary).
        helper.attrs = {"novalidate": ""}
        helper.layout = Layout(
            Fieldset(
                _("About you"),
                "name",
                "name_latin",
                "email",
                "organisation",
                "organisation_en",
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
        return helper

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
