"""Fixed vocabularies of the programme: formats, session kinds, speaker roles, project facts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EditionFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")
    IN_PERSON = "in_person", _("In person")


class SessionKind(models.TextChoices):
    OPENING = "opening", _("Opening")
    KEYNOTE = "keynote", _("Keynote")
    PANEL = "panel", _("Panel discussion")
    PRESENTATION = "presentation", _("Presentation")
    PROJECT_PRESENTATION = "project_presentation", _("Project presentation")
    BUSINESS_MEETING = "business_meeting", _("Business meetings")
    NETWORKING = "networking", _("Networking")
    CLOSING = "closing", _("Closing")


class SpeakerRole(models.TextChoices):
    KEYNOTE_SPEAKER = "keynote_speaker", _("Keynote speaker")
    MODERATOR = "moderator", _("Moderator")
    PANELIST = "panelist", _("Panelist")
    PRESENTER = "presenter", _("Presenter")
    REMARKS = "remarks", _("Opening remarks")


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government agency")
    INTERNATIONAL = "international", _("International organisation")
    FINANCIAL = "financial", _("Financial institution")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Industry association")
    ACADEMIA = "academia", _("Academia / think tank")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class OrganisationRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    CO_HOST = "co_host", _("Co-host")
    SUPPORTER = "supporter", _("Supported by")


class ContactPurpose(models.TextChoices):
    CONTENTS = "contents", _("Contents inquiries")
    PRESS = "press", _("Press inquiries")
    GENERAL = "general", _("General inquiries")


class FinancingMode(models.TextChoices):
    PUBLIC = "public", _("Public budget")
    PPP = "ppp", _("Public-private partnership")
    LOAN = "loan", _("Development loan")
    GRANT = "grant", _("Grant")
    PRIVATE = "private", _("Private investment")
    MIXED = "mixed", _("Mixed")
    OPEN = "open", _("To be determined")


class ProjectStage(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    FEASIBILITY = "feasibility", _("Feasibility study")
    DESIGN = "design", _("Design")
    PROCUREMENT = "procurement", _("Procurement")
    CONSTRUCTION = "construction", _("Construction")
    OPERATION = "operation", _("Operation")


# The 11 ASEAN member states (Timor-Leste joined in 2025).
ASEAN_MEMBER_STATES = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN")


class StreamLanguage(models.TextChoices):
    """What a session's online stream carries: the floor, or an interpretation channel."""

    FLOOR = "floor", _("Floor (original language)")
    KOREAN = "ko", _("Korean interpretation")
    ENGLISH = "en", _("English interpretation")
