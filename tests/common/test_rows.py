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


ODD_TEXT = 'O\'Brien "quoted" back\\slash 한국어 ✓ \u2028 line % %s {x}'


def test_values_are_stored_as_save_stores_them(open_edition):
    """The batch sends each table's rows as JSON on PostgreSQL: every value (text with quotes,
    backslashes and placeholders, dates, UUIDs, JSON documents, NULLs) reads back as the ORM's
    own INSERT leaves it."""
    by_batch = RegistrationFactory.build(
        edition=open_edition, email="json@example.org", name=ODD_TEXT, organisation=""
    )
    by_save = RegistrationFactory.build(
        edition=open_edition, email="orm@example.org", name=ODD_TEXT, organisation=""
    )
    entries = [
        audit_entry(
            actor=AuditActor.ATTENDEE,
            obj=registration,
            action="registration.created",
            details={"text": ODD_TEXT, "nested": [1, 2.5, None, {"a": True}], "empty": {}},
        )
        for registration in (by_batch, by_save)
    ]
    rows = RowBatch()
    rows.add([by_batch])
    rows.add([entries[0]], {"object_id": PkOf(by_batch)})
    rows.save()
    by_save.save()
    entries[1].object_id = by_save.pk
    entries[1].save()

    skip = {"id", "email", "public_id", "link_key", "created_at", "updated_at"}
    fields = [f.attname for f in Registration._meta.concrete_fields if f.attname not in skip]
    stored = {
        row["email"]: row
        for row in Registration.objects.filter(pk__in=[by_batch.pk, by_save.pk]).values()
    }
    assert {name: stored["json@example.org"][name] for name in fields} == {
        name: stored["orm@example.org"][name] for name in fields
    }
    assert stored["json@example.org"]["public_id"] == by_batch.public_id
    assert stored["json@example.org"]["created_at"] == by_batch.created_at
    logged = {
        entry.object_id: (entry.details, entry.fields, entry.actor_id, entry.created_at)
        for entry in AuditLog.objects.filter(pk__in=[entries[0].pk, entries[1].pk])
    }
    assert logged[by_batch.pk][:3] == logged[by_save.pk][:3]
    assert logged[by_batch.pk][3] == entries[0].created_at


def test_a_value_json_cannot_carry_goes_as_a_parameter_of_its_own(open_edition):
    from django.db.models.expressions import RawSQL

    registration = RegistrationFactory.build(edition=open_edition, email="raw@example.org")
    registration.name = RawSQL("%s || %s", ["Raw ", "name"])
    rows = RowBatch()
    rows.add([registration])
    rows.save()

    assert Registration.objects.get(pk=registration.pk).name == "Raw name"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_batch_is_prepared_once_for_any_number_of_rows(open_edition):
    """The statement's text doesn't depend on the number of rows: one prepared statement per
    connection serves every batch of the same tables, also after a rolled-back transaction."""
    from django.db import transaction

    def save(email, texts):
        registration = RegistrationFactory.build(edition=open_edition, email=email)
        rows = RowBatch()
        rows.add([registration])
        rows.add(
            [
                Consent(text=text, kind=text.kind, version=text.version, given_at=timezone.now())
                for text in texts
            ],
            {"registration_id": PkOf(registration)},
        )
        with transaction.atomic():
            rows.save()
        return registration

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                ["WITH r0 AS (INSERT INTO %registrations_consent%"],
            )
            return [statement for (statement,) in cursor.fetchall()]

    texts = list(open_edition.consent_texts.order_by("kind"))
    save("one@example.org", texts[:1])
    assert len(prepared()) == 1
    save("all@example.org", texts)
    assert len(prepared()) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        save("rolled-back@example.org", texts)
        raise RuntimeError
    saved = save("after@example.org", texts[:2])
    assert len(prepared()) == 1
    assert sorted(
        Consent.objects.filter(registration=saved).values_list("kind", flat=True)
    ) == sorted(text.kind for text in texts[:2])
    assert not Registration.objects.filter(email="rolled-back@example.org").exists()
