"""Builders for reporting tests: records in a union for a quarter, and complete entered
figures for a report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from members.models import DuesRecord, MembershipSpell, MemberStatus, ServiceCard
from tests.factories import MemberFactory
from welfare.models import CondolenceVisit, ReliefApplication, ReliefPayment

ENTERED = {
    "employees": 300,
    "women_employees": 120,
    "migrant_employees": 90,
}


def relief_payment(org, member, amount, paid_on) -> ReliefPayment:
    app = ReliefApplication.objects.create(
        organisation=org,
        member=member,
        kind="living",
        year=paid_on.year,
        reason="家庭困难",
        amount_requested=amount,
        amount_approved=amount,
        status="paid",
    )
    return ReliefPayment.objects.create(application=app, amount=amount, paid_on=paid_on)


def visit(org, member, amount, on) -> CondolenceVisit:
    return CondolenceVisit.objects.create(
        organisation=org,
        member=member,
        occasion="illness",
        visited_on=on,
        amount=amount,
        visitors="工会主席",
    )


def populate(org, *, day=date(2026, 8, 10), members=5, women=2, migrant=1):
    """Members (some women, some migrant, one retained, one applicant, one who left after the
    quarter), a card, dues for the quarter's months, a relief payment and a visit."""
    made = [MemberFactory(organisation=org, is_migrant=i < migrant) for i in range(members)]
    # The factory derives gender from the resident ID; set it directly, in the register and
    # in the membership history (the stats read that).
    for m in made[:women]:
        type(m).objects.filter(pk=m.pk).update(gender="F")
        MembershipSpell.objects.filter(member=m).update(gender="F")
    MemberFactory(
        organisation=org,
        status=MemberStatus.RETAINED,
        status_changed_on=date(2026, 1, 5),
    )
    MemberFactory(organisation=org, status=MemberStatus.APPLIED, joined_on=day)
    MemberFactory(
        organisation=org,
        status=MemberStatus.WITHDRAWN,
        status_changed_on=date(2026, 11, 1),  # left after the quarter: counted at its end
    )
    ServiceCard.objects.create(
        member=made[0], organisation=org, number=f"C{org.pk}-{made[0].pk}", issued_on=day
    )
    for month in (date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)):
        for j, m in enumerate(made):
            DuesRecord.objects.create(
                member=m,
                organisation=org,
                month=month,
                wage_base=Decimal("5000"),
                amount=Decimal("25.00"),
                paid_on=month if j else None,
            )
    relief_payment(org, made[0], Decimal("1500.00"), day)
    relief_payment(org, made[1], Decimal("300.50"), date(2026, 10, 2))  # next quarter
    visit(org, made[1], Decimal("500.00"), day)
    return made
