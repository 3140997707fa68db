"""Starting the next edition from one, and switching which edition is current.

The programme's part is copied here; other apps copy theirs (consent texts, registration
settings, meeting settings) by answering the `edition_started` signal (forum/signals.py) in their
AppConfig.ready, inside the same transaction, so this module needs none of them.
Attendees and speakers are never copied; the contact persons (the organiser's staff for contents
and press inquiries) are.
"""

import datetime as dt

from django.utils import timezone

from common.choices import AuditActor
from common.db import atomic
from common.services.audit import log_action
from forum.models import ContactPerson, Edition, EditionOrganisation, Session
from forum.models.programme import SEAT_COUNTERS
from forum.pagecache import mark_content_changed
from forum.signals import edition_started

# Rows of an edition that are its own identity or state, not set-up to carry over.
NOT_COPIED = {"id", "number", "slug", "is_current", "content_changed_at"}


def shift_time(value: dt.datetime | None, days: dt.timedelta, zone) -> dt.datetime | None:
    """The same wall-clock time `days` later in the edition's zone (not 24-hour steps in UTC)."""
    if value is None:
        return None
    return timezone.localtime(value, zone) + days


def copy_fields(instance, *, skip=frozenset(), **changes) -> dict:
    """The instance's column values without its key (and `skip`), with `changes` applied."""
    fields = {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
        if field.attname not in skip and not field.primary_key
    }
    return {**fields, **changes}


def suggested_first_day(source: Edition, today: dt.date | None = None) -> dt.date:
    """The next edition's first day: the same weekday a year (52 weeks) on, and as many years
    more as it takes to lie ahead of `today` (starting from an edition of years ago)."""
    today = today or timezone.localdate(timezone=source.tzinfo)
    day = source.start_date + dt.timedelta(weeks=52)
    while day <= today:
        day += dt.timedelta(weeks=52)
    return day


@atomic()
def start_next_edition(
    *,
    source: Edition,
    number: int,
    slug: str,
    title: str,
    title_ko: str,
    start_date: dt.date,
    user=None,
) -> Edition:
    """A new edition set up like `source`, its dates moved to start on `start_date`; the audit
    trail records who started it from which edition."""
    days = start_date - source.start_date
    zone = source.tzinfo
    edition = Edition.objects.create(
        **copy_fields(
            source,
            skip=NOT_COPIED,
            number=number,
            slug=slug,
            title=title,
            title_en=title,
            title_ko=title_ko,
            start_date=start_date,
            end_date=source.end_date + days,
            registration_opens=shift_time(source.registration_opens, days, zone),
            registration_closes=shift_time(source.registration_closes, days, zone),
            meetings_start=source.meetings_start and source.meetings_start + days,
            meetings_end=source.meetings_end and source.meetings_end + days,
            is_current=False,
        )
    )
    edition.focus_areas.set(source.focus_areas.all())
    EditionOrganisation.objects.bulk_create(
        EditionOrganisation(**copy_fields(partner, edition_id=edition.pk))
        for partner in source.partners.all()
    )
    ContactPerson.objects.bulk_create(
        ContactPerson(**copy_fields(contact, edition_id=edition.pk))
        for contact in source.contacts.all()
    )
    for session in source.sessions.prefetch_related("sectors", "strategic_areas"):
        copy = Session.objects.create(
            **copy_fields(
                session,
                skip=SEAT_COUNTERS,  # the new edition's seats are all free
                edition_id=edition.pk,
                starts_at=shift_time(session.starts_at, days, zone),
                ends_at=shift_time(session.ends_at, days, zone),
            )
        )
        copy.sectors.set(session.sectors.all())
        copy.strategic_areas.set(session.strategic_areas.all())
    edition_started.send(sender=Edition, source=source, edition=edition)
    log_action(
        actor=user or AuditActor.SYSTEM,
        obj=edition,
        action="edition.started",
        details={"source": source.pk},
        edition_id=edition.pk,
    )
    return edition


@atomic()
def make_edition_current(*, edition: Edition, user=None) -> Edition | None:
    """Makes `edition` the one on the home page; returns the edition that was current before.

    One transaction: the old one is switched off before the new one on, so the database's
    one-current-edition constraint never sees two.
    """
    previous = Edition.objects.select_for_update().filter(is_current=True).first()
    if previous is not None and previous.pk == edition.pk:
        return None
    Edition.objects.filter(is_current=True).update(is_current=False)
    Edition.objects.filter(pk=edition.pk).update(is_current=True)
    edition.is_current = True
    mark_content_changed()  # cached public pages show the new current edition at once
    log_action(
        actor=user or AuditActor.SYSTEM,
        obj=edition,
        action="edition.made_current",
        fields=["is_current"],
        details={"previous": previous.pk if previous else None},
        edition_id=edition.pk,
    )
    return previous
