"""URLs of the participants' business-meeting area (a stable public address: /meetings/)."""

from django.urls import path

from meetings.views import meetings as views

app_name = "meetings"

urlpatterns: list = [
    path("meetings/", views.HomeView.as_view(), name="home"),
    path("meetings/enter/<str:token>/", views.EnterView.as_view(), name="enter"),
    path("meetings/profile/", views.ProfileView.as_view(), name="profile"),
    path(
        "meetings/availability/",
        views.AvailabilityView.as_view(),
        name="availability",
    ),
    path("meetings/directory/", views.DirectoryView.as_view(), name="directory"),
    path(
        "meetings/directory/<int:pk>/",
        views.CounterpartView.as_view(),
        name="counterpart",
    ),
    path(
        "meetings/recommended/",
        views.RecommendationsView.as_view(),
        name="recommendations",
    ),
    path("meetings/requests/", views.RequestListView.as_view(), name="requests"),
    path("meetings/requests/<int:pk>/", views.RequestView.as_view(), name="request"),
    path(
        "meetings/requests/<int:pk>/accept/",
        views.RequestAnswerView.as_view(),
        name="request_accept",
    ),
    path(
        "meetings/requests/<int:pk>/decline/",
        views.RequestDeclineView.as_view(),
        name="request_decline",
    ),
    path(
        "meetings/requests/<int:pk>/withdraw/",
        views.RequestWithdrawView.as_view(),
        name="request_withdraw",
    ),
    path("meetings/meeting/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path(
        "meetings/meeting/<int:pk>/outcome/",
        views.OutcomeView.as_view(),
        name="outcome",
    ),
    path(
        "meetings/meeting/<int:pk>/move/",
        views.MoveMeetingView.as_view(),
        name="move",
    ),
    path(
        "meetings/meeting/<int:pk>/cancel/",
        views.CancelMeetingView.as_view(),
        name="cancel",
    ),
    path(
        "meetings/calendar/renew/",
        views.FeedRenewView.as_view(),
        name="feed_renew",
    ),
    path(
        "meetings/calendar/<str:secret>.ics",
        views.FeedView.as_view(),
        name="feed",
    ),
]
