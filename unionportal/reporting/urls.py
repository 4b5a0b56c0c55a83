"""The quarterly report pages, under /reports/ (the dashboard stays at /)."""

from django.urls import path

from . import views_reports as v

app_name = "reporting"

urlpatterns = [
    path("", v.period_list, name="period_list"),
    path("periods/open/", v.period_open, name="period_open"),
    path("periods/<int:pk>/", v.period_detail, name="period_detail"),
    path("periods/<int:pk>/due/", v.period_due, name="period_due"),
    path("periods/<int:pk>/remind/", v.period_remind, name="period_remind"),
    path("notifications/", v.notification_list, name="notification_list"),
    path("notifications/read/", v.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", v.notification_read, name="notification_read"),
    path("<int:pk>/", v.report_detail, name="report_detail"),
    path("<int:pk>/submit/", v.report_submit, name="report_submit"),
    path("<int:pk>/review/", v.report_review, name="report_review"),
    path("<int:pk>/print/", v.report_print, name="report_print"),
]
