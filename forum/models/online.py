"""The online forum's streams: where a session is watched, per language channel (staff only)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from forum.choices import StreamLanguage
from forum.models.programme import Session


class SessionStream(models.Model):
    """One channel of a session on a video platform. Never shown on public pages: attendees
    reach it only through their personal join link (registrations)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="streams", verbose_name=_("session")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=StreamLanguage.choices,
        default=StreamLanguage.FLOOR,
    )
    url = models.URLField(
        _("platform address"),
        max_length=500,
        help_text=_("The Zoom, Teams, YouTube Live or other address attendees are sent to."),
    )
    passcode = models.CharField(
        _("passcode"),
        max_length=50,
        blank=True,
        help_text=_("Shown to attendees beside the join button, when the platform asks for one."),
    )

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("online stream")
        verbose_name_plural = _("online streams")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "language"], name="forum_sessionstream_one_per_language"
            ),
            choices_constraint("forum", "sessionstream", "language", StreamLanguage),
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.get_language_display()}"
