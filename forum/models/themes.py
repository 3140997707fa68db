"""What the programme is about: the strategic areas of the Master Plan and the sectors."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.validators import single_line


class BilingualName:
    """Mixin: `display_name`, kept for callers; django-modeltranslation (forum/translation.py)
    makes `name` itself the active language's value, English when there is no Korean one."""

    name: str

    @property
    def display_name(self) -> str:
        return self.name


class StrategicArea(BilingualName, models.Model):
    """One of the five strategic areas of the Master Plan on ASEAN Connectivity (MPAC) 2025."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("strategic area")
        verbose_name_plural = _("strategic areas")

    def __str__(self) -> str:
        return self.name


class Sector(BilingualName, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[single_line])

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name
