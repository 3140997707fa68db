"""The after-forum survey: who may answer it, when, and their one response."""

from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic, integrity_as_error
from common.services.audit import log_action
from forum.models import Edition
from registrations.choices import RegistrationStatus, SurveyQuestionKind
from registrations.errors import RegistrationError
from registrations.models import Registration, SurveyAnswer, SurveyQuestion, SurveyResponse


def survey_questions(*, edition: Edition) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.filter(edition=edition).order_by("position", "pk"))


def forum_has_ended(edition: Edition) -> bool:
    """The last session has ended (the after-forum email's rule)."""
    last_end = edition.sessions.aggregate(last=Max("ends_at"))["last"]
    return last_end is not None and last_end <= timezone.now()


def survey_refusal(*, registration: Registration) -> tuple[str, Any] | None:
    """Why this registration can't answer now, as (code, message); None when it may."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return "not_confirmed", _("Your registration is not confirmed.")
    if not SurveyQuestion.objects.filter(edition_id=registration.edition_id).exists():
        return "no_survey", _("This forum has no survey.")
    if not forum_has_ended(registration.edition):
        return "not_ended", _("The survey opens once the forum's last session has ended.")
    if SurveyResponse.objects.filter(registration=registration).exists():
        return "answered", _("You have already answered the survey. Thank you.")
    return None


def submit_survey(
    *, registration: Registration, answers: dict[int, Any], actor=AuditActor.ATTENDEE
) -> SurveyResponse:
    """Stores the attendee's answers (question id → rating, choice number or text), once."""
    refusal = survey_refusal(registration=registration)
    if refusal is not None:
        code, message = refusal
        raise RegistrationError(message, code=code)
    questions = {
        question.pk: question for question in survey_questions(edition=registration.edition)
    }
    rows = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None or value in (None, ""):
            continue
        answer = SurveyAnswer(question=question)
        if question.kind == SurveyQuestionKind.RATING:
            answer.rating = int(value)
        elif question.kind == SurveyQuestionKind.CHOICE:
            answer.choice = int(value)
        else:
            answer.text = str(value).strip()
        rows.append(answer)
    with (
        atomic(),
        integrity_as_error(
            _("You have already answered the survey. Thank you."),
            code="answered",
            error_class=RegistrationError,
        ),
    ):
        response = SurveyResponse.objects.create(registration=registration)
        for answer in rows:
            answer.response = response
        SurveyAnswer.objects.bulk_create(rows)
        log_action(
            actor=actor,
            obj=registration,
            action="survey.answered",
            details={"answers": len(rows)},
            edition_id=registration.edition_id,
        )
    return response
