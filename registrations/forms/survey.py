"""The after-forum survey's form: one field per question the organisers set, in the attendee's
language."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.choices import SurveyQuestionKind
from registrations.models import SurveyQuestion

RATING_CHOICES = [(value, str(value)) for value in range(1, 6)]


def field_name(question: SurveyQuestion) -> str:
    return f"question_{question.pk}"


class SurveyForm(forms.Form):
    def __init__(self, *args, questions: list[SurveyQuestion], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = self._field(question, language)
        self.helper = FormHelper()
        self.helper.form_id = "survey-form"
        self.helper.layout = Layout(
            *(Field(name) for name in self.fields), Submit("submit", _("Send my answers"))
        )

    @staticmethod
    def _field(question: SurveyQuestion, language: str) -> forms.Field:
        label = question.text_in(language)
        required = question.required
        if question.kind == SurveyQuestionKind.RATING:
            return forms.TypedChoiceField(
                label=label,
                required=required,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 is poor, 5 is excellent."),
            )
        if question.kind == SurveyQuestionKind.CHOICE:
            return forms.TypedChoiceField(
                label=label,
                required=required,
                choices=list(enumerate(question.choice_list(language))),
                coerce=int,
                widget=forms.RadioSelect,
            )
        return forms.CharField(
            label=label,
            required=required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def answers(self) -> dict[int, object]:
        """Question id → the answer given (unanswered optional questions left out)."""
        return {
            question.pk: self.cleaned_data.get(field_name(question))
            for question in self.questions
            if self.cleaned_data.get(field_name(question)) not in (None, "")
        }
