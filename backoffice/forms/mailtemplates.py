"""The form of an edited email: which one, then its subject and text, checked against the kind's
placeholders and the tags an email may use; a wording that can't be rendered is an error here,
never at sending time."""

from django import forms
from django.core.exceptions import ValidationError
from django.template import TemplateSyntaxError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.emails.mailtemplates import editable_kinds, preview_message
from backoffice.emails.wording import check_wording
from backoffice.models import MailTemplate
from common.emails import email_kinds
from common.validators import single_line


def placeholders_help(kind: str):
    """The kind's placeholders, each with what it holds: shown beside the text."""
    spec = email_kinds().get(kind)
    if spec is None:
        return ""
    items = format_html_join(
        "", "<li><code>{{{{ {} }}}}</code> — {}</li>", spec.placeholders.items()
    )
    return format_html(
        "{}<ul class='mail-template-placeholders'>{}</ul>{}",
        _("Placeholders of this email:"),
        items,
        _(
            "Conditions: {% if waiting %} … {% else %} … {% endif %}. "
            "Paragraphs apart by a blank line."
        ),
    )


class MailTemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label=gettext_lazy("kind of email"), choices=[])

    class Meta:
        model = MailTemplate
        fields = ["edition", "kind", "language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Which email, edition and language stay as created: a change is to the wording.
            for name in ("edition", "kind", "language"):
                self.fields.pop(name, None)
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                ("", "---------"),
                *((kind.name, str(kind.label or kind.name)) for kind in editable_kinds()),
            ]
        kind = self.instance.kind or self.initial.get("kind") or self.data.get("kind", "")
        if kind in email_kinds():
            self.fields["body"].help_text = placeholders_help(kind)

    def clean_body(self) -> str:
        return self.cleaned_data["body"].replace("\r\n", "\n")

    def _kind(self) -> str:
        return self.cleaned_data.get("kind") or self.instance.kind

    def clean(self):
        cleaned = super().clean()
        kind = self._kind()
        if not kind:
            return cleaned
        for field in ("subject", "body"):
            if cleaned.get(field):
                try:
                    check_wording(kind, cleaned[field])
                except ValidationError as error:
                    self.add_error(field, error)
        if not self.errors:
            self.preview = self._render()
        return cleaned

    def _render(self):
        """The email for the sample attendee: what can go wrong at sending time goes wrong here."""
        cleaned = self.cleaned_data
        try:
            message = preview_message(
                edition=cleaned.get("edition") or self.instance.edition,
                kind=self._kind(),
                language=cleaned.get("language") or self.instance.language,
                subject=cleaned["subject"],
                body=cleaned["body"],
            )
            single_line(message.subject)
        except ValidationError as error:
            self.add_error("subject", error)
            return None
        except (TemplateSyntaxError, ValueError, TypeError) as error:
            self.add_error(
                None,
                _("This wording can't be rendered: %(error)s") % {"error": error},
            )
            return None
        if not message.subject:
            self.add_error("subject", _("The subject is empty for the sample attendee."))
        return message
