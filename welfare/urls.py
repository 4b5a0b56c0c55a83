from django.urls import path

from .views import campaigns, hardship, relief, rules, visits

app_name = "welfare"

urlpatterns = [
    path("rules/", rules.rules, name="rules"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("relief/", relief.relief_list, name="relief_list"),
    path("relief/new/", relief.relief_create, name="relief_create"),
    path("relief/notice/", relief.relief_notice_list, name="relief_notice_list"),
    path("relief/export/", relief.relief_export, name="relief_export"),
    path("relief/<int:pk>/", relief.relief_detail, name="relief_detail"),
    path("relief/<int:pk>/edit/", relief.relief_update, name="relief_update"),
    path("relief/<int:pk>/submit/", relief.relief_submit, name="relief_submit"),
    path("relief/<int:pk>/review/", relief.relief_review, name="relief_review"),
    path("relief/<int:pk>/notice/", relief.relief_notice, name="relief_notice"),
    path("relief/<int:pk>/approve/", relief.relief_approve, name="relief_approve"),
    path("relief/<int:pk>/reject/", relief.relief_reject, name="relief_reject"),
    path("relief/<int:pk>/pay/", relief.relief_pay, name="relief_pay"),
    path("relief/<int:pk>/proofs/", relief.relief_proof_upload, name="relief_proof_upload"),
    path("proofs/<int:pk>/", relief.relief_proof, name="relief_proof"),
    path("files/", hardship.file_list, name="file_list"),
    path("files/new/", hardship.file_create, name="file_create"),
    path("files/<int:pk>/", hardship.file_detail, name="file_detail"),
    path("files/<int:pk>/edit/", hardship.file_update, name="file_update"),
    path("files/<int:pk>/status/", hardship.file_status, name="file_status"),
    path("files/<int:pk>/reviewed/", hardship.file_reviewed, name="file_reviewed"),
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/export/", visits.visit_export, name="visit_export"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/export/", campaigns.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/budget/", campaigns.campaign_budget, name="campaign_budget"),
]
