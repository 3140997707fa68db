"""Bulk email in the admin: write in English and Korean, choose who, preview, then send once."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from backoffice.emails.bulk import bulk_message
from backoffice.models import BulkEmail
from backoffice.services.bulk import bulk_email_recipients, send_bulk_email
from common.errors import ForumError
from registrations.choices import ConsentKind, ParticipantCategory, RegistrationStatus

SEND_PERMISSION = "backoffice.send_bulkemail"
PREVIEW_ROWS = 20


class BulkEmailForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Registration statuses"),
        choices=RegistrationStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: active registrations (not cancelled or rejected)."),
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Participant categories"),
        choices=ParticipantCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries"), choices=[], required=False
    )
    consent = forms.ChoiceField(
        label=gettext_lazy("Only with this consent in force"),
        choices=[("", gettext_lazy("Any")), *ConsentKind.choices],
        required=False,
    )

    class Meta:
        model = BulkEmail
        fields = [
            "edition",
            "session",
            "is_marketing",
            "subject_en",
            "body_en",
            "subject_ko",
            "body_ko",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = list(countries)
        for key in ("statuses", "categories", "countries", "consent"):
            self.fields[key].initial = (self.instance.filters or {}).get(key)

    def clean(self):
        cleaned = super().clean()
        edition, session = cleaned.get("edition"), cleaned.get("session")
        if edition and session and session.edition_id != edition.pk:
            self.add_error("session", _("This session belongs to another edition."))
        return cleaned

    def save(self, commit=True):
        self.instance.filters = {
            key: self.cleaned_data[key]
            for key in ("statuses", "categories", "countries", "consent")
            if self.cleaned_data.get(key)
        }
        return super().save(commit=commit)


@admin.register(BulkEmail)
class BulkEmailAdmin(admin.ModelAdmin):
    form = BulkEmailForm
    list_display = ["subject_en", "edition", "is_marketing", "recipient_count", "sent_at", "send"]
    list_filter = ["edition", "is_marketing"]
    search_fields = ["subject_en", "subject_ko"]
    list_select_related = ["edition"]
    readonly_fields = ["created_by", "created_at", "sent_by", "sent_at", "recipient_count"]
    fieldsets = [
        (None, {"fields": ["edition", "is_marketing"]}),
        (
            gettext_lazy("Who gets it"),
            {"fields": ["session", "statuses", "categories", "countries", "consent"]},
        ),
        (gettext_lazy("English"), {"fields": ["subject_en", "body_en"]}),
        (gettext_lazy("Korean"), {"fields": ["subject_ko", "body_ko"]}),
        (
            gettext_lazy("Sending"),
            {"fields": ["created_by", "created_at", "sent_by", "sent_at", "recipient_count"]},
        ),
    ]

    @admin.display(description=gettext_lazy("Preview and send"))
    def send(self, bulk: BulkEmail) -> str:
        if bulk.is_sent:
            return "—"
        url = reverse("admin:backoffice_bulkemail_send", args=[bulk.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview and send"))

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_sent:
            return False  # what was sent stays as it was sent
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            return redirect("admin:backoffice_bulkemail_send", obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        return [
            path(
                "<int:pk>/send/",
                self.admin_site.admin_view(self.send_view),
                name="backoffice_bulkemail_send",
            ),
            *super().get_urls(),
        ]

    def send_view(self, request, pk: int):
        """GET: who gets it and how it reads in each language. POST: queue it for everyone."""
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        bulk = get_object_or_404(BulkEmail.objects.select_related("edition", "session"), pk=pk)
        if request.method == "POST" and not bulk.is_sent:
            try:
                count = send_bulk_email(bulk=bulk, actor=request.user)
            except ForumError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Queued for %(count)d recipients; the outbox sends them.") % {"count": count},
                    messages.SUCCESS,
                )
                return redirect("admin:backoffice_bulkemail_changelist")
        recipients = bulk_email_recipients(bulk=bulk)
        previews = []
        for language, name in (("en", _("English")), ("ko", _("Korean"))):
            sample = recipients.filter(language=language).first() or recipients.first()
            if sample is None:
                continue
            with translation.override(language):
                sample.language = language
                message = bulk_message(sample, {"bulk_email": bulk.pk})
            if message is not None:
                previews.append({"language": name, "message": message, "recipient": sample})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview and send: %(subject)s") % {"subject": bulk.subject_en},
            "opts": self.opts,
            "bulk": bulk,
            "recipient_count": recipients.count(),
            "recipients": recipients[:PREVIEW_ROWS],
            "preview_rows": PREVIEW_ROWS,
            "previews": previews,
        }
        return TemplateResponse(request, "admin/backoffice/bulk_email_send.html", context)
