"""Feedback on the online forum: an attendee rates a session they attended, once."""

from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic, integrity_as_error
from common.services.audit import log_action
from forum.models import Session
from registrations.errors import RegistrationError
from registrations.models import Attendance, Registration, SessionFeedback


def may_rate(*, registration: Registration, session: Session) -> bool:
    """Someone who attended the session (the join link, or marked by staff), not rated yet."""
    return (
        Attendance.objects.filter(registration=registration, session=session).exists()
        and not SessionFeedback.objects.filter(registration=registration, session=session).exists()
    )


def rate_session(
    *, registration: Registration, session: Session, rating: int, comment: str = ""
) -> SessionFeedback:
    if not Attendance.objects.filter(registration=registration, session=session).exists():
        raise RegistrationError(
            _("Only people who attended a session can rate it."), code="not_attended"
        )
    with (
        atomic(),
        integrity_as_error(
            _("You have already rated this session."), code="rated", error_class=RegistrationError
        ),
    ):
        feedback = SessionFeedback.objects.create(
            registration=registration, session=session, rating=rating, comment=comment.strip()
        )
        log_action(
            actor=AuditActor.ATTENDEE,
            obj=registration,
            action="feedback.given",
            fields=["feedback"],
            details={"session_id": session.pk, "rating": rating},
            edition_id=registration.edition_id,
        )
    return feedback
