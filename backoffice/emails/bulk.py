"""The bulk email: the staff's message in the recipient's language; for marketing, an unsubscribe
line, and nothing at all if the recipient withdrew that consent meanwhile."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from backoffice.models import BulkEmail
from backoffice.services.bulk import BULK_EMAIL_KIND
from common.emails import EmailKind, Message, build_message
from registrations.choices import ConsentKind
from registrations.emails.registrations import manage_url
from registrations.models import Registration


def bulk_context(registration: Registration, params: dict[str, Any]) -> dict[str, Any] | None:
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
    return {
        "name": registration.name,
        "subject": (bulk.subject_ko or bulk.subject_en) if korean else bulk.subject_en,
        "body": bulk.body_ko if korean else bulk.body_en,
        "marketing": bulk.is_marketing,
        "url": manage_url(registration) if bulk.is_marketing else "",
    }


def bulk_message(registration: Registration, params: dict[str, Any]) -> Message | None:
    """The email as the recipient gets it (the preview shows it before anything is sent)."""
    return build_message(BULK_EMAIL_KIND, registration, params)


KINDS = [
    EmailKind(
        name=BULK_EMAIL_KIND,
        template=f"emails/kinds/{BULK_EMAIL_KIND}.txt",
        placeholders={
            "name": _("the recipient's name"),
            "subject": _("the subject the organisers wrote"),
            "body": _("the text the organisers wrote"),
            "marketing": _("yes for news and promotion"),
            "url": _("the recipient's registration page, to withdraw that consent"),
        },
        context=bulk_context,
        label=_("Bulk email (the organisers' own words)"),
    )
]
