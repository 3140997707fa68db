"""Edited emails in the admin: the kinds of an edition with their state, each edited per language
(prefilled with the shipped wording), its placeholders beside the text, a preview with a sample
attendee, a test to oneself, its history."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template import TemplateSyntaxError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.emails.mailtemplates import editable_kinds, kind_label, preview_message
from backoffice.emails.wording import shipped_wording
from backoffice.forms.mailtemplates import MailTemplateForm
from backoffice.models import MailTemplate
from backoffice.services.mailtemplates import (
    delete_mail_template,
    save_mail_template,
    send_test_email,
)
from common.admin.audit import AuditLogInline
from common.choices import Language
from common.emails import email_kinds
from common.errors import ForumError
from forum.models import Edition


@admin.register(MailTemplate)
class MailTemplateAdmin(admin.ModelAdmin):
    form = MailTemplateForm
    list_display = ["kind_display", "language", "edition", "updated_at", "updated_by"]
    list_filter = ["edition", "language", "kind"]
    list_select_related = ["edition", "updated_by"]
    search_fields = ["subject", "body"]
    inlines = [AuditLogInline]
    change_form_template = "admin/backoffice/mailtemplate/change_form.html"
    change_list_template = "admin/backoffice/mailtemplate/change_list.html"

    @admin.display(description=gettext_lazy("kind of email"), ordering="kind")
    def kind_display(self, template: MailTemplate) -> str:
        return kind_label(template.kind)

    @admin.display(description=gettext_lazy("preview with a sample attendee"))
    def preview(self, template: MailTemplate) -> str:
        try:
            message = preview_message(
                edition=template.edition,
                kind=template.kind,
                language=template.language,
                subject=template.subject,
                body=template.body,
            )
        except (TemplateSyntaxError, ValueError):
            # Saved outside the form: the emails use the shipped wording until it is fixed.
            return _("This wording can't be rendered; the shipped email is sent instead.")
        return render_message(message)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["edition", "kind", "language", "subject", "body"]})]
        return [
            (None, {"fields": ["edition", "kind_display", "language", "subject", "body"]}),
            (gettext_lazy("Preview"), {"fields": ["preview"]}),
            (None, {"fields": ["updated_at", "updated_by"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["edition", "kind_display", "language", "preview", "updated_at", "updated_by"]

    def get_changeform_initial_data(self, request):
        """From the list of kinds: the kind and language chosen, the shipped wording to start."""
        initial = super().get_changeform_initial_data(request)
        kind, language = initial.get("kind"), initial.get("language")
        if kind in email_kinds() and language in Language.values:
            initial["subject"], initial["body"] = shipped_wording(kind, language)
        return initial

    def save_model(self, request, obj, form, change):
        save_mail_template(template=obj, actor=request.user, fields=form.changed_data)

    def delete_model(self, request, obj):
        delete_mail_template(template=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for template in queryset.select_related("edition"):
            delete_mail_template(template=template, actor=request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/test/",
                self.admin_site.admin_view(self.test_view),
                name="backoffice_mailtemplate_test",
            ),
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="backoffice_mailtemplate_preview",
            ),
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="backoffice_mailtemplate_preview",
            ),
            *super().get_urls(),
        ]

    def test_view(self, request, pk: int):
        """POST: the saved email, with a sample attendee, to the staff member alone."""
        template = get_object_or_404(MailTemplate.objects.select_related("edition"), pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, template):
            raise PermissionDenied
        try:
            send_test_email(template=template, actor=request.user)
        except ForumError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("A test is on its way to %(address)s (the outbox sends it).")
                % {"address": request.user.email},
                messages.SUCCESS,
            )
        return redirect("admin:backoffice_mailtemplate_change", template.pk)

    def preview_view(self, request, pk: int | None = None):
        """POST from the form: the wording as typed, checked and shown for the sample attendee;
        nothing is saved."""
        template = get_object_or_404(MailTemplate, pk=pk) if pk else MailTemplate()
        allowed = (
            self.has_change_permission(request, template)
            if pk
            else self.has_add_permission(request)
        )
        if request.method != "POST" or not allowed:
            raise PermissionDenied
        form = MailTemplateForm(data=request.POST, instance=template)
        valid = form.is_valid()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview with a sample attendee"),
            "opts": self.opts,
            "form": form,
            "message": render_message(form.preview) if valid and form.preview else "",
        }
        return TemplateResponse(request, "admin/backoffice/mailtemplate/preview.html", context)

    def changelist_view(self, request, extra_context=None):
        edition = _listed_edition(request)
        extra = {
            "overview_edition": edition,
            "overview": kinds_overview(edition) if edition else [],
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})


def _listed_edition(request) -> Edition | None:
    edition_id = request.GET.get("edition__id__exact", "")
    editions = Edition.objects.all()
    if edition_id.isdigit():
        return editions.filter(pk=edition_id).first()
    return editions.filter(is_current=True).first()


def kinds_overview(edition: Edition) -> list[dict]:
    """Each editable kind with, per language, its edited row (a change link) or the shipped
    wording (an add link that starts from it)."""
    edited = {
        (kind, language): pk
        for pk, kind, language in MailTemplate.objects.filter(edition=edition).values_list(
            "pk", "kind", "language"
        )
    }
    rows = []
    for kind in editable_kinds():
        cells = []
        for language, name in Language.choices:
            pk = edited.get((kind.name, language))
            if pk:
                url = reverse("admin:backoffice_mailtemplate_change", args=[pk])
                cells.append({"url": url, "edited": True, "language": name})
            else:
                query = urlencode({"edition": edition.pk, "kind": kind.name, "language": language})
                url = f"{reverse('admin:backoffice_mailtemplate_add')}?{query}"
                cells.append({"url": url, "edited": False, "language": name})
        rows.append({"kind": kind.name, "label": str(kind.label or kind.name), "cells": cells})
    return rows


def render_message(message) -> str:
    """An email as HTML for the admin: subject, paragraphs, button, notes."""
    paragraphs = format_html_join("", "<p>{}</p>", ((p,) for p in message.paragraphs))
    notes = format_html_join("", "<p class='help'>{}</p>", ((n,) for n in message.notes))
    action = (
        format_html("<p><strong>[{}]</strong></p>", message.action_label)
        if message.action_label
        else ""
    )
    return format_html(
        "<div class='mail-template-preview'><p><strong>{}</strong> {}</p>{}{}{}</div>",
        _("Subject:"),
        message.subject,
        paragraphs,
        action,
        notes,
    )
