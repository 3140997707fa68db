"""The apps-by-domain move: a database populated before it keeps every row in the new apps."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("registrations", "0014_registration_public_id_pending_email"),
    # The programme as it was then: later forum migrations add columns the old models don't know.
    ("forum", "0005_bilingual_content_english"),
    ("common", None),
    ("meetings", None),
    ("backoffice", None),
]
MOVED = {
    "common": ["AuditLog", "OutgoingEmail", "RateLimitCounter"],
    "meetings": [
        "BusinessProfile",
        "MeetingSettings",
        "MeetingSlot",
        "SlotUnavailability",
        "MeetingRequest",
        "Meeting",
        "MeetingSeat",
        "ScheduleRun",
    ],
    "backoffice": ["ExportLog", "ExportPreset", "BulkEmail"],
}


def populate(apps) -> None:
    """One row of every model that moves, made through the models as they were before."""
    get = apps.get_model
    edition = get("forum", "Edition").objects.create(
        number=1, slug="first", title="First", start_date="2022-01-18", end_date="2022-01-19"
    )
    people = [
        get("registrations", "Registration").objects.create(
            edition=edition,
            name=f"Person {n}",
            email=f"p{n}@example.org",
            organisation="Org",
            job_title="Director",
            country="KR",
            category="korean_company",
        )
        for n in range(2)
    ]
    get("registrations", "BusinessProfile").objects.create(registration=people[0], side="company")
    get("registrations", "MeetingSettings").objects.create(
        edition=edition, window_start=dt.date(2022, 1, 24), window_end=dt.date(2022, 2, 11)
    )
    start = dt.datetime(2022, 1, 24, 1, 0, tzinfo=dt.UTC)
    slot = get("registrations", "MeetingSlot").objects.create(
        edition=edition, starts_at=start, ends_at=start + dt.timedelta(minutes=30), rooms=2
    )
    get("registrations", "SlotUnavailability").objects.create(
        registration=people[1], slot=slot, reason="marked"
    )
    request = get("registrations", "MeetingRequest").objects.create(
        edition=edition, sender=people[0], receiver=people[1], status="booked"
    )
    meeting = get("registrations", "Meeting").objects.create(
        edition=edition, request=request, sender=people[0], receiver=people[1], slot=slot, room=1
    )
    for person in people:
        get("registrations", "MeetingSeat").objects.create(
            meeting=meeting, registration=person, slot=slot
        )
    get("registrations", "ScheduleRun").objects.create(edition=edition)
    content_type = get("contenttypes", "ContentType").objects.get_or_create(
        app_label="registrations", model="meeting"
    )[0]
    get("registrations", "AuditLog").objects.create(
        actor_kind="system",
        edition=edition,
        content_type=content_type,
        object_id=meeting.pk,
        action="meeting.booked",
    )
    get("registrations", "OutgoingEmail").objects.create(
        registration=people[0], kind="confirm", language="en"
    )
    get("registrations", "RateLimitCounter").objects.create(
        key="k", count=1, expires_at=start + dt.timedelta(days=1)
    )
    get("registrations", "ExportLog").objects.create(
        edition=edition, source="command", format="csv", row_count=2
    )
    get("registrations", "ExportPreset").objects.create(
        name="For the co-host", list_kind="attendees", columns=["name"]
    )
    get("registrations", "BulkEmail").objects.create(
        edition=edition, subject_en="Hello", body_en="Hello"
    )


@pytest.mark.django_db(transaction=True)
def test_a_populated_database_moves_to_the_new_apps_with_every_row():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    before = executor.loader.project_state(BEFORE[:1]).apps
    populate(before)
    counts = {
        model: before.get_model("registrations", model).objects.count()
        for models in MOVED.values()
        for model in models
    }

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_label, models in MOVED.items():
        for model in models:
            assert apps.get_model(app_label, model).objects.count() == counts[model] > 0, model
    # The audit trail's reference still finds its meeting, through the moved content type.
    entry = apps.get_model("common", "AuditLog").objects.get()
    assert entry.content_type.app_label == "meetings"
    assert entry.obj == apps.get_model("meetings", "Meeting").objects.get()
    assert not ContentType.objects.filter(app_label="registrations", model="meeting").exists()
