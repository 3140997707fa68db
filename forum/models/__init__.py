"""The forum's models: what the programme is about (themes.py), the editions and who organises
them (editions.py), the programme (programme.py) and the online forum's streams (online.py)."""

from forum.models.editions import (
    ContactPerson,
    Edition,
    EditionOrganisation,
    Organisation,
    validate_time_zone,
)
from forum.models.online import SessionMaterial, SessionRecording, SessionStream
from forum.models.programme import Project, Session, SessionSpeaker, Speaker
from forum.models.themes import BilingualName, Sector, StrategicArea

__all__ = [
    "BilingualName",
    "ContactPerson",
    "Edition",
    "EditionOrganisation",
    "Organisation",
    "Project",
    "Sector",
    "Session",
    "SessionMaterial",
    "SessionRecording",
    "SessionSpeaker",
    "SessionStream",
    "Speaker",
    "StrategicArea",
    "validate_time_zone",
]
