"""The quarterly report pages, under /reports/ (the dashboard stays at /)."""

from django.urls import path

from .views import notifications, periods, reports

app_name = "reporting"

urlpatterns = [
    path("", periods.period_list, name="period_list"),
    path("periods/open/", periods.period_open, name="period_open"),
    path("periods/<int:pk>/", periods.period_detail, name="period_detail"),
    path("periods/<int:pk>/due/", periods.period_due, name="period_due"),
    path("periods/<int:pk>/remind/", periods.period_remind, name="period_remind"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("<int:pk>/", reports.report_detail, name="report_detail"),
    path("<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("<int:pk>/review/", reports.report_review, name="report_review"),
    path("<int:pk>/print/", reports.report_print, name="report_print"),
]
