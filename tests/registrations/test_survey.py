"""The after-forum survey: the personal link in the after-forum email, one response per
attendee, refusals, results on the dashboard and in the export; who answered only for staff
with the respondent permission."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from common.log_redaction import redact_tokens
from common.models import AuditLog
from registrations.errors import RegistrationError
from registrations.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from registrations.services.reminders import send_after_forum_email
from registrations.services.survey import submit_survey
from registrations.tokens import SURVEY, make_token
from tests.registrations.test_online import _attendee, _session

pytestmark = pytest.mark.django_db

SURVEY_PAGE = "/register/survey/"


@pytest.fixture
def questions(open_edition):
    return [
        SurveyQuestion.objects.create(
            edition=open_edition,
            position=1,
            kind="rating",
            text_en="How useful was the forum?",
            text_ko="포럼은 얼마나 유익했습니까?",
            required=True,
        ),
        SurveyQuestion.objects.create(
            edition=open_edition,
            position=2,
            kind="choice",
            text_en="How did you hear of it?",
            text_ko="포럼을 어떻게 아셨습니까?",
            choices_en="An email\nA colleague\nThe press",
            choices_ko="이메일\n동료\n언론",
        ),
        SurveyQuestion.objects.create(
            edition=open_edition,
            position=3,
            kind="text",
            text_en="What should the next forum change?",
        ),
    ]


@pytest.fixture
def after_forum(open_edition):
    """The forum's one session ended two hours ago; a confirmed attendee who booked it."""
    past = _session(open_edition, starts_in=-dt.timedelta(hours=3), title="Keynotes")
    return _attendee(open_edition, [past], email="came@example.org")


def open_link(client, registration, prefix=""):
    token = make_token(registration, purpose=SURVEY)
    response = client.get(f"{prefix}/register/survey/{token}/")
    assert response["Location"] == f"{prefix}{SURVEY_PAGE}"
    assert response["Referrer-Policy"] == "no-referrer"
    return client.get(f"{prefix}{SURVEY_PAGE}")


def answers(questions, **overrides):
    rating, choice, text = questions
    data = {
        f"question_{rating.pk}": "4",
        f"question_{choice.pk}": "1",
        f"question_{text.pk}": "More time for business meetings.",
    }
    data.update(overrides)
    return data


def test_the_after_forum_email_carries_the_personal_survey_link(
    client, open_edition, questions, after_forum, mailoutbox, run_on_commit
):
    mailoutbox.clear()
    with run_on_commit():
        send_after_forum_email(edition=open_edition)
    [message] = mailoutbox
    assert "Please tell us what you thought in a short survey" in message.body
    path = re.search(r"http://localhost:8000(/register/survey/[^/\s]+/)", message.body).group(1)
    assert redact_tokens(f"GET {path} 200") == "GET /register/survey/[token]/ 200"
    response = client.get(path, follow=True)
    assert response.redirect_chain == [(SURVEY_PAGE, 302)]
    assert "How useful was the forum?" in response.content.decode()


def test_no_survey_no_link(open_edition, after_forum, mailoutbox, run_on_commit):
    mailoutbox.clear()
    with run_on_commit():
        send_after_forum_email(edition=open_edition)
    [message] = mailoutbox
    assert "survey" not in message.body


def test_an_attendee_answers_once(client, open_edition, questions, after_forum):
    page = open_link(client, after_forum)
    html = page.content.decode()
    assert "How did you hear of it?" in html and "A colleague" in html
    response = client.post(SURVEY_PAGE, answers(questions))
    assert response.status_code == 302
    response = client.get(SURVEY_PAGE)
    assert "You have already answered the survey. Thank you." in response.content.decode()
    assert 'id="survey-form"' not in response.content.decode()

    stored = SurveyResponse.objects.get()
    assert stored.registration == after_forum
    assert [(a.question.kind, a.display) for a in stored.answers.all()] == [
        ("rating", "4/5"),
        ("choice", "A colleague"),
        ("text", "More time for business meetings."),
    ]
    again = client.post(SURVEY_PAGE, answers(questions))
    assert "You have already answered the survey." in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert AuditLog.objects.filter(action="survey.answered", object_id=after_forum.pk).count() == 1


def test_the_database_keeps_one_response_per_attendee(open_edition, questions, after_forum):
    SurveyResponse.objects.create(registration=after_forum)
    with pytest.raises(RegistrationError, match="already answered"):
        submit_survey(registration=after_forum, answers={questions[0].pk: 5})
    assert SurveyResponse.objects.count() == 1


