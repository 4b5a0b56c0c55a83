from django.urls import path

from .views import accounts, cards, dues, filings, imports, jobs, organisations, rates, transfers
from .views import members as member_views

app_name = "members"

urlpatterns = [
    path("organisations/", organisations.organisation_tree, name="organisation_tree"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<int:pk>/children/",
        organisations.organisation_children,
        name="organisation_children",
    ),
    path(
        "organisations/<int:pk>/edit/",
        organisations.organisation_update,
        name="organisation_update",
    ),
    path("organisations/<int:pk>/move/", organisations.organisation_move, name="organisation_move"),
    path(
        "organisations/<int:pk>/dissolve/",
        organisations.organisation_dissolve,
        name="organisation_dissolve",
    ),
    path("system/accounts/", accounts.account_list, name="account_list"),
    path("system/accounts/new/", accounts.account_create, name="account_create"),
    path("system/accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("system/accounts/<int:pk>/edit/", accounts.account_update, name="account_update"),
    path("system/accounts/<int:pk>/roles/new/", accounts.role_grant, name="role_grant"),
    path(
        "system/accounts/<int:pk>/reset-password/",
        accounts.account_reset_password,
        name="account_reset_password",
    ),
    path(
        "system/accounts/<int:pk>/reset-two-step/",
        accounts.account_reset_two_step,
        name="account_reset_two_step",
    ),
    path(
        "system/accounts/<int:pk>/deactivate/",
        accounts.account_set_active,
        {"active": False},
        name="account_deactivate",
    ),
    path(
        "system/accounts/<int:pk>/activate/",
        accounts.account_set_active,
        {"active": True},
        name="account_activate",
    ),
    path("system/roles/<int:pk>/end/", accounts.role_end, name="role_end"),
    path("system/roles/<int:pk>/confirm/", accounts.role_confirm, name="role_confirm"),
]
urlpatterns += member_views.urlpatterns
urlpatterns += transfers.urlpatterns + cards.urlpatterns + rates.urlpatterns
urlpatterns += dues.urlpatterns
urlpatterns += filings.urlpatterns
urlpatterns += imports.urlpatterns
urlpatterns += jobs.urlpatterns
