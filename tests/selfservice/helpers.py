"""Shared helpers of the self-service tests: a valid application's POST, an approved member
with an activated account."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from selfservice.services import accounts, applications
from tests.factories import PASSWORD, make_resident_id

RID = make_resident_id(321, female=True)  # 42050219850615...


def join_data(org, **over) -> dict:
    data = {
        "name": "王小丽",
        "resident_id": RID,
        "mobile": "13912340001",
        "employer": org.name,
        "union": org.pk,
        "employment_type": "fixed_term",
        "is_migrant": "on",
        "consent": "on",
        "captcha": "PASSED",
        "website": "",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def apply(union, rid=RID, mobile="13912340001", name="王小丽"):
    return applications.application_submit(
        organisation=union,
        name=name,
        resident_id=rid,
        mobile=mobile,
        employment_type="fixed_term",
        is_migrant=True,
        consent=True,
        employer_text=union.name,
    )


def member_with_account(union, chair, rid=RID, mobile="13912340001", name="王小丽"):
    """Apply, approve as `chair`, issue a code, activate: (account, client logged in)."""
    app = applications.application_approve(actor=chair, application=apply(union, rid, mobile, name))
    code = accounts.code_issue(actor=chair, member=app.member)
    account = accounts.account_activate(
        code=code, mobile=mobile, password=PASSWORD, password2=PASSWORD
    )
    client = Client()
    response = client.post(
        reverse("selfservice:member_login"), {"username": mobile, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return account, client
