"""URLs of the attendee side: pre-registration and self-service."""

from django.urls import path

from registrations.views.manage import (
    CancelledView,
    ManageCalendarView,
    ManageCancelView,
    ManageConsentView,
    ManageRemindersView,
    ManageSessionsView,
    ManageTokenView,
    ManageView,
    SendLinkView,
)
from registrations.views.online import JoinCalendarView, JoinSessionView, JoinTokenView
from registrations.views.register import (
    ConfirmPageView,
    ConfirmView,
    RegisterDoneView,
    RegisterView,
)
from registrations.views.support import LinkProblemView
from registrations.views.survey import SurveyTokenView, SurveyView

app_name = "registrations"

urlpatterns: list = [
    path("register/", RegisterView.as_view(), name="register"),
    path("register/thanks/", RegisterDoneView.as_view(), name="register_done"),
    path("register/confirm/", ConfirmPageView.as_view(), name="confirm_page"),
    path("register/confirm/<str:token>/", ConfirmView.as_view(), name="confirm"),
    path("register/manage/", ManageView.as_view(), name="manage"),
    path("register/manage/sessions/", ManageSessionsView.as_view(), name="manage_sessions"),
    path("register/manage/consents/", ManageConsentView.as_view(), name="manage_consent"),
    path("register/manage/reminders/", ManageRemindersView.as_view(), name="manage_reminders"),
    path("register/manage/cancel/", ManageCancelView.as_view(), name="manage_cancel"),
    path("register/cancelled/", CancelledView.as_view(), name="cancelled"),
    path("register/manage/calendar.ics", ManageCalendarView.as_view(), name="manage_ics"),
    path("register/manage/<str:token>/", ManageTokenView.as_view(), name="manage_token"),
    path("register/link/", SendLinkView.as_view(), name="send_link"),
    path("register/link/problem/", LinkProblemView.as_view(), name="link_problem"),
    path("register/join/<str:token>/", JoinTokenView.as_view(), name="join"),
    path("register/online/<int:session_id>/", JoinSessionView.as_view(), name="join_session"),
    path(
        "register/online/<int:session_id>/feedback/",
        JoinSessionView.as_view(),
        name="join_feedback",
    ),
    path("register/survey/", SurveyView.as_view(), name="survey"),
    path("register/survey/<str:token>/", SurveyTokenView.as_view(), name="survey_token"),
    path(
        "register/online/<int:session_id>/calendar.ics",
        JoinCalendarView.as_view(),
        name="join_calendar",
    ),
]
