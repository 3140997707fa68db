"""On PostgreSQL the rate-limit counters skip the write-ahead log: no disk flush per hit.

An unlogged table is emptied after a crash, which only forgets recent hits.
"""

from django.db import migrations


def set_unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registrations_ratelimitcounter SET UNLOGGED")


def set_logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registrations_ratelimitcounter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("registrations", "0003_rate_limit_counter")]

    operations = [migrations.RunPython(set_unlogged, set_logged)]
