"""Which fields of the programme have an English and a Korean value (django-modeltranslation).

Each field named here gets `<field>_en` and `<field>_ko` columns; reading `<field>` gives the active
language's value, falling back to English (MODELTRANSLATION_FALLBACK_LANGUAGES). Templates mark
the fallback with `lang="en"` through the `translated` filter (forum/templatetags/bilingual.py).
"""

from modeltranslation.translator import TranslationOptions, register

from forum.models import (
    ContactPerson,
    Edition,
    Organisation,
    Project,
    Sector,
    Session,
    Speaker,
    StrategicArea,
)


@register(StrategicArea)
class StrategicAreaTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)
    # The name is unique: an organisation without a Korean name stores NULL there, not "".
    empty_values = {"name": None}


@register(Edition)
class EditionTranslation(TranslationOptions):
    fields = ("title", "theme", "summary", "venue")
    required_languages = {"en": ("title",)}


@register(ContactPerson)
class ContactPersonTranslation(TranslationOptions):
    fields = ("name", "position", "unit")
    required_languages = {"en": ("name",)}


@register(Speaker)
class SpeakerTranslation(TranslationOptions):
    fields = ("name", "position", "biography")
    required_languages = {"en": ("name",)}


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "description", "room")
    required_languages = {"en": ("title",)}


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary", "implementing_agency")
    required_languages = {"en": ("title",)}


def is_translated(model, field: str) -> bool:
    from modeltranslation.translator import NotRegistered, translator

    try:
        return field in translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return False
