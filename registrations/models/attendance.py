"""Who attended which session of the online forum: one row per attendee and session."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from forum.choices import StreamLanguage
from forum.models import Session
from registrations.choices import AttendanceSource
from registrations.models.registration import Registration


class Attendance(models.Model):
    """Written by `record_attendance` on each use of a join link (or by staff by hand).

    One row per (registration, session), kept by the database: two clicks at the same moment
    count twice on one row, never two rows.
    """

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    first_joined_at = models.DateTimeField(_("first joined"))
    last_joined_at = models.DateTimeField(_("last joined"))
    joins = models.PositiveIntegerField(_("times joined"), default=1)
    stream_language = models.CharField(
        _("stream language"), max_length=10, choices=StreamLanguage.choices, blank=True
    )
    source = models.CharField(
        _("recorded by"),
        max_length=10,
        choices=AttendanceSource.choices,
        default=AttendanceSource.LINK,
    )

    class Meta:
        ordering = ["session__starts_at", "first_joined_at", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"],
                name="registrations_attendance_one_per_session",
            ),
            models.CheckConstraint(
                condition=Q(last_joined_at__gte=models.F("first_joined_at")),
                name="registrations_attendance_joined_in_order",
            ),
            models.CheckConstraint(
                condition=Q(stream_language="") | Q(stream_language__in=StreamLanguage.values),
                name="registrations_attendance_stream_language_valid",
            ),
            choices_constraint("registrations", "attendance", "source", AttendanceSource),
        ]
        indexes = [models.Index(fields=["session", "registration"])]

    def __str__(self) -> str:
        return f"{self.registration.name} — {self.session}"
