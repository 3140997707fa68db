"""URLs of the attendee side: pre-registration, self-service and business meetings."""

from django.urls import path

from registrations.views import meetings
from registrations.views import registrations as views

app_name = "registrations"

urlpatterns: list = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/thanks/", views.RegisterDoneView.as_view(), name="register_done"),
    path("register/confirm/", views.ConfirmPageView.as_view(), name="confirm_page"),
    path("register/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("register/manage/", views.ManageView.as_view(), name="manage"),
    path("register/manage/sessions/", views.ManageSessionsView.as_view(), name="manage_sessions"),
    path("register/manage/consents/", views.ManageConsentView.as_view(), name="manage_consent"),
    path("register/manage/cancel/", views.ManageCancelView.as_view(), name="manage_cancel"),
    path("register/cancelled/", views.CancelledView.as_view(), name="cancelled"),
    path("register/manage/calendar.ics", views.ManageCalendarView.as_view(), name="manage_ics"),
    path("register/manage/<str:token>/", views.ManageTokenView.as_view(), name="manage_token"),
    path("register/link/", views.SendLinkView.as_view(), name="send_link"),
    path("register/link/problem/", views.LinkProblemView.as_view(), name="link_problem"),
    # The participants' business-meeting area (a stable public address: /meetings/).
    path("meetings/", meetings.HomeView.as_view(), name="meetings"),
    path("meetings/enter/<str:token>/", meetings.EnterView.as_view(), name="meetings_enter"),
    path("meetings/profile/", meetings.ProfileView.as_view(), name="meetings_profile"),
    path(
        "meetings/availability/",
        meetings.AvailabilityView.as_view(),
        name="meetings_availability",
    ),
    path("meetings/directory/", meetings.DirectoryView.as_view(), name="meetings_directory"),
    path(
        "meetings/directory/<int:pk>/",
        meetings.CounterpartView.as_view(),
        name="meetings_counterpart",
    ),
    path(
        "meetings/recommended/",
        meetings.RecommendationsView.as_view(),
        name="meetings_recommendations",
    ),
    path("meetings/requests/", meetings.RequestListView.as_view(), name="meetings_requests"),
    path("meetings/requests/<int:pk>/", meetings.RequestView.as_view(), name="meetings_request"),
    path(
        "meetings/requests/<int:pk>/accept/",
        meetings.RequestAnswerView.as_view(),
        name="meetings_request_accept",
    ),
    path(
        "meetings/requests/<int:pk>/decline/",
        meetings.RequestDeclineView.as_view(),
        name="meetings_request_decline",
    ),
    path(
        "meetings/requests/<int:pk>/withdraw/",
        meetings.RequestWithdrawView.as_view(),
        name="meetings_request_withdraw",
    ),
    path("meetings/meeting/<int:pk>/", meetings.MeetingView.as_view(), name="meetings_meeting"),
    path(
        "meetings/meeting/<int:pk>/outcome/",
        meetings.OutcomeView.as_view(),
        name="meetings_outcome",
    ),
    path(
        "meetings/meeting/<int:pk>/move/",
        meetings.MoveMeetingView.as_view(),
        name="meetings_move",
    ),
    path(
        "meetings/meeting/<int:pk>/cancel/",
        meetings.CancelMeetingView.as_view(),
        name="meetings_cancel",
    ),
    path(
        "meetings/calendar/renew/",
        meetings.FeedRenewView.as_view(),
        name="meetings_feed_renew",
    ),
    path(
        "meetings/calendar/<str:secret>.ics",
        meetings.FeedView.as_view(),
        name="meetings_feed",
    ),
]
