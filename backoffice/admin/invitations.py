"""Invitees and project owners in the admin, imported from the organiser's CSV or XLSX files."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.imports.invitees import InviteeResource, ProjectOwnerResource
from forum.imports import EditionImportMixin
from registrations.models import Invitee
from registrations.models.registration import both


@admin.register(Invitee)
class InviteeAdmin(EditionImportMixin, admin.ModelAdmin):
    resource_classes = [InviteeResource, ProjectOwnerResource]
    list_display = [
        "name_shown",
        "email",
        "organisation_shown",
        "country",
        "category",
        "project",
        "edition",
    ]
    list_filter = ["edition", "category", "country", "language"]
    search_fields = ["name", "name_latin", "email", "organisation", "organisation_en"]
    list_select_related = ["edition", "project"]
    autocomplete_fields = ["project"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("name"), ordering="name")
    def name_shown(self, obj) -> str:
        return both(obj.name, obj.name_latin)

    @admin.display(description=_("organisation"), ordering="organisation")
    def organisation_shown(self, obj) -> str:
        return both(obj.organisation, obj.organisation_en)
