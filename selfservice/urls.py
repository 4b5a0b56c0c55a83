from django.urls import path

from .views import member, public, staff

app_name = "selfservice"

urlpatterns = [
    # public, no account
    path("join/", public.join, name="join"),
    path("join/received/", public.join_done, name="join_done"),
    path("join/status/", public.join_status, name="join_status"),
    path("me/activate/", public.activate, name="activate"),
    path("me/login/", public.MemberLoginView.as_view(), name="member_login"),
    # the member's own pages
    path("me/", member.me, name="me"),
    path("me/reveal/", member.me_reveal, name="me_reveal"),
    path("me/certificate/", member.me_certificate, name="me_certificate"),
    path("me/card/", member.me_card, name="me_card"),
    path("me/card/activate/", member.me_card_activate, name="me_card_activate"),
    path("me/dues/", member.me_dues, name="me_dues"),
    path("me/relief/", member.me_relief, name="me_relief"),
    path("me/honours/", member.me_honours, name="me_honours"),
    path("me/mobile/", member.me_mobile, name="me_mobile"),
    path("me/transfer/", member.me_transfer, name="me_transfer"),
    path("me/requests/", member.me_requests, name="me_requests"),
    path("me/suggestions/", member.me_suggestions, name="me_suggestions"),
    # the union's side
    path("join-applications/", staff.application_list, name="application_list"),
    path("join-applications/<int:pk>/", staff.application_detail, name="application_detail"),
    path(
        "join-applications/<int:pk>/approve/",
        staff.application_approve,
        name="application_approve",
    ),
    path("join-applications/<int:pk>/reject/", staff.application_reject, name="application_reject"),
    path(
        "join-applications/<int:pk>/transfer/",
        staff.application_transfer,
        name="application_transfer",
    ),
    path("members/<int:pk>/account/", staff.account_issue, name="account_issue"),
]
