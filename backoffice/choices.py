"""Vocabularies of the back office: the lists staff export."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportListKind(models.TextChoices):
    ATTENDEES = "attendees", _("Attendees")
    SESSION_ATTENDANCE = "session-attendance", _("Session attendance")
    MEETINGS_BY_PARTICIPANT = "meetings-by-participant", _("Meetings by participant")
    MEETINGS_BY_DAY = "meetings-by-day", _("Meetings by day")
    SURVEY = "survey", _("Survey answers")
