import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    # One fresh value per existing row: a column default would give them all the same one.
    Registration = apps.get_model("registrations", "Registration")
    for registration in Registration.objects.filter(public_id__isnull=True).only("pk").iterator():
        Registration.objects.filter(pk=registration.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0013_reregister_after_cancelling"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="registration",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="registration",
            name="pending_email",
            field=models.EmailField(
                blank=True, default="", max_length=254, verbose_name="new email, not confirmed yet"
            ),
        ),
    ]
