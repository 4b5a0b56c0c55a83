"""Demo online joining for the demo city: about twenty applications from the last two months
at grassroots unions, pending, approved (members joined today, cards issued), rejected, and
one of a person already a member elsewhere (a transfer needed); and one member account for a
member of the `chair` login's union (mobile 13900000001, the demo password), so the member
pages can be tried. Idempotent: does nothing when applications exist."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.models import GRASSROOTS_KINDS, Member, Organisation, User
from members.validators import resident_id_check_char

from .models import JoinApplication, MemberAccount
from .services import accounts, applications

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["晓梅", "建华", "海燕", "志强", "丽娟", "小军", "春兰", "国庆"]
DEMO_MEMBER_MOBILE = "13900000001"


def _resident_id(rng: random.Random) -> str:
    while True:
        born = date(1980, 1, 1) + timedelta(days=rng.randrange(0, 20 * 365))
        body = f"420503{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = body + resident_id_check_char(body)
        if not Member.objects.with_resident_id(number).exists():
            return number


def _decider_of(org: Organisation) -> User | None:
    """The union's chair, or else the federation administrator (who may decide anywhere)."""
    return (
        User.objects.filter(
            roles__organisation=org, roles__role="branch_chair", roles__active_to__isnull=True
        ).first()
        or User.objects.filter(roles__role="federation_admin").order_by("pk").first()
    )


@transaction.atomic
def seed(today: date) -> int:
    if JoinApplication.objects.exists():
        return 0
    rng = random.Random(19)
    unions = list(Organisation.objects.active().filter(kind__in=GRASSROOTS_KINDS)[:12])
    if not unions:
        return 0
    made = 0
    for i in range(20):
        org = unions[i % len(unions)]
        app = applications.application_submit(
            organisation=org,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            resident_id=_resident_id(rng),
            mobile=f"139{rng.randrange(10**7, 10**8)}",
            employment_type=rng.choice(["permanent", "fixed_term", "dispatched", "platform"]),
            is_migrant=rng.random() < 0.4,
            consent=True,
            employer_text=org.employer_name or org.name,
        )
        days_ago = rng.randrange(1, 60)
        JoinApplication.objects.filter(pk=app.pk).update(
            submitted_at=timezone.now() - timedelta(days=days_ago),
            consented_at=timezone.now() - timedelta(days=days_ago),
        )
        app.refresh_from_db()
        chair = _decider_of(org)
        if i % 10 < 4 and chair is not None:
            applications.application_approve(actor=chair, application=app)
        elif i % 10 == 4 and chair is not None:
            applications.application_reject(
                actor=chair, application=app, reason="经核实，申请人不是本单位职工"
            )
        made += 1
    held = Member.objects.current().exclude(organisation=unions[0]).order_by("pk").first()
    if held is not None:
        applications.application_submit(
            organisation=unions[0],
            name=held.name,
            resident_id=held.resident_id,
            mobile="13900000099",
            employment_type="permanent",
            is_migrant=False,
            consent=True,
            employer_text=unions[0].name,
        )
        made += 1
    made += _demo_account(today)
    return made


def _demo_account(today: date) -> int:
    """One activated member account in the `chair` login's union."""
    if not settings.DEBUG:
        return 0  # no account with the published password outside a developer's machine (B4)
    chair = User.objects.filter(username="chair").first()
    if chair is None or MemberAccount.objects.exists():
        return 0
    org = chair.roles.first().organisation
    member = Member.objects.active().filter(organisation=org).order_by("pk").first()
    if member is None:
        return 0
    code = accounts.code_issue(actor=chair, member=member)
    accounts.account_activate(
        code=code,
        mobile=DEMO_MEMBER_MOBILE,
        password=settings.DEMO_PASSWORD,
        password2=settings.DEMO_PASSWORD,
    )
    return 1
