"""The contract and mediation figures (rights/contract_stats.py) against an aggregate written
here from the records one by one, at the boundaries: in force on day 15 after receipt, an
employer covered twice counting once, mediation settled on day 15 vs 16."""

from collections import defaultdict
from datetime import date, timedelta

import pytest

from members.models.organisations import OrgKind
from rights import contract_stats, services
from rights.models import CollectiveContract, ContractCoverage, ContractKind, MediationCase
from tests.factories import OrganisationFactory

from .contract_helpers import in_force, signed

pytestmark = pytest.mark.django_db
START, END = date(2026, 1, 1), date(2026, 6, 30)


def _records(city, admin_user):
    town = OrganisationFactory(parent=city.county_a, kind=OrgKind.TOWNSHIP_UNION, name="镇工会")
    e1 = OrganisationFactory(parent=town, name="镇甲厂工会")
    e2 = OrganisationFactory(parent=town, name="镇乙厂工会")
    u = admin_user
    in_force(u, city.union_a, date(2026, 2, 1), workers=120)  # wage
    in_force(u, city.union_a, date(2026, 2, 1), kind=ContractKind.COMPREHENSIVE, workers=150)
    in_force(u, e1, date(2026, 3, 1), workers=80)  # e1's own, and listed on the regional one
    in_force(
        u,
        town,
        date(2026, 3, 1),
        kind=ContractKind.COMPREHENSIVE,
        coverage=ContractCoverage.REGIONAL,
        employers=[(e1, 90), (e2, 40)],
    )
    in_force(u, city.union_b, date(2023, 1, 1), workers=60, years=3)  # expired 2025-12-31
    # Received on 16 June: in force on 1 July, the day after the window.
    c = signed(u, city.union_b, date(2026, 6, 10), workers=70)
    c = services.contract_send(actor=u, contract=c, on=date(2026, 6, 12), today=END)
    services.contract_outcome(
        actor=u, contract=c, received_on=date(2026, 6, 16), outcome="received", today=END
    )
    # Received on 15 June: in force on 30 June, the window's last day.
    c = signed(u, e2, date(2026, 6, 10), kind=ContractKind.SAFETY, workers=35)
    c = services.contract_send(actor=u, contract=c, on=date(2026, 6, 12), today=END)
    services.contract_outcome(
        actor=u, contract=c, received_on=date(2026, 6, 15), outcome="received", today=END
    )
    signed(u, city.union_b, date(2025, 12, 31), workers=10)  # signed before the window
    # Mediation at union A.
    services.committee_save(
        actor=u, organisation=city.union_a, set_up_on=date(2025, 1, 1), active=True, members=[]
    )
    for applied, outcome, days in [
        (date(2026, 6, 1), "settled", 15),  # in time
        (date(2026, 6, 1), "settled", 16),  # late
        (date(2026, 6, 20), "settled", 15),  # settled after the window: not yet
        (date(2026, 6, 20), "referred", 5),  # referred on 25 June
        (date(2026, 6, 25), "referred", 10),  # referred after the window
        (date(2025, 12, 31), "settled", 1),  # applied before the window
        (date(2026, 3, 1), "", 0),  # still open
    ]:
        case = services.mediation_register(
            actor=u,
            organisation=city.union_a,
            applied_on=applied,
            applicant="张三",
            respondent="甲公司",
            subject="工资",
            today=applied,
        )
        if outcome:
            on = applied + timedelta(days=days)
            services.mediation_close(actor=u, case=case, outcome=outcome, on=on, today=on)
    return town, e1, e2


def _rows(qs) -> dict[int, dict]:
    return {
        r["organisation_id"]: {k: v for k, v in r.items() if k != "organisation_id"} for r in qs
    }


def expected_coverage(end: date) -> dict[int, dict]:
    """Walk every contract: those in force on `end` cover their employers; an employer counts
    once, with the most workers any one contract covers there."""
    workers: dict[int, dict[str, int]] = defaultdict(dict)
    for c in CollectiveContract.objects.all():
        if not c.in_force(end):
            continue
        for ce in c.employers.all():
            for key in ("all", c.kind):
                workers[ce.organisation_id][key] = max(
                    workers[ce.organisation_id].get(key, 0), ce.workers
                )
    out = {}
    for org, by in workers.items():
        row = {"contract_employers": 1, "contract_workers": by["all"]}
        for kind in ContractKind.values:
            row[f"contract_employers_{kind}"] = 1 if kind in by else 0
            row[f"contract_workers_{kind}"] = by.get(kind, 0)
        out[org] = row
    return out


def test_coverage_agrees_with_the_records_and_counts_each_employer_once(city, admin_user):
    town, e1, e2 = _records(city, admin_user)
    rows = _rows(contract_stats.coverage(START, END))
    assert rows == expected_coverage(END)
    # The hand figures: union A (two contracts: 150 workers), e1 (own 80, regional 90: 90),
    # e2 (regional 40, safety 35 in force on the last day: 40); union B's are expired or
    # not yet in force.
    assert {o: r["contract_workers"] for o, r in rows.items()} == {
        city.union_a.pk: 150,
        e1.pk: 90,
        e2.pk: 40,
    }
    assert rows[e2.pk]["contract_employers_safety"] == 1
    assert sum(r["contract_employers"] for r in rows.values()) == 3
    county = _rows(contract_stats.coverage(START, END, within=city.county_a))
    assert set(county) == {city.union_a.pk, e1.pk, e2.pk}
    assert not _rows(contract_stats.coverage(START, END, within=city.county_b))
    # The day before the last one, e2's safety contract is not in force yet.
    assert (
        _rows(contract_stats.coverage(START, END - timedelta(days=1)))[e2.pk][
            "contract_employers_safety"
        ]
        == 0
    )
    # On 1 July union B's contract received on 16 June is in force.
    later = _rows(contract_stats.coverage(START, date(2026, 7, 1)))
    assert later == expected_coverage(date(2026, 7, 1)) and city.union_b.pk in later


def test_contracts_signed_in_the_window(city, admin_user):
    town, e1, e2 = _records(city, admin_user)
    rows = {r["organisation_id"]: r["contracts_signed"] for r in contract_stats.signed(START, END)}
    expected = defaultdict(int)
    for c in CollectiveContract.objects.filter(signed_on__isnull=False):
        if START <= c.signed_on <= END:
            expected[c.organisation_id] += 1
    assert rows == dict(expected)
    assert rows[city.union_a.pk] == 2 and rows[city.union_b.pk] == 1


def test_mediation_figures_agree_with_the_cases(city, admin_user):
    _records(city, admin_user)
    rows = _rows(contract_stats.mediation(START, END))
    cases = [c for c in MediationCase.objects.all() if START <= c.applied_on <= END]
    in_time = [
        c
        for c in cases
        if c.status == "settled" and c.closed_on <= END and (c.closed_on - c.applied_on).days <= 15
    ]
    referred = [c for c in cases if c.status == "referred" and c.closed_on <= END]
    assert rows == {
        city.union_a.pk: {
            "mediation_received": len(cases),
            "mediation_settled_in_time": len(in_time),
            "mediation_referred": len(referred),
        }
    }
    assert rows[city.union_a.pk] == {
        "mediation_received": 6,
        "mediation_settled_in_time": 1,
        "mediation_referred": 1,
    }
