"""The public-id migration gives every existing registration its own random id."""

from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import registrations.migrations

# Whatever number the migration has: the one that adds the public id, and what it follows.
NAME = next(
    path.stem
    for path in Path(registrations.migrations.__file__).parent.glob(
        "*_registration_public_id_pending_email.py"
    )
)
# The programme as it was then: later forum migrations add columns the old models don't know.
BEFORE = [
    *import_module(f"registrations.migrations.{NAME}").Migration.dependencies,
    ("forum", "0005_bilingual_content_english"),
]
AFTER = [("registrations", NAME)]


@pytest.mark.django_db(transaction=True)
def test_existing_registrations_get_distinct_public_ids():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Edition = old.get_model("forum", "Edition")
    Registration = old.get_model("registrations", "Registration")
    edition = Edition.objects.create(
        number=1, slug="first", title="First", start_date="2022-01-18", end_date="2022-01-19"
    )
    for n in range(3):
        Registration.objects.create(
            edition=edition,
            name=f"Person {n}",
            email=f"p{n}@example.org",
            organisation="Org",
            job_title="Director",
            country="KR",
            category="korean_company",
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    ids = list(
        new.get_model("registrations", "Registration").objects.values_list("public_id", flat=True)
    )
    assert len(ids) == 3 and None not in ids
    assert len(set(ids)) == 3

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
