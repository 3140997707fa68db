"""The after-forum survey's answers: one row per answer, the question and the answer in words;
who gave it only in the columns marked personal (an export of personal data)."""

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from backoffice.exports.base import (
    ColumnSpec,
    ExportList,
    as_category,
    as_country,
    as_local_time,
    as_text,
)
from registrations.models import SurveyAnswer


def as_question(export: ExportList):
    questions = {
        question.pk: question.text_en for question in export.edition.survey_questions.all()
    }
    return questions.get


def as_choice(export: ExportList):
    """`<question id>-<choice number>` → the choice's English words."""
    labels = {
        f"{question.pk}-{number}": label
        for question in export.edition.survey_questions.all()
        for number, label in enumerate(question.choice_list("en"))
    }
    return lambda key: labels.get(key, "") if key else ""


class SurveyAnswerList(ExportList):
    slug = "survey"
    title = _("Survey answers")
    default_columns = ("question", "rating", "choice", "text", "country", "category")

    @classmethod
    def column_specs(cls) -> dict[str, ColumnSpec]:
        return {
            "question": ColumnSpec(_("Question"), "question_id", as_question, personal=False),
            "rating": ColumnSpec(_("Rating from 1 to 5"), "rating", personal=False),
            "choice": ColumnSpec(_("Choice"), "choice_key", as_choice, personal=False),
            "text": ColumnSpec(_("Text"), "text", as_text),
            "answered_at": ColumnSpec(
                _("Answered"), "response__submitted_at", as_local_time, personal=False, time=True
            ),
            "response": ColumnSpec(_("Response number"), "response_id", personal=False),
            "name": ColumnSpec(_("Name"), "response__registration__name"),
            "email": ColumnSpec(_("Email"), "response__registration__email"),
            "organisation": ColumnSpec(_("Organisation"), "response__registration__organisation"),
            "country": ColumnSpec(
                _("Country"), "response__registration__country", as_country, personal=False
            ),
            "category": ColumnSpec(
                _("Participant category"),
                "response__registration__category",
                as_category,
                personal=False,
            ),
        }

    def queryset(self, sources: list[str]) -> QuerySet:
        answers = SurveyAnswer.objects.filter(
            question__edition=self.edition,
            response__registration__in=self.filters.registrations().values("pk"),
        )
        if "choice_key" in sources:
            answers = answers.annotate(
                choice_key=Concat(
                    Cast("question_id", CharField()),
                    Value("-"),
                    Cast(F("choice"), CharField()),
                    output_field=CharField(),
                )
            )
        return answers.order_by("response_id", "question__position", "question_id")
