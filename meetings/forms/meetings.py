"""Forms of the participants' business-meeting area: profile, availability, directory, requests."""

import datetime as dt
import zoneinfo
from itertools import groupby

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from forum.choices import ASEAN_MEMBER_STATES
from forum.models import Edition, Project, Sector
from meetings.choices import MEETING_LANGUAGES, MeetingOutcome, MeetingPriority, ProfileSide
from meetings.models import BusinessProfile, MeetingSlot
from registrations.models import Registration

MESSAGE_MAX_LENGTH = 2000
SEARCH_MAX_LENGTH = 100

# The countries a profile can be interested in: where the projects are, and Korea.
INTEREST_COUNTRIES = (*ASEAN_MEMBER_STATES, "KR")


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, countries.name(code)) for code in INTEREST_COUNTRIES), key=lambda c: c[1])


def edition_projects(edition: Edition):
    return Project.objects.filter(edition=edition).order_by("country", "title", "pk")


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.title} ({obj.country.name})"


class ProjectSelectField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.title} ({obj.country.name})"


class SectorChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Sector) -> str:
        return obj.display_name


def slot_label(slot: MeetingSlot, time_zone: str, *, day: dt.date | None = None) -> str:
    """A slot in the participant's own time, e.g. "Mon 24 Jan, 09:00–09:30"; only the hours
    when it falls on `day` there."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start = timezone.localtime(slot.starts_at, zone)
    end = timezone.localtime(slot.ends_at, zone)
    shown = "H:i" if start.date() == day else "SESSION_DATETIME_FORMAT"
    return f"{formats.date_format(start, shown)}–{formats.time_format(end, 'H:i')}"


class BusinessProfileForm(forms.Form):
    side = forms.ChoiceField(
        label=_("I take part as"), choices=[("", "---------"), *ProfileSide.choices]
    )
    description = forms.CharField(
        label=_("About my organisation"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sectors = SectorChoiceField(label=_("Sectors"), queryset=Sector.objects.none(), required=False)
    countries_of_interest = forms.MultipleChoiceField(
        label=_("Countries of interest"),
        choices=country_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    projects_presented = ProjectChoiceField(
        label=_("Projects I present (project owners)"),
        queryset=Project.objects.none(),
        required=False,
    )
    projects_of_interest = ProjectChoiceField(
        label=_("Projects I want to discuss"), queryset=Project.objects.none(), required=False
    )
    offer = forms.CharField(
        label=_("What we offer"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seek = forms.CharField(
        label=_("What we seek"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I can meet in"),
        choices=MEETING_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    listed = forms.BooleanField(
        label=_("List my profile in the directory, so that others can find me and ask to meet"),
        required=False,
    )

    def __init__(self, *args, registration: Registration, profile: BusinessProfile | None, **kw):
        if profile is not None:
            kw.setdefault(
                "initial",
                {
                    "side": profile.side,
                    "description": profile.description,
                    "sectors": list(profile.sectors.all()),
                    "countries_of_interest": [str(c) for c in profile.countries_of_interest],
                    "projects_presented": list(profile.projects_presented.all()),
                    "projects_of_interest": list(profile.projects_of_interest.all()),
                    "offer": profile.offer,
                    "seek": profile.seek,
                    "languages": list(profile.languages or []),
                    "website": profile.website,
                    "listed": profile.listed,
                },
            )
        else:
            kw.setdefault("initial", {"listed": True, "languages": [registration.language]})
        super().__init__(*args, **kw)
        projects = edition_projects(registration.edition)
        self.fields["sectors"].queryset = Sector.objects.order_by("name")
        self.fields["projects_presented"].queryset = projects
        self.fields["projects_of_interest"].queryset = projects
        self.helper = FormHelper()
        self.helper.form_id = "profile-form"
        self.helper.layout = Layout(
            Fieldset(_("Who we are"), "side", "description", "website", "languages"),
            Fieldset(
                _("What we look for"),
                "sectors",
                "countries_of_interest",
                "projects_of_interest",
                "projects_presented",
                "offer",
                "seek",
            ),
            Fieldset(_("Directory"), "listed"),
            Submit("submit", _("Save my profile")),
        )

    def profile_data(self) -> dict:
        return dict(self.cleaned_data)


class AvailabilityForm(forms.Form):
    """The slots a participant can make, ticked; whole days can be taken out at once."""

    available = forms.ModelMultipleChoiceField(
        queryset=MeetingSlot.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    unavailable_days = forms.MultipleChoiceField(
        choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args,
        registration: Registration,
        slots: list[MeetingSlot],
        unavailable: set[int],
        busy: set[int],
        **kwargs,
    ):
        kwargs.setdefault(
            "initial", {"available": [slot.pk for slot in slots if slot.pk not in unavailable]}
        )
        super().__init__(*args, **kwargs)
        self.registration = registration
        self.slots = slots
        self.busy = busy
        zone = registration.edition.tzinfo
        self.days = [
            (day, list(day_slots))
            for day, day_slots in groupby(
                slots, key=lambda slot: timezone.localtime(slot.starts_at, zone).date()
            )
        ]
        self.fields["available"].queryset = MeetingSlot.objects.filter(
            pk__in=[slot.pk for slot in slots]
        )
        self.fields["unavailable_days"].choices = [(day.isoformat(), day) for day, _s in self.days]

    def grid(self) -> list[dict]:
        """Days with their slots, for the template: what is ticked and what has a meeting."""
        if self.is_bound:
            ticked = set(self.data.getlist("available"))
            days_off = set(self.data.getlist("unavailable_days"))
        else:
            ticked = {str(pk) for pk in self.initial["available"]}
            days_off = set()
        own_zone = self.registration.time_zone
        forum_zone = self.registration.edition.tzinfo
        return [
            {
                "day": day,
                "value": day.isoformat(),
                "off": day.isoformat() in days_off,
                "slots": [
                    {
                        "slot": slot,
                        "value": str(slot.pk),
                        "label": slot_label(slot, own_zone, day=day),
                        "forum_time": formats.time_format(
                            timezone.localtime(slot.starts_at, forum_zone), "H:i"
                        ),
                        "checked": str(slot.pk) in ticked or slot.pk in self.busy,
                        "busy": slot.pk in self.busy,
                    }
                    for slot in day_slots
                ],
            }
            for day, day_slots in self.days
        ]

    def unavailable_slots(self) -> list[int]:
        available = {slot.pk for slot in self.cleaned_data["available"]}
        return [
            slot.pk for slot in self.slots if slot.pk not in available and slot.pk not in self.busy
        ]

    def days_off(self) -> list[dt.date]:
        return [dt.date.fromisoformat(value) for value in self.cleaned_data["unavailable_days"]]


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
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say who you are and what you would like to discuss."),
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = edition_projects(edition)
        self.helper = FormHelper()
        self.helper.form_id = "request-form"
        self.helper.layout = Layout(
            "priority", "project", "message", Submit("submit", _("Send the request"))
        )


class SlotChoiceField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def __init__(self, *args, time_zone: str, other_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.other_zone = other_zone

    def label_from_instance(self, obj: MeetingSlot) -> str:
        mine = slot_label(obj, self.time_zone)
        if self.other_zone == self.time_zone:
            return mine
        theirs = formats.time_format(
            timezone.localtime(obj.starts_at, zoneinfo.ZoneInfo(self.other_zone)), "H:i"
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


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, shown to the sender)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
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
    reason = forms.CharField(
        label=_("Reason (optional, shown to the other side)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
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
    note = forms.CharField(
        label=_("Note for the organisers (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "outcome-form"
        self.helper.form_action = action
        self.helper.layout = Layout("outcome", "note", Submit("submit", _("Save the outcome")))
