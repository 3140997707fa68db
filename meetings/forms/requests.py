"""Directory filters, meeting requests, picking a time, declining, cancelling, outcomes."""

import datetime as dt
from itertools import groupby

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.times import as_zone, shown
from common.widgets import LimitedTextField, VersionedSelect
from forum.models import Edition, Project, Sector
from meetings.choices import MeetingOutcome, MeetingPriority, ProfileSide
from meetings.forms.profile import (
    MESSAGE_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    ProjectSelectField,
    country_choices,
    edition_projects,
    list_version,
    slot_label,
)
from meetings.models import MeetingSlot
from registrations.models import Registration


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=SEARCH_MAX_LENGTH, required=False)
    side = forms.ChoiceField(
        label=_("Side"), required=False, choices=[("", _("All sides")), *ProfileSide.choices]
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All sectors"),
        widget=VersionedSelect,
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    project = ProjectSelectField(
        label=_("Project"),
        required=False,
        queryset=Project.objects.none(),
        empty_label=_("All projects"),
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]
        self.fields["project"].queryset = edition_projects(edition)
        self.fields["sector"].label_from_instance = lambda sector: sector.display_name
        self.fields["project"].widget.version = list_version(edition, "directory-project")
        self.fields["sector"].widget.version = list_version(edition, "directory-sector")
        for name, field in self.fields.items():
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs.setdefault("class", css)
        self.fields["q"].widget.attrs["placeholder"] = _("Organisation, name, offer…")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"].strip(),
            "side": data["side"],
            "sector": data["sector"].slug if data["sector"] else "",
            "country": data["country"],
            "project": data["project"],
        }


class MeetingRequestForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=MeetingPriority.choices,
        initial=MeetingPriority.MUST,
        widget=forms.RadioSelect,
    )
    project = ProjectSelectField(
        label=_("About a project (optional)"),
        required=False,
        queryset=Project.objects.none(),
        empty_label=_("No particular project"),
    )
    message = LimitedTextField(
        label=_("Message"),
        limit=MESSAGE_MAX_LENGTH,
        required=False,
        rows=4,
        help_text=_("Say who you are and what you would like to discuss."),
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = edition_projects(edition)
        self.fields["project"].widget.version = list_version(edition, "request-project")
        self.helper = FormHelper()
        self.helper.form_id = "request-form"
        self.helper.layout = Layout(
            "priority", "project", "message", Submit("submit", _("Send the request"))
        )


def local_day(slot: MeetingSlot, time_zone: str) -> dt.date:
    return timezone.localtime(slot.starts_at, as_zone(time_zone)).date()


class SlotChoiceField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def __init__(self, *args, time_zone: str, other_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.other_zone = other_zone

    def label_from_instance(self, obj: MeetingSlot, *, day: dt.date | None = None) -> str:
        mine = slot_label(obj, self.time_zone, day=day)
        if self.other_zone == self.time_zone:
            return mine
        # Their day too when it isn't the participant's day.
        same_day = local_day(obj, self.time_zone) == local_day(obj, self.other_zone)
        theirs = shown(
            obj.starts_at,
            "TIME_FORMAT" if same_day else "SESSION_DATETIME_FORMAT",
            zone=self.other_zone,
        )
        return str(_("%(mine)s (%(theirs)s their time)") % {"mine": mine, "theirs": theirs})


class PickSlotForm(forms.Form):
    """On accepting in self-booking mode: one of the slots where both are free.

    Any slot of the edition passes the form; the booking service decides, under its locks,
    whether it is still free, so a slot taken since the page was shown ends in the service's
    "that slot was just taken" with the choices left.
    """

    slot = SlotChoiceField(
        label=_("Choose a time"),
        queryset=MeetingSlot.objects.none(),
        empty_label=None,
        time_zone="UTC",
        other_zone="UTC",
        error_messages={"invalid_choice": _("Choose one of the times below.")},
    )

    def __init__(self, *args, slots, registration: Registration, other: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        field.queryset = MeetingSlot.objects.filter(edition_id=registration.edition_id)
        field.time_zone = registration.time_zone
        field.other_zone = other.time_zone
        self.offered = list(slots)
        field.choices = [(slot.pk, field.label_from_instance(slot)) for slot in self.offered]

    def days(self) -> list[dict]:
        """The offered times by day in the participant's zone, each day a group of radio
        buttons; the day of the chosen time (or the first day) starts open."""
        field = self.fields["slot"]
        chosen = str(self["slot"].value() or "")
        groups = []
        for day, day_slots in groupby(
            self.offered, key=lambda slot: local_day(slot, field.time_zone)
        ):
            choices = [
                {
                    "value": str(slot.pk),
                    "id": f"id_slot_{slot.pk}",
                    "label": field.label_from_instance(slot, day=day),
                    "checked": str(slot.pk) == chosen,
                }
                for slot in day_slots
            ]
            groups.append({"day": day, "choices": choices, "open": False})
        opened = [group for group in groups if any(c["checked"] for c in group["choices"])]
        for group in opened or groups[:1]:
            group["open"] = True
        return groups


class DeclineForm(forms.Form):
    reason = LimitedTextField(
        label=_("Reason (optional, shown to the sender)"), limit=1000, required=False, rows=2
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "decline-form"
        self.helper.form_action = action
        self.helper.layout = Layout(
            "reason", Submit("submit", _("Decline"), css_class="btn-outline-danger")
        )


class CancelMeetingForm(forms.Form):
    reason = LimitedTextField(
        label=_("Reason (optional, shown to the other side)"), limit=1000, required=False, rows=2
    )
    confirm = forms.BooleanField(label=_("Yes, cancel this meeting"), required=True)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "cancel-meeting-form"
        self.helper.form_action = action
        self.helper.layout = Layout(
            "reason",
            "confirm",
            Submit("submit", _("Cancel the meeting"), css_class="btn-danger"),
        )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"), choices=MeetingOutcome.choices, widget=forms.RadioSelect
    )
    note = LimitedTextField(
        label=_("Note for the organisers (optional)"), limit=2000, required=False
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "outcome-form"
        self.helper.form_action = action
        self.helper.layout = Layout("outcome", "note", Submit("submit", _("Save the outcome")))
