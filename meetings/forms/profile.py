"""The participant's business profile and availability forms, and the choices they share."""

import datetime as dt
import zoneinfo
from itertools import groupby

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.collation import sorted_countries
from common.times import shown
from common.widgets import LimitedTextField, VersionedCheckboxes, VersionedSelect
from forum.choices import ASEAN_MEMBER_STATES
from forum.models import Edition, Project, Sector
from meetings.choices import MEETING_LANGUAGES, ProfileSide
from meetings.models import BusinessProfile, MeetingSlot
from registrations.models import Registration

MESSAGE_MAX_LENGTH = 2000


SEARCH_MAX_LENGTH = 100


# The countries a profile can be interested in: where the projects are, and Korea.
INTEREST_COUNTRIES = (*ASEAN_MEMBER_STATES, "KR")


def country_choices() -> list[tuple[str, str]]:
    return sorted_countries(INTEREST_COUNTRIES)


def edition_projects(edition: Edition):
    return Project.objects.filter(edition=edition).order_by("country", "title", "pk")


def list_version(edition: Edition, name: str) -> tuple:
    """What a pre-rendered list of the edition's projects or of the sectors is kept under: any
    change to projects or sectors moves the edition's `content_changed_at` (forum/pagecache.py)."""
    return (name, edition.pk, edition.content_changed_at)


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    widget = VersionedCheckboxes

    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.title} ({obj.country.name})"


class ProjectSelectField(forms.ModelChoiceField):
    widget = VersionedSelect

    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.title} ({obj.country.name})"


class SectorChoiceField(forms.ModelMultipleChoiceField):
    widget = VersionedCheckboxes

    def label_from_instance(self, obj: Sector) -> str:
        return obj.display_name


def slot_label(slot: MeetingSlot, time_zone: str, *, day: dt.date | None = None) -> str:
    """A slot in the participant's own time, e.g. "Mon 24 Jan, 09:00–09:30"; only the hours
    when it falls on `day` there."""
    local_day = timezone.localtime(slot.starts_at, zoneinfo.ZoneInfo(time_zone)).date()
    first = "TIME_FORMAT" if local_day == day else "SESSION_DATETIME_FORMAT"
    start, end = (
        shown(slot.starts_at, first, zone=time_zone),
        shown(slot.ends_at, "TIME_FORMAT", zone=time_zone),
    )
    return f"{start}–{end}"


class BusinessProfileForm(forms.Form):
    side = forms.ChoiceField(
        label=_("I take part as"), choices=[("", "---------"), *ProfileSide.choices]
    )
    description = LimitedTextField(
        label=_("About my organisation"), limit=3000, required=False, rows=4
    )
    sectors = SectorChoiceField(label=_("Sectors"), queryset=Sector.objects.none(), required=False)
    countries_of_interest = forms.MultipleChoiceField(
        label=_("Countries of interest"),
        choices=country_choices,
        required=False,
        widget=VersionedCheckboxes,
    )
    projects_presented = ProjectChoiceField(
        label=_("Projects I present (project owners)"),
        queryset=Project.objects.none(),
        required=False,
    )
    projects_of_interest = ProjectChoiceField(
        label=_("Projects I want to discuss"), queryset=Project.objects.none(), required=False
    )
    offer = LimitedTextField(label=_("What we offer"), limit=2000, required=False)
    seek = LimitedTextField(label=_("What we seek"), limit=2000, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages I can meet in"),
        choices=MEETING_LANGUAGES,
        required=False,
        widget=VersionedCheckboxes,
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
        edition = registration.edition
        projects = edition_projects(edition)
        self.fields["sectors"].queryset = Sector.objects.order_by("name")
        self.fields["projects_presented"].queryset = projects
        self.fields["projects_of_interest"].queryset = projects
        # 156 projects twice: rendered once per version and language, not per page view.
        for name in ("sectors", "projects_presented", "projects_of_interest"):
            self.fields[name].widget.version = list_version(edition, f"profile-{name}")
        # Fixed lists (their labels in the page's language): rendered once per language too.
        for name in ("countries_of_interest", "languages"):
            self.fields[name].widget.version = (f"profile-{name}",)
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
                        "forum_time": shown(slot.starts_at, "TIME_FORMAT", zone=forum_zone),
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
