"""What attendees thought: a rating and comment per attended session, once."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.models import Session
from registrations.models.registration import Registration

RATINGS = (1, 5)


class SessionFeedback(models.Model):
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("session")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(RATINGS[0]), MaxValueValidator(RATINGS[1])]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at", "-created_at", "pk"]
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="registrations_sessionfeedback_once"
            ),
            models.CheckConstraint(
                condition=Q(rating__range=RATINGS),
                name="registrations_sessionfeedback_rating_1_to_5",
            ),
        ]
        # Ratings are counts for anyone who sees the dashboard; who said what is for the roles
        # given this permission (Organisers).
        permissions = [("view_respondent", _("Can see who gave feedback"))]

    def __str__(self) -> str:
        return f"{self.session} — {self.rating}/5"
