"""Emails edited by the organisers: a kind's subject and text for one edition and language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.choices import Language
from common.db import choices_constraint
from common.validators import single_line
from forum.models import Edition


class MailTemplate(models.Model):
    """The wording of one kind of email for one edition and language, in place of the shipped one.

    `subject` and `body` are template text: the kind's placeholders (`{{ name }}`) and
    `{% if %}` … `{% endif %}`, checked when saved (backoffice/emails/mailtemplates.py). Without
    a row the shipped template (`templates/emails/kinds/<kind>.txt`) is used; the button's label
    and the notes stay the shipped ones.
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="mail_templates", verbose_name=_("edition")
    )
    # A declared kind's name (common/emails.py): the kinds come from the apps' code, so the
    # form offers them rather than a database choice.
    kind = models.CharField(_("kind of email"), max_length=40)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=300, validators=[single_line])
    body = models.TextField(_("text"), help_text=_("Paragraphs separated by a blank line."))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["edition", "kind", "language"]
        verbose_name = _("edited email")
        verbose_name_plural = _("edited emails")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "language"], name="backoffice_mailtemplate_one_per_kind"
            ),
            choices_constraint("backoffice", "mailtemplate", "language", Language),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_language_display()})"

    @property
    def email(self) -> str:
        """A test of it goes to the staff member who asks (the outbox's `to`), never to itself."""
        return ""
