from django.urls import path

from .views import items, motions, register, rules, sessions, suggestions

app_name = "congress"

urlpatterns = [
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_update, name="session_update"),
    path("sessions/<int:pk>/attendance/", sessions.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/delegates/", sessions.delegate_add, name="delegate_add"),
    path("sessions/<int:pk>/motions/new/", motions.motion_create, name="motion_create"),
    path("sessions/<int:pk>/register/", register.session_register, name="session_register"),
    path(
        "sessions/<int:pk>/register.xlsx",
        register.session_register_export,
        name="session_register_export",
    ),
    path("sessions/<int:pk>/items/new/", items.item_create, name="item_create"),
    path("delegates/<int:pk>/remove/", sessions.delegate_remove, name="delegate_remove"),
    path("motions/", motions.motion_list, name="motion_list"),
    path("motions/<int:pk>/", motions.motion_detail, name="motion_detail"),
    path("motions/<int:pk>/act/", motions.motion_act, name="motion_act"),
    path("suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("suggestions/new/", suggestions.suggestion_create, name="suggestion_create"),
    path(
        "suggestions/<int:pk>/evaluate/",
        suggestions.suggestion_evaluate,
        name="suggestion_evaluate",
    ),
]
