"""Back-office forms: which list to export, with which filters and columns; saving a preset."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from backoffice.choices import ExportListKind
from backoffice.exports import EXPORT_LISTS, ExportFilters
from backoffice.models import ExportPreset
from common.choices import ExportFormat
from common.validators import single_line
from forum.models import Edition, Session
from registrations.choices import ConsentKind, ParticipantCategory, RegistrationStatus


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, edition: Edition) -> str:
        return edition.display_title


class ExportForm(forms.Form):
    """Read from GET (so a filtered page can be bookmarked) and from POST (the download)."""

    edition = EditionChoiceField(Edition.objects.order_by("-number"), label=_("Edition"))
    list_kind = forms.ChoiceField(
        label=_("List"), choices=ExportListKind.choices, initial=ExportListKind.ATTENDEES
    )
    preset = forms.ModelChoiceField(
        ExportPreset.objects.all(),
        label=_("Column preset"),
        required=False,
        help_text=_("Choosing a preset fills in its columns."),
    )
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("In the order shown; the list's usual columns are ticked to begin with."),
    )
    session = forms.ModelChoiceField(
        Session.objects.none(), label=_("Session"), required=False, empty_label=_("All sessions")
    )
    categories = forms.MultipleChoiceField(
        label=_("Participant categories"),
        choices=ParticipantCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=[],
        required=False,
        help_text=_("None chosen: all countries."),
    )
    statuses = forms.MultipleChoiceField(
        label=_("Registration statuses"),
        choices=RegistrationStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.ChoiceField(
        label=_("Only with this consent in force"),
        choices=[("", _("Any")), *ConsentKind.choices],
        required=False,
    )
    include_waiting = forms.BooleanField(
        label=_("Include waiting lists"),
        required=False,
        help_text=_("Session lists show the booked only unless this is ticked."),
    )
    third_party = forms.BooleanField(
        label=_("For a third party (e.g. the co-host)"),
        required=False,
        help_text=_("Only people who agreed to their profile being shared."),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX
    )

    def __init__(self, *args, edition: Edition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = list(countries)
        kind = self.data.get("list_kind") or ExportListKind.ATTENDEES
        export_list = EXPORT_LISTS.get(kind, EXPORT_LISTS[ExportListKind.ATTENDEES])
        self.fields["columns"].choices = export_list.column_choices()
        if self.is_bound and hasattr(self.data, "getlist"):
            # Columns ticked for another list (the list was just switched) are dropped quietly.
            known = {key for key, _label in self.fields["columns"].choices}
            self.data = self.data.copy()
            self.data.setlist("columns", [c for c in self.data.getlist("columns") if c in known])
        if edition is not None:
            self.fields["session"].queryset = edition.sessions.order_by("starts_at", "pk")
        else:
            self.fields["session"].queryset = Session.objects.select_related("edition")

    def clean(self):
        cleaned = super().clean()
        edition, session = cleaned.get("edition"), cleaned.get("session")
        if edition and session and session.edition_id != edition.pk:
            self.add_error("session", _("This session belongs to another edition."))
        preset = cleaned.get("preset")
        if preset and preset.list_kind != cleaned.get("list_kind"):
            self.add_error("preset", _("This preset is for another list."))
        return cleaned

    def chosen_columns(self) -> list[str]:
        preset = self.cleaned_data.get("preset")
        if not self.cleaned_data.get("columns") and preset is not None:
            return list(preset.columns)
        return list(self.cleaned_data.get("columns") or [])

    def export(self):
        data = self.cleaned_data
        filters = ExportFilters(
            edition=data["edition"],
            session=data.get("session"),
            categories=tuple(data.get("categories") or ()),
            countries=tuple(data.get("countries") or ()),
            statuses=tuple(data.get("statuses") or ()),
            consent=data.get("consent") or "",
            include_waiting=bool(data.get("include_waiting")),
            third_party=bool(data.get("third_party")),
        )
        return EXPORT_LISTS[data["list_kind"]](filters, self.chosen_columns())


class PresetForm(forms.Form):
    """Saves the ticked columns under a name; the same name again replaces its columns."""

    preset_name = forms.CharField(
        label=_("Save these columns as"), max_length=100, validators=[single_line]
    )
