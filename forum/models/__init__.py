"""The forum's models: the programme (programme.py) and the online forum's streams (online.py)."""

from forum.models.online import SessionMaterial, SessionRecording, SessionStream
from forum.models.programme import (
    BilingualName,
    ContactPerson,
    Edition,
    EditionOrganisation,
    Organisation,
    Project,
    Sector,
    Session,
    SessionSpeaker,
    Speaker,
    StrategicArea,
    validate_time_zone,
)

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
