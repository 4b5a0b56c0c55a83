"""Contracts and mediation cases for the tests, written through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from rights import services
from rights.models import ContractCoverage, ContractKind, VoteBody


def contract_data(signed: date | None, *, kind=ContractKind.WAGE, workers=120, years=3, **kw):
    data = {
        "title": "工资专项集体合同",
        "kind": kind,
        "coverage": ContractCoverage.ENTERPRISE,
        "offered_on": (signed or date(2026, 1, 10)) - timedelta(days=40),
        "rounds": 3,
        "vote_body": VoteBody.CONGRESS,
        "voted_on": (signed or date(2026, 1, 10)) - timedelta(days=5),
        "signed_on": signed,
        "starts_on": signed,
        "ends_on": services.add_years(signed, years) - timedelta(days=1) if signed else None,
        "workers_covered": workers,
        "wage_increase": Decimal("5.50") if kind == ContractKind.WAGE else None,
    }
    data.update(kw)
    return data


def signed(actor, union, on: date, *, employers=None, **kw):
    return services.contract_save(
        actor=actor,
        organisation=union,
        data=contract_data(on, **kw),
        employers=employers,
        today=max(on, date(2026, 12, 1)),
    )


def in_force(actor, union, on: date, **kw):
    """Signed on `on`, sent the next day, approved by the bureau two days later."""
    c = signed(actor, union, on, **kw)
    today = on + timedelta(days=30)
    c = services.contract_send(actor=actor, contract=c, on=on + timedelta(days=1), today=today)
    return services.contract_outcome(
        actor=actor,
        contract=c,
        received_on=on + timedelta(days=2),
        outcome="approved",
        on=on + timedelta(days=3),
        today=today,
    )