def test_korean_attendees_read_it_in_korean(client, open_edition, questions):
    past = _session(open_edition, starts_in=-dt.timedelta(hours=3))
    korean = _attendee(open_edition, [past], email="minjun@example.kr", language="ko")
    html = open_link(client, korean, prefix="/ko").content.decode()
    assert "포럼은 얼마나 유익했습니까?" in html and "동료" in html
    # No Korean wording: the English question.
    assert "What should the next forum change?" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": "6"}, "Select a valid choice."),
        ({"rating": ""}, "This field is required."),
        ({"choice": "9"}, "Select a valid choice."),
        ({"text": "x" * 2001}, "Ensure this value has at most 2000 characters"),
    ],
)
def test_a_wrong_answer_says_why_and_saves_nothing(
    client, open_edition, questions, after_forum, overrides, message
):
    open_link(client, after_forum)
    rating, choice, text = questions
    fields = {"rating": rating, "choice": choice, "text": text}
    data = answers(
        questions, **{f"question_{fields[key].pk}": value for key, value in overrides.items()}
    )
    response = client.post(SURVEY_PAGE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_before_the_forum_ends_the_survey_is_not_open(client, open_edition, questions):
    upcoming = _session(open_edition, starts_in=dt.timedelta(hours=3))
    registration = _attendee(open_edition, [upcoming])
    response = open_link(client, registration)
    assert response.status_code == 403
    assert "The survey opens once the forum&#x27;s last session has ended." in (
        response.content.decode()
    )
    assert client.post(SURVEY_PAGE, answers(questions)).status_code == 403
    assert SurveyResponse.objects.count() == 0


def test_unconfirmed_registrations_and_no_link_get_nothing(client, open_edition, questions):
    past = _session(open_edition, starts_in=-dt.timedelta(hours=3))
    pending = _attendee(open_edition, [past], confirm=False)
    response = open_link(client, pending)
    assert response.status_code == 403
    assert "Your registration is not confirmed." in response.content.decode()
    client.session.flush()
    assert client.get(SURVEY_PAGE).status_code in (403,)
    assert client.get("/register/survey/not-a-token/").status_code == 302


def test_results_on_the_dashboard_and_in_the_export(
    admin_client, open_edition, questions, after_forum
):
    submit_survey(
        registration=after_forum,
        answers={questions[0].pk: 4, questions[1].pk: 1, questions[2].pk: "More meetings"},
    )
    dashboard = admin_client.get(reverse("backoffice:dashboard"), {"edition": open_edition.pk})
    figures = {figure.slug: figure for figure in dashboard.context["figures"]}
    assert figures["survey"].rows == [
        ["How useful was the forum?", "A rating from 1 to 5", 1, "4.0"],
        ["How did you hear of it?", "One of the choices", 1, ""],
        ["What should the next forum change?", "A text", 1, ""],
    ]
    assert figures["survey-2"].rows == [["An email", 0], ["A colleague", 1], ["The press", 0]]

    response = admin_client.post(
        reverse("backoffice:export"),
        {
            "edition": open_edition.pk,
            "list_kind": "survey",
            "format": "csv",
            "columns": ["question", "rating", "choice", "text", "name"],
        },
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines() == [
        "Question,Rating from 1 to 5,Choice,Text,Name",
        "How useful was the forum?,4,,,Park Ji-won",
        "How did you hear of it?,,A colleague,,Park Ji-won",
        "What should the next forum change?,,,More meetings,Park Ji-won",
    ]


def staff_client(client, group):
    user = User.objects.create_user(f"{group}-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def test_who_answered_only_for_the_respondent_permission(
    client, open_edition, questions, after_forum
):
    response = submit_survey(registration=after_forum, answers={questions[0].pk: 5})
    staff = staff_client(client, "Staff")
    html = staff.get("/admin/registrations/surveyresponse/").content.decode()
    assert "Park Ji-won" not in html and f"Survey response {response.pk}" in html
    page = staff.get(f"/admin/registrations/surveyresponse/{response.pk}/change/")
    assert "Park Ji-won" not in page.content.decode() and "5/5" in page.content.decode()
    organiser = staff_client(client, "Organiser")
    assert "Park Ji-won" in organiser.get("/admin/registrations/surveyresponse/").content.decode()
    assert SurveyAnswer.objects.count() == 1
