from django.urls import path

from . import views

app_name = "competitions"

urlpatterns = [
    path("", views.competition_list, name="competition_list"),
    path("new/", views.competition_create, name="competition_create"),
    path("<int:pk>/", views.competition_detail, name="competition_detail"),
    path("<int:pk>/criteria/", views.criterion_add, name="criterion_add"),
    path("criteria/<int:pk>/remove/", views.criterion_remove, name="criterion_remove"),
    path("judges/<int:pk>/entries/", views.judge_assign, name="judge_assign"),
    path("<int:pk>/judges/", views.judge_add, name="judge_add"),
    path("<int:pk>/advance/", views.competition_advance, name="competition_advance"),
    path("<int:pk>/publish/", views.competition_publish, name="competition_publish"),
    path("<int:pk>/honours/", views.winners_to_honours, name="winners_to_honours"),
    path("<int:pk>/export/", views.competition_export, name="competition_export"),
    path("<int:pk>/entries/new/", views.entry_create, name="entry_create"),
    path("<int:pk>/score/", views.judge_sheet, name="judge_sheet"),
    path("entries/<int:pk>/score/", views.score_save, name="score_save"),
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/kinds/", views.honour_kinds, name="honour_kinds"),
    path("honours/new/", views.honour_create, name="honour_create"),
    path("studios/", views.studio_list, name="studio_list"),
    path("studios/new/", views.studio_create, name="studio_create"),
]

from . import views_nominations as nv  # noqa: E402

urlpatterns += [
    path("rounds/", nv.round_list, name="round_list"),
    path("rounds/new/", nv.round_create, name="round_create"),
    path("rounds/<int:pk>/", nv.round_detail, name="round_detail"),
    path("rounds/<int:pk>/rules/", nv.rule_add, name="rule_add"),
    path("rounds/<int:pk>/quotas/", nv.quota_set, name="quota_set"),
    path("rounds/<int:pk>/notice/", nv.round_notice, name="round_notice"),
    path("rounds/<int:pk>/decide/", nv.round_decide, name="round_decide"),
    path("rounds/<int:pk>/nominate/", nv.nomination_create, name="nomination_create"),
    path("rounds/<int:pk>/export/", nv.round_export, name="round_export"),
    path("nominations/<int:pk>/withdraw/", nv.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/objections/", nv.objection_add, name="objection_add"),
]
