"""Stored time zones under a legacy name (Asia/Saigon, as some browsers report it) become the
canonical zone the forms offer (Asia/Ho_Chi_Minh), so every page, email and invitation shows the
participant the zone they picked."""

from django.db import migrations

from common.timezones import canonical_zone


def canonical_time_zones(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    stored = Registration.objects.values_list("time_zone", flat=True).distinct()
    for name in list(stored):
        zone = canonical_zone(name)
        if zone and zone != name:
            Registration.objects.filter(time_zone=name).update(time_zone=zone)


class Migration(migrations.Migration):
    dependencies = [("registrations", "0017_names_in_latin_letters")]

    operations = [migrations.RunPython(canonical_time_zones, migrations.RunPython.noop)]
