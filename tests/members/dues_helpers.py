"""Helpers shared by the dues and union-fund tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from members.models import DuesRecord, Member, Organisation
from tests.factories import MemberFactory

MARCH = date(2025, 3, 1)


def member(org: Organisation, wage: str = "5000.00", **kwargs) -> Member:
    return MemberFactory(organisation=org, wage_base=Decimal(wage), **kwargs)


def record(
    m: Member,
    month: date,
    amount: str = "25.00",
    paid_on: date | None = None,
    org: Organisation | None = None,
) -> DuesRecord:
    """A dues record written directly (bypassing generation), for arrears and rollup setups."""
    return DuesRecord.objects.create(
        member=m,
        organisation=org or m.organisation,
        month=month,
        wage_base=Decimal(amount) * 200,
        amount=Decimal(amount),
        paid_on=paid_on,
        paid_how="payroll" if paid_on else "",
    )


def expected_dues(wage: Decimal) -> Decimal:
    """domain.md D by integer arithmetic in fen, independent of members.dues: whole tens of
    yuan (1,000 fen each) times 5 fen."""
    fen = int(wage * 100)
    return Decimal(fen // 1000 * 5) / 100
