"""URLs of the participants' business-meeting area (a stable public address: /meetings/)."""

from django.urls import path

from meetings.views.directory import CounterpartView, DirectoryView, RecommendationsView
from meetings.views.meeting import CancelMeetingView, MeetingView, MoveMeetingView, OutcomeView
from meetings.views.participant import EnterView, HomeView
from meetings.views.profile import AvailabilityView, FeedRenewView, FeedView, ProfileView
from meetings.views.requests import (
    RequestAnswerView,
    RequestDeclineView,
    RequestListView,
    RequestView,
    RequestWithdrawView,
)

app_name = "meetings"

urlpatterns: list = [
    path("meetings/", HomeView.as_view(), name="home"),
    path("meetings/enter/<str:token>/", EnterView.as_view(), name="enter"),
    path("meetings/profile/", ProfileView.as_view(), name="profile"),
    path(
        "meetings/availability/",
        AvailabilityView.as_view(),
        name="availability",
    ),
    path("meetings/directory/", DirectoryView.as_view(), name="directory"),
    path(
        "meetings/directory/<int:pk>/",
        CounterpartView.as_view(),
        name="counterpart",
    ),
    path(
        "meetings/recommended/",
        RecommendationsView.as_view(),
        name="recommendations",
    ),
    path("meetings/requests/", RequestListView.as_view(), name="requests"),
    path("meetings/requests/<int:pk>/", RequestView.as_view(), name="request"),
    path(
        "meetings/requests/<int:pk>/accept/",
        RequestAnswerView.as_view(),
        name="request_accept",
    ),
    path(
        "meetings/requests/<int:pk>/decline/",
        RequestDeclineView.as_view(),
        name="request_decline",
    ),
    path(
        "meetings/requests/<int:pk>/withdraw/",
        RequestWithdrawView.as_view(),
        name="request_withdraw",
    ),
    path("meetings/meeting/<int:pk>/", MeetingView.as_view(), name="meeting"),
    path(
        "meetings/meeting/<int:pk>/outcome/",
        OutcomeView.as_view(),
        name="outcome",
    ),
    path(
        "meetings/meeting/<int:pk>/move/",
        MoveMeetingView.as_view(),
        name="move",
    ),
    path(
        "meetings/meeting/<int:pk>/cancel/",
        CancelMeetingView.as_view(),
        name="cancel",
    ),
    path(
        "meetings/calendar/renew/",
        FeedRenewView.as_view(),
        name="feed_renew",
    ),
    path(
        "meetings/calendar/<str:secret>.ics",
        FeedView.as_view(),
        name="feed",
    ),
]
