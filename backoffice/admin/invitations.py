"""Invitees and project owners in the admin, imported from the organiser's CSV or XLSX files."""

from django.contrib import admin

from backoffice.imports.invitees import InviteeResource, ProjectOwnerResource
from forum.imports import EditionImportMixin
from registrations.models import Invitee


@admin.register(Invitee)
class InviteeAdmin(EditionImportMixin, admin.ModelAdmin):
    resource_classes = [InviteeResource, ProjectOwnerResource]
    list_display = ["name", "email", "organisation", "country", "category", "project", "edition"]
    list_filter = ["edition", "category", "country", "language"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["edition", "project"]
    autocomplete_fields = ["project"]
    readonly_fields = ["created_at", "updated_at"]
