"""Demo collective contracts and mediation cases for the demo city (members/demo.py), in
every state: under negotiation, signed and not sent in time, sent and under review, approved,
in force with no objection, objected, expiring within the renewal reminder, a regional
contract of a township union listing its employers; a mediation committee with cases open,
overdue, settled in time and late, referred and withdrawn. Idempotent: does nothing when
contracts exist."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from members.models import Organisation, User
from members.models.organisations import OrgKind

from . import services
from .models import CollectiveContract, ContractCoverage, ContractKind, VoteBody

KIND_TITLES = {
    ContractKind.COMPREHENSIVE: "集体合同",
    ContractKind.WAGE: "工资专项集体合同",
    ContractKind.WOMEN: "女职工权益保护专项集体合同",
    ContractKind.SAFETY: "劳动安全卫生专项集体合同",
}


def _data(kind, signed: date | None, workers: int, *, years=3, offered=None, **kw) -> dict:
    base = signed or offered + timedelta(days=30)
    data = {
        "title": f"{base.year}年{KIND_TITLES[kind]}",
        "kind": kind,
        "coverage": ContractCoverage.ENTERPRISE,
        "offered_on": offered or base - timedelta(days=45),
        "rounds": 3 if signed else 1,
        "vote_body": VoteBody.CONGRESS if signed else "",
        "voted_on": base - timedelta(days=7) if signed else None,
        "signed_on": signed,
        "starts_on": signed,
        "ends_on": services.add_years(signed, years) - timedelta(days=1) if signed else None,
        "workers_covered": workers,
        "wage_increase": Decimal("6.00") if kind == ContractKind.WAGE else None,
    }
    data.update(kw)
    return data


def _contract(org, today, kind, signed, workers, *, send=None, receive=None, outcome="", **kw):
    employers = kw.pop("employers", None)
    c = services.contract_save(
        actor=None,
        organisation=org,
        data=_data(kind, signed, workers, **kw),
        employers=employers,
        today=today,
    )
    if send is not None:
        c = services.contract_send(actor=None, contract=c, on=signed + timedelta(send), today=today)
    if receive is not None:
        received = signed + timedelta(days=receive)
        c = services.contract_outcome(
            actor=None,
            contract=c,
            received_on=received,
            outcome=outcome or "received",
            on=received + timedelta(days=4) if outcome in ("approved", "objected") else None,
            note="条款与法律法规不符" if outcome == "objected" else "",
            today=today,
        )
    return c


@transaction.atomic
def seed(today: date) -> int:
    if CollectiveContract.objects.exists():
        return 0
    chair = User.objects.filter(username="chair").first()
    county = User.objects.filter(username="county").first()
    if chair is None or county is None:
        return 0
    union = chair.roles.first().organisation
    county_org = county.roles.first().organisation
    others = list(
        Organisation.objects.filter(
            path__startswith=county_org.path, kind=OrgKind.GRASSROOTS, active=True
        )
        .exclude(pk=union.pk)
        .order_by("path")[:4]
    )
    K = ContractKind
    made = 0
    # The chair's union: every state of its own contracts.
    _contract(
        union,
        today,
        K.WAGE,
        today - timedelta(days=200),
        420,
        send=3,
        receive=5,
        outcome="approved",
    )
    _contract(
        union,
        today,
        K.COMPREHENSIVE,
        services.add_years(today, -3) + timedelta(days=60),
        420,
        send=2,
        receive=4,
        outcome="approved",
    )  # expires within 90 days
    _contract(union, today, K.WOMEN, today - timedelta(days=15), 180)  # not sent in time
    _contract(union, today, K.SAFETY, None, 420, offered=today - timedelta(days=20))
    made += 4
    states = [
        dict(kind=K.WAGE, signed=today - timedelta(days=12), send=4, receive=6),  # under review
        dict(
            kind=K.COMPREHENSIVE,
            signed=today - timedelta(days=120),
            send=5,
            receive=7,
            outcome="no_objection",
        ),
        dict(kind=K.WAGE, signed=today - timedelta(days=90), send=3, receive=5, outcome="objected"),
        dict(kind=K.WAGE, signed=today - timedelta(days=3)),  # signed, still in time
    ]
    for org, spec in zip(others, states, strict=False):
        _contract(org, today, spec.pop("kind"), spec.pop("signed"), 150, **spec)
        made += 1
    # A township union's regional contract covering the grassroots unions under it.
    town = Organisation.objects.filter(
        path__startswith=county_org.path, kind=OrgKind.TOWNSHIP_UNION
    ).first()
    if town is not None:
        employers = list(
            Organisation.objects.filter(path__startswith=town.path, kind=OrgKind.GRASSROOTS)
            .exclude(pk=town.pk)
            .order_by("path")[:5]
        )
        if employers:
            _contract(
                town,
                today,
                K.WAGE,
                today - timedelta(days=150),
                0,
                send=5,
                receive=8,
                outcome="approved",
                coverage=ContractCoverage.REGIONAL,
                title=f"{town.name}区域性工资专项集体合同",
                employers=[(e, 40 + 10 * i) for i, e in enumerate(employers)],
            )
            made += 1
    return made + _mediation(union, today)


def _mediation(union: Organisation, today: date) -> int:
    services.committee_save(
        actor=None,
        organisation=union,
        set_up_on=date(today.year - 3, 3, 1),
        active=True,
        members=[("周建华", "chair"), ("吴丽", "worker"), ("郑强", "employer")],
        today=today,
    )
    made = 1
    for days_ago, outcome, after, subject in (
        (5, "", 0, "加班费计算争议"),
        (25, "", 0, "年休假工资争议"),  # open past its 15 days
        (40, "settled", 12, "拖欠工资争议"),
        (60, "settled", 20, "经济补偿金争议"),  # settled, but late
        (80, "referred", 16, "工伤待遇争议"),
        (30, "withdrawn", 3, "调岗争议"),
    ):
        applied = today - timedelta(days=days_ago)
        case = services.mediation_register(
            actor=None,
            organisation=union,
            applied_on=applied,
            applicant="职工（示例）",
            respondent=union.employer_name or union.name.replace("工会委员会", ""),
            subject=subject,
            today=today,
        )
        if outcome:
            services.mediation_close(
                actor=None, case=case, outcome=outcome, on=applied + timedelta(after), today=today
            )
        made += 1
    return made
