"""Invitees and ASEAN project owners from the organiser's spreadsheets.

Matched on edition and email (case-insensitive), so importing the same file again changes nothing
and a corrected file updates the people already there.
"""

from django.utils.translation import gettext as _
from import_export import fields, widgets

from common.choices import Language
from forum.imports import (
    ChoiceWidget,
    CountryWidget,
    EditionForeignKeyWidget,
    EditionImportResource,
)
from forum.models import Project
from registrations.choices import ParticipantCategory
from registrations.models import Invitee


class EmailWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip().lower()


class InviteeResource(EditionImportResource):
    name = fields.Field(attribute="name", column_name="Name")
    name_latin = fields.Field(attribute="name_latin", column_name="Name in Latin letters")
    email = fields.Field(attribute="email", column_name="Email", widget=EmailWidget())
    organisation = fields.Field(attribute="organisation", column_name="Organisation")
    organisation_en = fields.Field(
        attribute="organisation_en", column_name="Organisation in English"
    )
    job_title = fields.Field(attribute="job_title", column_name="Job title")
    country = fields.Field(attribute="country", column_name="Country", widget=CountryWidget())
    category = fields.Field(
        attribute="category",
        column_name="Participant category",
        widget=ChoiceWidget(ParticipantCategory, default=ParticipantCategory.OTHER),
    )
    language = fields.Field(
        attribute="language",
        column_name="Language",
        widget=ChoiceWidget(Language, default=Language.ENGLISH),
    )
    note = fields.Field(attribute="note", column_name="Note")

    class Meta:
        model = Invitee
        fields = (
            "edition",
            "name",
            "name_latin",
            "email",
            "organisation",
            "organisation_en",
            "job_title",
            "country",
            "category",
            "language",
            "note",
        )
        import_id_fields = ("edition", "email")
        skip_unchanged = True
        report_skipped = True
        store_row_values = True  # the preview shows each row as read (forum/import_preview.py)
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = True  # a coloured diff would need inline styles (content security policy)

    @classmethod
    def get_display_name(cls):
        return _("Invitees")

    def import_row(self, row, instance_loader, **kwargs):
        # Columns a file leaves out count as empty, so a short list still imports.
        for field in self.get_import_fields():
            if field.column_name != "edition":
                row.setdefault(field.column_name, "")
        return super().import_row(row, instance_loader, **kwargs)


class ProjectOwnerResource(InviteeResource):
    """Invitees who present an ASEAN project of the edition (by slug or title)."""

    project = fields.Field(
        attribute="project",
        column_name="Project",
        widget=EditionForeignKeyWidget(Project, by_name="title", required=True),
    )
    category = fields.Field(
        attribute="category",
        column_name="Participant category",
        widget=ChoiceWidget(ParticipantCategory, default=ParticipantCategory.ASEAN_GOVERNMENT),
    )

    class Meta(InviteeResource.Meta):
        fields = (*InviteeResource.Meta.fields, "project")

    @classmethod
    def get_display_name(cls):
        return _("Project owners")
