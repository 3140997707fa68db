"""Consent texts (new versions, never edits of agreed ones) and registration settings."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin.audit import AuditLogInline
from common.services.audit import log_action
from registrations.choices import ParticipantCategory
from registrations.models import (
    ConsentText,
    RegistrationSettings,
)


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Consent texts are published, not rewritten: once someone agreed, a text stays as it is."""

    list_display = ["edition", "kind", "version", "requirement", "agreed_count", "created_at"]
    list_filter = ["edition", "kind", "requirement"]
    search_fields = ["text_en", "text_ko", "version"]
    fields = ["edition", "kind", "version", "requirement", "text_en", "text_ko"]
    inlines = [AuditLogInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_agreed=Count("consents"))

    @admin.display(description=_("agreed to by"), ordering="num_agreed")
    def agreed_count(self, text: ConsentText) -> int:
        return text.num_agreed

    def _agreed(self, obj) -> bool:
        return obj is not None and obj.consents.exists()

    def get_readonly_fields(self, request, obj=None):
        if self._agreed(obj):
            return self.fields  # what people agreed to can't change: publish a new version
        return []

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._agreed(obj) and super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        """`?copy_from=<pk>`: a new version that starts from an existing text."""
        initial = super().get_changeform_initial_data(request)
        source = request.GET.get("copy_from", "")
        text = ConsentText.objects.filter(pk=source).first() if source.isdigit() else None
        if text is not None:
            initial.update(
                edition=text.edition_id,
                kind=text.kind,
                requirement=text.requirement,
                text_en=text.text_en,
                text_ko=text.text_ko,
            )
        return initial

    def change_view(self, request, object_id, form_url="", extra_context=None):
        text = self.get_object(request, object_id)
        extra_context = {**(extra_context or {})}
        if self._agreed(text):
            messages.info(
                request,
                format_html(
                    '{} <a href="{}?copy_from={}">{}</a>',
                    _(
                        "People agreed to this text, so it can't change. To change the wording, "
                        "publish a new version; the registration form then shows the new one."
                    ),
                    reverse("admin:registrations_consenttext_add"),
                    text.pk,
                    _("Publish a new version"),
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_action(
            actor=request.user,
            obj=obj,
            action="consent_text.published",
            fields=form.changed_data,
            details={"kind": obj.kind, "version": obj.version},
        )


class RegistrationSettingsForm(forms.ModelForm):
    approval_categories = forms.MultipleChoiceField(
        label=_("categories that need approval"),
        choices=ParticipantCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = RegistrationSettings
        fields = [
            "edition",
            "approval_categories",
            "confirmation_hours",
            "manage_link_days",
            "join_opens_minutes",
        ]


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(admin.ModelAdmin):
    form = RegistrationSettingsForm
    list_display = [
        "edition",
        "approval_categories",
        "confirmation_hours",
        "manage_link_days",
        "join_opens_minutes",
    ]
    inlines = [AuditLogInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data:
            log_action(
                actor=request.user, obj=obj, action="settings.changed", fields=form.changed_data
            )
