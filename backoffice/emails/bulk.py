"""The bulk email's builder: the staff's message in the recipient's language; for marketing, an
unsubscribe line, and nothing at all if the recipient withdrew that consent meanwhile."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from backoffice.models import BulkEmail
from backoffice.services.bulk import BULK_EMAIL_KIND
from common.services.outbox import Message, register_builder
from registrations.choices import ConsentKind
from registrations.emails.registrations import manage_url
from registrations.models import Registration


def paragraphs_of(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


@register_builder(BULK_EMAIL_KIND)
def bulk_message(registration: Registration, params: dict[str, Any]) -> Message | None:
    bulk = BulkEmail.objects.filter(pk=params.get("bulk_email")).first()
    if bulk is None:
        return None
    if (
        bulk.is_marketing
        and not registration.consents.filter(
            kind=ConsentKind.MARKETING, withdrawn_at__isnull=True
        ).exists()
    ):
        return None  # withdrawn since the email was queued: it must not go
    korean = get_language() == "ko" and bool(bulk.body_ko.strip())
    subject = (bulk.subject_ko or bulk.subject_en) if korean else bulk.subject_en
    body = bulk.body_ko if korean else bulk.body_en
    notes = []
    if bulk.is_marketing:
        notes.append(
            _(
                "You receive this because you agreed to news about future forums. To stop, "
                "withdraw that consent on your registration page: %(url)s"
            )
            % {"url": manage_url(registration)}
        )
    return Message(
        subject=subject,
        paragraphs=[_("Dear %(name)s,") % {"name": registration.name}, *paragraphs_of(body)],
        notes=notes,
    )
