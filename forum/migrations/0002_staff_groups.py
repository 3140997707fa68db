"""Creates the two staff groups, Organiser and Staff, with their permissions on the programme."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PROGRAMME_MODELS = [
    "edition",
    "editionorganisation",
    "contactperson",
    "strategicarea",
    "sector",
    "organisation",
    "speaker",
    "session",
    "sessionspeaker",
    "project",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    programme = Permission.objects.filter(
        content_type__app_label="forum", content_type__model__in=PROGRAMME_MODELS
    )
    organiser, _ = Group.objects.get_or_create(name="Organiser")
    organiser.permissions.add(*programme)
    staff, _ = Group.objects.get_or_create(name="Staff")
    staff.permissions.add(*programme.filter(codename__startswith="view_"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Organiser", "Staff"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
