"""What a new edition takes over from the one it starts from: consent texts and settings."""

from forum.editions import copy_fields
from forum.models import Edition
from registrations.models import ConsentText, RegistrationSettings
from registrations.selectors.registrations import current_consent_texts


def copy_registration_setup(sender, *, source: Edition, edition: Edition, **kwargs) -> None:
    """The newest version of each consent text (unchanged: same wording, same version) and the
    registration settings. Consents given and registrations stay with their edition."""
    ConsentText.objects.bulk_create(
        ConsentText(**copy_fields(text, skip={"created_at"}, edition_id=edition.pk))
        for text in current_consent_texts(edition=source)
    )
    settings = RegistrationSettings.objects.filter(edition=source).first()
    if settings is not None:
        RegistrationSettings.objects.create(**copy_fields(settings, edition_id=edition.pk))
