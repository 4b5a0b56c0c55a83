from django.urls import path

from .views import cases, detail

app_name = "rights"

urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/export/", cases.case_export, name="case_export"),
    path("cases/<int:pk>/", detail.case_detail, name="case_detail"),
    path("cases/<int:pk>/slip/", detail.case_slip, name="case_slip"),
    path("cases/<int:pk>/attach/", detail.case_attach, name="case_attach"),
    path("attachments/<int:pk>/", detail.attachment, name="attachment"),
    *(
        path(f"cases/<int:pk>/{name.replace('_', '-')}/", view, name=f"case_{name}")
        for name, view in detail.ACTION_VIEWS.items()
    ),
]
