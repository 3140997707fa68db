"""The after-forum survey: the emailed personal link, then the survey page, answered once."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from common import ratelimit
from common.errors import ForumError
from registrations.forms.survey import SurveyForm
from registrations.services.survey import submit_survey, survey_questions, survey_refusal
from registrations.tokens import SURVEY, TokenError, read_token
from registrations.views.support import invalid_link, no_referrer, rate_limited_message

SURVEY_SESSION_KEY = "registrations_survey"


@method_decorator([never_cache, no_referrer], name="dispatch")
class SurveyTokenView(View):
    """The emailed link: its token moves into the browser's session, out of the address bar."""

    def get(self, request, token: str):
        try:
            read_token(token, purpose=SURVEY)
        except TokenError as error:
            return invalid_link(request, error)
        request.session[SURVEY_SESSION_KEY] = token
        return redirect("registrations:survey")


@method_decorator([never_cache], name="dispatch")
class SurveyView(View):
    template_name = "registrations/survey.html"

    def dispatch(self, request, *args, **kwargs):
        token = request.session.get(SURVEY_SESSION_KEY)
        if not isinstance(token, str):
            return render(request, "registrations/survey_no_link.html", status=403)
        try:
            self.registration = read_token(token, purpose=SURVEY)
        except TokenError as error:
            return invalid_link(request, error)
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None) -> SurveyForm:
        questions = survey_questions(edition=self.registration.edition)
        return SurveyForm(data, questions=questions, language=get_language())

    def _page(self, request, *, form=None, refusal=None, status=200):
        context = {"edition": self.registration.edition, "form": form, "refusal": refusal}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        refusal = survey_refusal(registration=self.registration)
        if refusal is not None:
            code, message = refusal
            return self._page(request, refusal=(code, message), status=_status(code))
        return self._page(request, form=self._form())

    def post(self, request):
        # Counted as the manage pages' POSTs are: per address and per registration.
        if not ratelimit.hit_all(
            [
                ("manage_ip", ratelimit.client_address(request)),
                ("manage_registration", str(self.registration.pk)),
            ]
        ):
            response = self._page(request, refusal=("busy", rate_limited_message()), status=429)
            response["Retry-After"] = str(ratelimit.retry_after("manage_registration"))
            return response
        refusal = survey_refusal(registration=self.registration)
        if refusal is not None:
            code, message = refusal
            return self._page(request, refusal=(code, message), status=_status(code))
        form = self._form(request.POST)
        if not form.is_valid():
            return self._page(request, form=form, status=400)
        try:
            submit_survey(registration=self.registration, answers=form.answers())
        except ForumError as error:
            return self._page(request, refusal=(error.code, error.message), status=409)
        messages.success(request, _("Thank you: your answers are recorded."))
        return redirect("registrations:survey")


def _status(code: str) -> int:
    # Answered already is a page to show, not a failure; the others refuse.
    return 200 if code == "answered" else 403
