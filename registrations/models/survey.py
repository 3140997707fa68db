"""The after-forum survey: the questions organisers set per edition, and each attendee's one
response."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from common.validators import single_line
from forum.models import Edition
from registrations.choices import SurveyQuestionKind
from registrations.models.feedback import RATINGS
from registrations.models.registration import Registration


class SurveyQuestion(models.Model):
    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="survey_questions",
        verbose_name=_("edition"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(
        _("answer"),
        max_length=10,
        choices=SurveyQuestionKind.choices,
        default=SurveyQuestionKind.RATING,
    )
    text_en = models.CharField(_("question in English"), max_length=300, validators=[single_line])
    text_ko = models.CharField(
        _("question in Korean"), max_length=300, blank=True, validators=[single_line]
    )
    # One choice a line, in the same order in both languages; an answer keeps the choice's
    # number, so change them only before the survey is sent.
    choices_en = models.TextField(
        _("choices in English"), blank=True, help_text=_("One choice a line.")
    )
    choices_ko = models.TextField(
        _("choices in Korean"),
        blank=True,
        help_text=_("One a line, in the same order; English where empty."),
    )
    required = models.BooleanField(_("answer required"), default=False)

    class Meta:
        ordering = ["edition", "position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            choices_constraint("registrations", "surveyquestion", "kind", SurveyQuestionKind)
        ]

    def __str__(self) -> str:
        return self.text_en

    def text_in(self, language: str) -> str:
        return (self.text_ko if language == "ko" else "") or self.text_en

    def choice_list(self, language: str) -> list[str]:
        english = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
        korean = [line.strip() for line in self.choices_ko.splitlines() if line.strip()]
        if language == "ko" and len(korean) == len(english):
            return korean
        return english


class SurveyResponse(models.Model):
    """One attendee's answers, given once."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("registration"),
    )
    submitted_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"], name="registrations_surveyresponse_once"
            )
        ]

    def __str__(self) -> str:
        return str(_("Survey response %(number)s") % {"number": self.pk})


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATINGS[0]), MaxValueValidator(RATINGS[1])],
    )
    # The choice's number in the question's list (0 first).
    choice = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    text = models.TextField(_("text"), max_length=2000, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="registrations_surveyanswer_once"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__range=RATINGS),
                name="registrations_surveyanswer_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.display}"

    @property
    def display(self) -> str:
        """The answer as the organisers read it (choices in English)."""
        if self.rating is not None:
            return f"{self.rating}/5"
        if self.choice is not None:
            choices = self.question.choice_list("en")
            return choices[self.choice] if self.choice < len(choices) else str(self.choice)
        return self.text
