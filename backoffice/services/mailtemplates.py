"""Edited emails: saved, deleted and tested through here, each recorded in the audit trail.

The wording is checked by the admin's form (backoffice/emails/wording.py) before it reaches
these functions.
"""

from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from backoffice.models import MailTemplate
from common.db import atomic
from common.errors import ForumError
from common.services.audit import log_action
from common.services.outbox import queue_email

MAIL_TEMPLATE_TEST_KIND = "mail_template_test"


def _details(template: MailTemplate) -> dict[str, str]:
    return {"kind": template.kind, "language": template.language}


def save_mail_template(*, template: MailTemplate, actor, fields: list[str]) -> MailTemplate:
    """Creates or changes the edited email; the audit trail names the fields that changed."""
    created = template.pk is None
    template.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with atomic():
            template.save()
            log_action(
                actor=actor,
                obj=template,
                action="mail_template.created" if created else "mail_template.changed",
                fields=fields,
                details=_details(template),
            )
    except IntegrityError:
        raise ForumError(
            _("This email is already edited for this edition and language: change that one."),
            code="mail_template_exists",
        ) from None
    return template


def delete_mail_template(*, template: MailTemplate, actor) -> None:
    """Back to the shipped wording; the entry stays in the trail (on the edition)."""
    with atomic():
        log_action(
            actor=actor,
            obj=template.edition,
            action="mail_template.deleted",
            details=_details(template),
        )
        template.delete()


def copy_mail_templates(sender, *, source, edition, **kwargs) -> None:
    """The back office's part of starting the next edition (forum.signals.edition_started):
    the edited emails, as they read now."""
    MailTemplate.objects.bulk_create(
        MailTemplate(
            edition=edition,
            kind=template.kind,
            language=template.language,
            subject=template.subject,
            body=template.body,
            updated_by_id=template.updated_by_id,
        )
        for template in MailTemplate.objects.filter(edition=source)
    )


def send_test_email(*, template: MailTemplate, actor) -> None:
    """Queues the edited email, with a sample attendee, to the staff member alone."""
    address = getattr(actor, "email", "")
    if not address:
        raise ForumError(
            _("Your account has no email address: add one to receive a test."), code="no_email"
        )
    with atomic():
        queue_email(template, MAIL_TEMPLATE_TEST_KIND, to=address)
        log_action(
            actor=actor, obj=template, action="mail_template.tested", details=_details(template)
        )
