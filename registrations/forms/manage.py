"""The self-service forms: details, sessions, consents, cancelling, asking for the link again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from forum.models import Session
from registrations.choices import BookingStatus, ConsentKind
from registrations.forms.fields import (
    HONEYPOT,
    DetailFieldsMixin,
    SessionChoiceField,
    edition_sessions,
    registration_tz,
)
from registrations.forms.register import CONSENT_MISSING, SHARING_FIELD
from registrations.models import ConsentText, Registration
from registrations.selectors.registrations import current_consent_texts


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


class RemindersForm(forms.Form):
    """One click on the manage page: session reminders on ("on") or off (empty)."""

    wants_reminders = forms.BooleanField(required=False, widget=forms.HiddenInput)


class FeedbackForm(forms.Form):
    """A rating from 1 to 5 and an optional comment on a session attended."""

    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(value, str(value)) for value in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 (poor) to 5 (excellent).")},
        help_text=_("1 is poor, 5 is excellent."),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "feedback-form"
        self.helper.form_action = action
        self.helper.layout = Layout(
            Field("rating"), Field("comment"), Submit("submit", _("Send my rating"))
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
