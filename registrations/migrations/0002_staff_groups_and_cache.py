"""Gives the Organiser and Staff groups their permissions on registrations; creates the cache table."""

from django.contrib.auth.management import create_permissions
from django.core.management import call_command
from django.db import migrations

REGISTRATION_MODELS = [
    "registrationsettings",
    "registration",
    "sessionbooking",
    "consenttext",
    "consent",
    "exportlog",
]


def grant_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="registrations", content_type__model__in=REGISTRATION_MODELS
    )
    organiser, _ = Group.objects.get_or_create(name="Organiser")
    organiser.permissions.add(*permissions)
    staff, _ = Group.objects.get_or_create(name="Staff")
    # Staff work the list but never delete; the export log is read-only for everyone.
    staff.permissions.add(
        *permissions.exclude(codename__startswith="delete_").exclude(
            content_type__model="exportlog", codename__in=["add_exportlog", "change_exportlog"]
        )
    )


def revoke_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Organiser", "Staff"]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="registrations")
        )


def create_cache_table(apps, schema_editor):
    # The rate limiter counts in the shared cache; with the database cache its table must exist
    # in every database the app migrates, including the test database. Idempotent; a no-op
    # when the cache is Redis.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("forum", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_permissions, revoke_permissions),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
