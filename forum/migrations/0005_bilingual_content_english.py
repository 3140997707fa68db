"""Fills the English column of every translated field (django-modeltranslation) from the original.

The hand-made Korean fields (edition and session `title_ko`, sector and strategic area `name_ko`)
were altered in place by 0004 into modeltranslation's own `*_ko` fields of the same names, so
their values are already where modeltranslation reads them.
"""

from django.db import migrations
from django.db.models import F, Q

TRANSLATED = {
    "strategicarea": ["name"],
    "sector": ["name"],
    "organisation": ["name"],
    "edition": ["title", "theme", "summary", "venue"],
    "contactperson": ["name", "position", "unit"],
    "speaker": ["name", "position", "biography"],
    "session": ["title", "description", "room"],
    "project": ["title", "summary", "implementing_agency"],
}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("forum", model_name)
        for field in fields:
            english = f"{field}_en"
            model.objects.filter(Q(**{f"{english}__isnull": True}) | Q(**{english: ""})).update(
                **{english: F(field)}
            )


def copy_back(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("forum", model_name)
        for field in fields:
            model.objects.exclude(**{f"{field}_en__isnull": True}).update(
                **{field: F(f"{field}_en")}
            )


class Migration(migrations.Migration):
    dependencies = [("forum", "0004_bilingual_content")]

    operations = [migrations.RunPython(copy_to_english, copy_back)]
