from django.urls import path

from . import contract_views as v

app_name = "contracts"

urlpatterns = [
    path("", v.contract_list, name="contract_list"),
    path("new/", v.contract_create, name="contract_create"),
    path("export/", v.contract_export, name="contract_export"),
    path("<int:pk>/", v.contract_detail, name="contract_detail"),
    path("<int:pk>/edit/", v.contract_update, name="contract_update"),
    path("<int:pk>/send/", v.contract_send, name="contract_send"),
    path("<int:pk>/outcome/", v.contract_outcome, name="contract_outcome"),
    path("<int:pk>/text/", v.contract_text, name="contract_text"),
    path("mediation/", v.mediation_list, name="mediation_list"),
    path("mediation/new/", v.mediation_create, name="mediation_create"),
    path("mediation/<int:pk>/", v.mediation_update, name="mediation_update"),
    path("mediation/committee/<int:pk>/", v.committee, name="committee"),
]
