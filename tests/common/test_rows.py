"""RowBatch: rows of several tables that refer to each other, saved in one statement on PostgreSQL
and one INSERT a table elsewhere, exactly as `save()` would have left them."""

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.choices import AuditActor
from common.models import AuditLog, OutgoingEmail
from common.rows import PkOf, RowBatch
from common.services.audit import audit_entry
from registrations.models import Consent, Registration
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_rows_that_refer_to_each_other_are_saved_with_their_keys(open_edition):
    texts = list(open_edition.consent_texts.order_by("kind"))
    registration = RegistrationFactory.build(edition=open_edition, email="batch@example.org")
    consents = [
        Consent(
            registration=registration,
            text=text,
            kind=text.kind,
            version=text.version,
            given_at=timezone.now(),
        )
        for text in texts
    ]
    entry = audit_entry(
        actor=AuditActor.ATTENDEE,
        obj=registration,
        action="registration.created",
        details={"consents": [text.kind for text in texts]},
    )
    email = OutgoingEmail(
        recipient_type=entry.content_type,
        edition_id=open_edition.pk,
        kind="confirm",
        language="en",
        params={"ids": [0, 7]},
    )
    rows = RowBatch()
    rows.add([registration])
    rows.add(consents, {"registration_id": PkOf(registration)})
    rows.add([entry], {"object_id": PkOf(registration)})
    rows.add([email], {"recipient_id": PkOf(registration), "params": PkOf(entry, ("ids", 0))})

    with CaptureQueriesContext(connection) as captured:
        rows.save()

    statements = [q["sql"] for q in captured]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 4)
    saved = Registration.objects.get(email="batch@example.org")
    assert (registration.pk, registration._state.adding) == (saved.pk, False)
    assert saved.public_id == registration.public_id
    assert sorted(
        Consent.objects.filter(registration=saved).values_list("pk", "kind", "version")
    ) == sorted((consent.pk, consent.kind, consent.version) for consent in consents)
    logged = AuditLog.objects.get(pk=entry.pk)
    assert (logged.object_id, logged.action, logged.details) == (
        saved.pk,
        "registration.created",
        {"consents": [text.kind for text in texts]},
    )
    assert logged.created_at is not None
    stored = OutgoingEmail.objects.get(pk=email.pk)
    assert (stored.recipient_id, stored.params) == (saved.pk, {"ids": [entry.pk, 7]})
    assert (email.recipient_id, email.params) == (saved.pk, {"ids": [entry.pk, 7]})


def test_each_row_gets_the_save_signals(open_edition):
    heard = []

    def before(sender, instance, **kwargs):
        heard.append(("pre", sender.__name__, instance.pk))

    def after(sender, instance, created, **kwargs):
        heard.append(("post", sender.__name__, instance.pk is not None, created))

    pre_save.connect(before, sender=Registration)
    post_save.connect(after, sender=Registration)
    try:
        rows = RowBatch()
        rows.add([RegistrationFactory.build(edition=open_edition)])
        rows.save()
    finally:
        pre_save.disconnect(before, sender=Registration)
        post_save.disconnect(after, sender=Registration)

    assert heard == [("pre", "Registration", None), ("post", "Registration", True, True)]


def test_a_key_of_a_row_not_in_the_batch_is_refused(open_edition):
    registration = RegistrationFactory.build(edition=open_edition)
    with pytest.raises(RuntimeError):
        RowBatch().add(
            [Consent(kind="collection", version="1")], {"registration_id": PkOf(registration)}
        )
