from django.urls import path

from .views import competitions, entries, honours, judging, nominations, studios

app_name = "competitions"

urlpatterns = [
    path("", competitions.competition_list, name="competition_list"),
    path("new/", competitions.competition_create, name="competition_create"),
    path("<int:pk>/", competitions.competition_detail, name="competition_detail"),
    path("<int:pk>/criteria/", competitions.criterion_add, name="criterion_add"),
    path("criteria/<int:pk>/remove/", competitions.criterion_remove, name="criterion_remove"),
    path("judges/<int:pk>/entries/", competitions.judge_assign, name="judge_assign"),
    path("<int:pk>/judges/", competitions.judge_add, name="judge_add"),
    path("<int:pk>/advance/", competitions.competition_advance, name="competition_advance"),
    path("<int:pk>/publish/", competitions.competition_publish, name="competition_publish"),
    path("<int:pk>/honours/", competitions.winners_to_honours, name="winners_to_honours"),
    path("<int:pk>/export/", competitions.competition_export, name="competition_export"),
    path("<int:pk>/entries/new/", entries.entry_create, name="entry_create"),
    path("<int:pk>/score/", judging.judge_sheet, name="judge_sheet"),
    path("entries/<int:pk>/score/", judging.score_save, name="score_save"),
    path("honours/", honours.honour_list, name="honour_list"),
    path("honours/kinds/", honours.honour_kinds, name="honour_kinds"),
    path("honours/quotas/", honours.quota_rules, name="quota_rules"),
    path("honours/new/", honours.honour_create, name="honour_create"),
    path("studios/", studios.studio_list, name="studio_list"),
    path("studios/new/", studios.studio_create, name="studio_create"),
    path("rounds/", nominations.round_list, name="round_list"),
    path("rounds/new/", nominations.round_create, name="round_create"),
    path("rounds/<int:pk>/", nominations.round_detail, name="round_detail"),
    path("rounds/<int:pk>/rules/", nominations.rule_add, name="rule_add"),
    path("rules/<int:pk>/remove/", nominations.rule_remove, name="rule_remove"),
    path("rounds/<int:pk>/quotas/", nominations.quota_set, name="quota_set"),
    path("rounds/<int:pk>/notice/", nominations.round_notice, name="round_notice"),
    path("rounds/<int:pk>/decide/", nominations.round_decide, name="round_decide"),
    path("rounds/<int:pk>/nominate/", nominations.nomination_create, name="nomination_create"),
    path("rounds/<int:pk>/export/", nominations.round_export, name="round_export"),
    path(
        "nominations/<int:pk>/withdraw/",
        nominations.nomination_withdraw,
        name="nomination_withdraw",
    ),
    path("nominations/<int:pk>/objections/", nominations.objection_add, name="objection_add"),
]
