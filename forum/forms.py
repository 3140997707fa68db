"""Forms of the public programme pages: filters and the visitor's time zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.collation import sorted_countries
from common.timezones import time_zone_choices
from common.widgets import TimeZoneChoiceField
from forum.choices import ASEAN_MEMBER_STATES, SessionKind
from forum.models import Edition, Sector


def visitor_time_zone_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a time zone")), *time_zone_choices()]


class SelectFormMixin:
    """Bootstrap's look for every select of a filter form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")


class ProgrammeFilterForm(SelectFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of session"),
        required=False,
        choices=[("", _("All kinds"))] + list(SessionKind.choices),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("All sectors"),
    )


class ProjectFilterForm(SelectFormMixin, forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("All sectors"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("All countries")),
            *sorted_countries(ASEAN_MEMBER_STATES),
        ]


class TimeZoneForm(SelectFormMixin, forms.Form):
    tz = TimeZoneChoiceField(label=_("Show times also in"), source=visitor_time_zone_choices)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class NextEditionForm(forms.Form):
    """The next edition's identity; everything else is copied from the edition it starts from."""

    number = forms.IntegerField(label=_("Number"), min_value=1)
    title = forms.CharField(label=_("Title"), max_length=200)
    title_ko = forms.CharField(label=_("Title in Korean"), max_length=200, required=False)
    slug = forms.SlugField(label=_("Slug (in addresses)"), max_length=50)
    start_date = forms.DateField(
        label=_("First day"),
        help_text=_("Sessions, registration and meeting dates move by the same number of days."),
    )

    def clean_number(self):
        number = self.cleaned_data["number"]
        if Edition.objects.filter(number=number).exists():
            raise forms.ValidationError(
                _("There is already an edition with this number."), code="taken"
            )
        return number

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Edition.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("There is already an edition with this slug."), code="taken"
            )
        return slug
