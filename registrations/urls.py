"""URLs of the attendee side: pre-registration and self-service."""

from django.urls import path

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
]
