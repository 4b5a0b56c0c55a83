from django.urls import path

from .views import assessments, rounds

app_name = "assessment"

urlpatterns = [
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/finish/", rounds.round_finish, name="round_finish"),
    path("rounds/<int:pk>/export.xlsx", rounds.round_export, name="round_export"),
    path("rounds/<int:pk>/notice/", rounds.round_notice, name="round_notice"),
    path("", assessments.assessment_list, name="assessment_list"),
    path("<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("<int:pk>/save/", assessments.assessment_save, name="assessment_save"),
    path("<int:pk>/review/", assessments.assessment_review, name="assessment_review"),
    path("<int:pk>/accept/", assessments.assessment_accept, name="assessment_accept"),
    path("<int:pk>/return/", assessments.assessment_return, name="assessment_return"),
    path("<int:pk>/confirm/", assessments.assessment_confirm, name="assessment_confirm"),
    path("<int:pk>/evidence/", assessments.evidence_upload, name="evidence_upload"),
    path("<int:pk>/print/", assessments.assessment_print, name="assessment_print"),
    path("evidence/<int:pk>/", assessments.evidence_file, name="evidence_file"),
]
