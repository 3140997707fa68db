"""People the organiser invites to register: invitees and ASEAN project owners, imported."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.choices import Language
from common.db import choices_constraint
from common.validators import single_line
from forum.models import Edition, Project
from registrations.choices import ParticipantCategory


class Invitee(models.Model):
    """Someone to invite to an edition; a project owner presents one of its ASEAN projects.

    Personal data: purged with the edition's registrations after its retention period.
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="invitees", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=150, validators=[single_line])
    # As on a registration: the name in Latin letters and the organisation in English when the
    # main ones are in another script, so staff who read only Latin letters find and read them.
    name_latin = models.CharField(
        _("name in Latin letters"), max_length=150, blank=True, validators=[single_line]
    )
    email = models.EmailField(_("email"), max_length=254)
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[single_line]
    )
    organisation_en = models.CharField(
        _("organisation in English"), max_length=200, blank=True, validators=[single_line]
    )
    job_title = models.CharField(
        _("job title"), max_length=150, blank=True, validators=[single_line]
    )
    country = CountryField(_("country"), blank=True)
    category = models.CharField(
        _("participant category"),
        max_length=30,
        choices=ParticipantCategory.choices,
        default=ParticipantCategory.OTHER,
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owners",
        verbose_name=_("project presented"),
        help_text=_("For project owners: the ASEAN project they present."),
    )
    note = models.CharField(_("note"), max_length=250, blank=True, validators=[single_line])
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["edition", "name", "pk"]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "edition", name="registrations_invitee_one_per_email"
            ),
            choices_constraint("registrations", "invitee", "category", ParticipantCategory),
            choices_constraint("registrations", "invitee", "language", Language),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_project_owner(self) -> bool:
        return self.project_id is not None
