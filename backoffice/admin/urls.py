"""The back office's own admin pages, under /admin/backoffice/."""

from django.contrib import admin
from django.urls import path

from backoffice.admin.dashboard import dashboard_figure_csv, dashboard_view
from backoffice.admin.exports import export_view

app_name = "backoffice"
urlpatterns = [
    path("dashboard/", admin.site.admin_view(dashboard_view), name="dashboard"),
    path(
        "dashboard/<int:edition_id>/<slug:figure>.csv",
        admin.site.admin_view(dashboard_figure_csv),
        name="dashboard_figure",
    ),
    path("export/", admin.site.admin_view(export_view), name="export"),
]
