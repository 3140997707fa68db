"""Back-office forms: which list to export, with which filters and columns; saving a preset."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from backoffice.choices import ExportListKind
from backoffice.exports import EXPORT_LISTS, ExportFilters
from backoffice.models import ExportPreset
from common.validators import single_line
from forum.models import Edition, Session
from registrations.choices import ConsentKind, ParticipantCategory, RegistrationStatus


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, edition: Edition) -> str:
        return edition.display_title


class PresetChoiceField(forms.ModelChoiceField):
    """The presets of the chosen list, by name (the page's script offers the same)."""

    def label_from_instance(self, preset: ExportPreset) -> str:
        return preset.name


class ExportForm(forms.Form):
    """One form for what staff see and what they get: list, filters, ticked columns, download.

    Read from GET (a filtered page can be bookmarked) and from POST (count, download, save).
    `columns_for` says which list the ticked columns were shown for: when it is another list
    (the list was changed and the page's script did not refresh the columns, or runs no script),
    the ticked columns are stale. They are then replaced by the chosen list's usual columns, or
    by the chosen preset's, and `columns_replaced` tells the page to show them before anything is
    downloaded.
    """

    edition = EditionChoiceField(Edition.objects.order_by("-number"), label=_("Edition"))
    list_kind = forms.ChoiceField(
        label=_("List"), choices=ExportListKind.choices, initial=ExportListKind.ATTENDEES
    )
    preset = PresetChoiceField(
        ExportPreset.objects.all(),
        label=_("Column preset"),
        empty_label=_("No preset"),
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
    columns_for = forms.CharField(required=False, widget=forms.HiddenInput)
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

    def __init__(self, *args, edition: Edition | None = None, refresh: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = list(countries)
        kind = self.data.get("list_kind") or ExportListKind.ATTENDEES
        if kind not in EXPORT_LISTS:
            kind = ExportListKind.ATTENDEES
        export_list = EXPORT_LISTS[kind]
        self.export_list = export_list
        self.fields["columns"].choices = export_list.column_choices()
        self.fields["preset"].queryset = ExportPreset.objects.filter(list_kind=kind)
        self.columns_replaced = False
        if self.is_bound and hasattr(self.data, "getlist"):
            self.data = self.data.copy()
            preset_id = self.data.get("preset", "")
            presets = self.fields["preset"].queryset
            if preset_id and not (preset_id.isdigit() and presets.filter(pk=preset_id).exists()):
                self.data["preset"] = ""  # a preset of the list chosen before
            shown_for = self.data.get("columns_for", "")
            ticked = self.data.getlist("columns")
            stale = bool(shown_for) and shown_for != kind
            fresh = not ticked and not shown_for  # a bookmark, a link: nothing was shown yet
            if fresh or stale or (refresh and self.data.get("preset")):
                # Columns ticked for another list never reach this one: the chosen preset's
                # columns, or the list's usual ones, are ticked instead and shown first.
                self.columns_replaced = bool(ticked) and stale
                self.data.setlist("columns", self._starting_columns(kind))
            self.data["columns_for"] = kind
        if edition is not None:
            self.fields["session"].queryset = edition.sessions.order_by("starts_at", "pk")
        else:
            self.fields["session"].queryset = Session.objects.select_related("edition")

    def _starting_columns(self, kind: str) -> list[str]:
        preset_id = self.data.get("preset", "")
        if preset_id.isdigit():
            preset = ExportPreset.objects.filter(pk=int(preset_id), list_kind=kind).first()
            if preset is not None:
                known = dict(self.fields["columns"].choices)
                return [column for column in preset.columns if column in known]
        return list(EXPORT_LISTS[kind].default_columns)

    def clean(self):
        cleaned = super().clean()
        edition, session = cleaned.get("edition"), cleaned.get("session")
        if edition and session and session.edition_id != edition.pk:
            self.add_error("session", _("This session belongs to another edition."))
        if "columns" in cleaned and not cleaned["columns"]:
            self.add_error("columns", _("Tick at least one column."))
        return cleaned

    def chosen_columns(self) -> list[str]:
        """Exactly the ticked columns, in the list's order."""
        ticked = set(self.cleaned_data.get("columns") or ())
        return [key for key, _label in self.fields["columns"].choices if key in ticked]

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

    # Not required in the browser: the same form downloads, and a download needs no name.
    # Saving without a name is refused by the service with a message.
    preset_name = forms.CharField(
        label=_("Save these columns as"), max_length=100, required=False, validators=[single_line]
    )
