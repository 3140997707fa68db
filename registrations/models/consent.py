"""Consent texts of an edition and the consents attendees gave."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from common.validators import single_line
from forum.models import Edition
from registrations.choices import (
    ConsentKind,
    ConsentRequirement,
)
from registrations.models.registration import Registration


class ConsentText(models.Model):
    """The wording of one consent for one edition, in a numbered version."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="consent_texts", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    version = models.CharField(_("version"), max_length=20, validators=[single_line])
    text_en = models.TextField(_("text in English"))
    text_ko = models.TextField(_("text in Korean"), blank=True)
    requirement = models.CharField(
        _("requirement"), max_length=20, choices=ConsentRequirement.choices
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["edition", "kind", "-created_at", "-pk"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "version"], name="registrations_consenttext_unique"
            ),
            choices_constraint("registrations", "consenttext", "kind", ConsentKind),
            choices_constraint("registrations", "consenttext", "requirement", ConsentRequirement),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def text(self) -> str:
        return self.text_ko if get_language() == "ko" and self.text_ko else self.text_en

    def is_required(self, *, wants_meetings: bool) -> bool:
        if self.requirement == ConsentRequirement.REQUIRED:
            return True
        return self.requirement == ConsentRequirement.WITH_MEETINGS and wants_meetings


class Consent(models.Model):
    """A consent given by a registration: which text, when; and when it was withdrawn."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("registration"),
    )
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="consents", verbose_name=_("text")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    version = models.CharField(_("version"), max_length=20, validators=[single_line])
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="registrations_consent_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="registrations_consent_withdrawn_after_given",
            ),
            choices_constraint("registrations", "consent", "kind", ConsentKind),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None
