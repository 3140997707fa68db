"""The audit trail and the outbox stop pointing at other apps' tables.

The audit trail keeps its edition as a plain id; the outbox refers to its recipient by content
type and id (the column that held the registration keeps its values) and keeps the edition's id
for filtering. Foreign-key constraints go; every value stays.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_recipients(apps, schema_editor):
    """Every existing email went to a registration: say so, and copy its edition."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    OutgoingEmail = apps.get_model("common", "OutgoingEmail")
    Registration = apps.get_model("registrations", "Registration")
    db = schema_editor.connection.alias
    if not OutgoingEmail.objects.using(db).exists():
        return
    registration_type, _ = ContentType.objects.using(db).get_or_create(
        app_label="registrations", model="registration"
    )
    OutgoingEmail.objects.using(db).update(
        recipient_type=registration_type,
        edition_id=Subquery(
            Registration.objects.filter(pk=OuterRef("recipient_id")).values("edition_id")[:1]
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0005_bilingual_content_english"),
        ("registrations", "0015_move_models_to_their_apps"),
    ]

    operations = [
        # The audit trail: edition as a plain value (the column and its index stay).
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField(
                    model_name="auditlog",
                    name="edition",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="forum.edition",
                        verbose_name="edition",
                    ),
                ),
            ],
            state_operations=[
                migrations.RemoveField(model_name="auditlog", name="edition"),
                migrations.AddField(
                    model_name="auditlog",
                    name="edition_id",
                    field=models.BigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="edition"
                    ),
                ),
            ],
        ),
        # The outbox: the registration's column becomes the recipient's id.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField(
                    model_name="outgoingemail",
                    name="registration",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="registrations.registration",
                        verbose_name="recipient registration",
                    ),
                ),
            ],
            state_operations=[
                migrations.RemoveField(model_name="outgoingemail", name="registration"),
                migrations.AddField(
                    model_name="outgoingemail",
                    name="recipient_id",
                    field=models.BigIntegerField(
                        db_column="registration_id", db_index=True, verbose_name="recipient id"
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="edition_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="edition"),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="recipient_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind of recipient",
            ),
        ),
        migrations.RunPython(fill_recipients, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outgoingemail",
            name="recipient_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind of recipient",
            ),
        ),
    ]
