"""Root URLs: the public pages (English at /, Korean under /ko/), the admin, the health check."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from common import dev_emails
from common.admin_login import admin_login
from forum import views

# Every app's admin module, registered here rather than at start-up (SimpleAdminConfig in
# settings): only a process that serves or checks URLs needs them.
admin.autodiscover()

forum_patterns = (
    [
        path("", views.HomeView.as_view(), name="home"),
        path("programme/", views.ProgrammeView.as_view(), name="programme"),
        path("programme/calendar.ics", views.programme_ics, name="programme_ics"),
        path("programme/schedule.json", views.schedule_json, name="schedule_json"),
        path("programme/schedule.xml", views.schedule_xml, name="schedule_xml"),
        path("programme/<slug:slug>/calendar.ics", views.session_ics, name="session_ics"),
        path("programme/materials/<int:pk>/<str:name>", views.material, name="material"),
        path("programme/<slug:slug>/", views.SessionDetailView.as_view(), name="session"),
        # Any edition's programme and sessions, past ones included (slugs are unique per edition).
        path(
            "editions/<int:number>/programme/",
            views.EditionProgrammeView.as_view(),
            name="edition_programme",
        ),
        path(
            "editions/<int:number>/programme/<slug:slug>/",
            views.SessionDetailView.as_view(),
            name="edition_session",
        ),
        path("speakers/", views.SpeakerListView.as_view(), name="speakers"),
        path("projects/", views.ProjectListView.as_view(), name="projects"),
        path("timezone/", views.set_time_zone, name="set_time_zone"),
    ],
    "forum",
)

# A database outage raised outside a view answers 503, not 500 (common/outage.py).
handler500 = "common.outage.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon),
    path("i18n/setlang/", set_language, name="set_language"),
    # Before the admin's own URLs, so sign-in attempts are counted and throttled.
    path("admin/login/", admin_login, name="admin_login"),
    # The back office's own pages (dashboard, exports, imports) sit inside the admin.
    path("admin/backoffice/", include("backoffice.admin.urls")),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include(forum_patterns)),
        path("", include("registrations.urls")),
        path("", include("meetings.urls")),
        prefix_default_language=False,
    ),
]

# Development only: the emails the site sent, with working links (forum/dev_emails.py); the
# views answer 404 unless DEBUG is on.
urlpatterns += [
    path("dev/emails/", dev_emails.email_list, name="dev_emails"),
    path("dev/emails/<str:email_id>/", dev_emails.email_detail, name="dev_email"),
]
