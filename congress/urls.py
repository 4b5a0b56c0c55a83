from django.urls import path

from . import views

app_name = "congress"

urlpatterns = [
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_update, name="session_update"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/delegates/", views.delegate_add, name="delegate_add"),
    path("sessions/<int:pk>/motions/new/", views.motion_create, name="motion_create"),
    path("sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path(
        "sessions/<int:pk>/register.xlsx",
        views.session_register_export,
        name="session_register_export",
    ),
    path("sessions/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("delegates/<int:pk>/remove/", views.delegate_remove, name="delegate_remove"),
    path("motions/", views.motion_list, name="motion_list"),
    path("motions/<int:pk>/", views.motion_detail, name="motion_detail"),
    path("motions/<int:pk>/act/", views.motion_act, name="motion_act"),
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/new/", views.suggestion_create, name="suggestion_create"),
    path("suggestions/<int:pk>/evaluate/", views.suggestion_evaluate, name="suggestion_evaluate"),
]
