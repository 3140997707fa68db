"""Personal data leaves when the edition's retention period ends."""

import datetime as dt

from django.utils import timezone

from common.choices import AuditActor
from common.db import atomic
from common.ratelimit import purge_expired as purge_expired_counters
from common.services.audit import log_action
from forum.models import Edition, Session
from registrations.models import Invitee, Registration


def purge_personal_data(*, today: dt.date | None = None, dry_run: bool = False) -> dict[str, int]:
    """Deletes the registrations of every edition whose retention period has ended.

    An edition's period ends `retention_days` after its last day. Bookings and consent records go
    with their registrations, and the edition's invitees (imported lists) go too; export logs keep
    who exported what, not the attendees' data.
    Expired rate-limit counters (hashed addresses) go too. Returns the counts per edition slug.
    """
    today = today or timezone.localdate()
    purged: dict[str, int] = {}
    for edition in Edition.objects.order_by("number"):
        if edition.end_date + dt.timedelta(days=edition.retention_days) >= today:
            continue
        registrations = Registration.objects.filter(edition=edition)
        count = registrations.count()
        if not dry_run:
            with atomic():
                registrations.delete()
                Session.objects.filter(edition=edition).update(seats_taken=0)  # bookings gone
                Invitee.objects.filter(edition=edition).delete()
                log_action(
                    actor=AuditActor.SYSTEM,
                    obj=edition,
                    action="edition.personal_data_purged",
                    details={"registrations": count},
                )
        if count:
            purged[edition.slug] = count
    if not dry_run:
        purge_expired_counters()
    return purged
