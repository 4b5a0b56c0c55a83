from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import mfa_views, views
from .core import lookup
from .reporting.views import dashboard as reporting_views
from .reporting.views import summary as views_summary
from .reporting.views import targets as views_targets

urlpatterns = [
    path("", reporting_views.dashboard, name="dashboard"),
    path("todo/", reporting_views.todo_panel, name="todo_panel"),
    path("statistics/", reporting_views.statistics, name="statistics"),
    path("statistics/<int:pk>/", reporting_views.statistics, name="statistics_org"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links: answer it, never with a 404.
    path("favicon.ico", views.favicon),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/two-step/", mfa_views.two_step, name="mfa_settings"),
    path("accounts/two-step/enrol/", mfa_views.enrol, name="mfa_enrol"),
    path("accounts/two-step/verify/", mfa_views.verify, name="mfa_verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lookup/", lookup.lookup_post, name="lookup"),
    path("system/audit/", views.audit_log, name="audit_log"),
    path("system/logins/", views.login_log, name="login_log"),
    path("system/jobs/", views.job_runs, name="job_runs"),
    path("system/kpi-targets/", views_targets.target_list, name="kpi_targets"),
    path("system/kpi-targets/new/", views_targets.target_create, name="kpi_target_create"),
    path("congress/", include("congress.urls")),
    path("assessment/", include("assessment.urls")),
    path("welfare/", include("welfare.urls")),
    path("rights/contracts/", include("rights.contract_urls")),
    path("rights/", include("rights.urls")),
    path("competitions/", include("competitions.urls")),
    path("reports/", include("unionportal.reporting.urls")),
    path("summary/", views_summary.summary_export, name="summary_export"),
    path("", include("selfservice.urls")),
    path("", include("members.urls")),
    # Operators only: superusers. Union staff work in the portal's own pages.
    path(settings.ADMIN_URL, admin.site.urls),
]

handler403 = "unionportal.views.error_403"
handler404 = "unionportal.views.error_404"
handler500 = "unionportal.views.error_500"
