"""Bulk email: one message queued in the outbox for each registration of a filtered set."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.models import BulkEmail
from common.db import atomic
from common.services.audit import log_action
from common.services.outbox import queue_email
from registrations.choices import ACTIVE_STATUSES, ConsentKind
from registrations.errors import RegistrationError
from registrations.models import Registration
from registrations.selectors.registrations import filtered_registrations

BULK_EMAIL_KIND = "bulk_message"


def bulk_email_recipients(*, bulk: BulkEmail) -> QuerySet[Registration]:
    """Who gets it: the filters, active registrations unless statuses are chosen, and for a
    marketing message only people whose marketing consent is in force."""
    filters = bulk.filters or {}
    consents = [filters.get("consent", "")]
    if bulk.is_marketing:
        consents.append(ConsentKind.MARKETING)
    return filtered_registrations(
        edition=bulk.edition,
        session=bulk.session,
        categories=filters.get("categories", []),
        countries=filters.get("countries", []),
        statuses=filters.get("statuses") or ACTIVE_STATUSES,
        consents=consents,
    ).order_by("pk")


def send_bulk_email(*, bulk: BulkEmail, actor) -> int:
    """Queues the message for every recipient, once; returns how many.

    The row is locked, so two clicks (or two staff members) can't send it twice.
    """
    with atomic():
        locked = BulkEmail.objects.select_for_update().get(pk=bulk.pk)
        if locked.sent_at is not None:
            raise RegistrationError(_("This email has already been sent."), code="bulk_sent")
        recipients = list(bulk_email_recipients(bulk=locked))
        if not recipients:
            raise RegistrationError(
                _("Nobody matches these filters: nothing was sent."), code="bulk_empty"
            )
        for registration in recipients:
            queue_email(registration, BULK_EMAIL_KIND, bulk_email=locked.pk)
        locked.sent_at = timezone.now()
        locked.sent_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.recipient_count = len(recipients)
        locked.save(update_fields=["sent_at", "sent_by", "recipient_count"])
        log_action(
            actor=actor,
            obj=locked,
            action="bulk_email.sent",
            details={"recipients": len(recipients), "marketing": locked.is_marketing},
        )
    bulk.sent_at, bulk.recipient_count = locked.sent_at, locked.recipient_count
    return len(recipients)
