"""The casework figures from the records (issue 16): the seed's half-year of one county, built
through the services, in the territorial reports, the statistics snapshot, the KPI and the Excel
summary, each against an independent aggregate of the case table."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as t
from openpyxl import load_workbook

from rights import services
from rights.models import Case, CaseKind, Channel, Satisfaction
from rights.stats import closure, received
from unionportal.reporting import services as reporting
from unionportal.reporting import summary
from unionportal.reporting.models import QuarterlyReport, StatSnapshot
from unionportal.reporting.rollup import stats_rollup

from .helpers import closed, register

pytestmark = pytest.mark.django_db

Q1, Q2 = date(2026, 1, 5), date(2026, 4, 6)
FIGURES = ("petition_visits", "petition_people", "petition_letters", "petition_calls")


def _day(quarter_start: date, i: int) -> date:
    return quarter_start + timedelta(days=i % 70)


def seed_half_year(actor, county, union) -> None:
    """685 visits (1,311 people: 626 of two, 59 alone), 23 letters and 390 calls over Q1 and
    Q2, received by the county and by a grassroots union under it, every one closed within 10
    days; and consultations, which are not petitions."""
    for i in range(685):
        receiver = union if i % 5 == 0 else county
        start = Q1 if i % 2 else Q2
        closed(actor, receiver, on=_day(start, i), people=2 if i < 626 else 1)
    for i in range(23):
        closed(actor, county, on=_day(Q1 if i < 11 else Q2, i), channel=Channel.LETTER)
    for i in range(390):
        receiver = union if i % 7 == 0 else county
        closed(actor, receiver, on=_day(Q1 if i % 3 else Q2, i), channel=Channel.CALL)
    for i in range(4):
        case = register(
            actor, county, on=_day(Q2, i), channel=Channel.CALL, kind=CaseKind.CONSULTATION
        )
        services.case_consult(actor=actor, case=case, on=case.received_on, answer="政策解答")


def _case_totals(**where) -> dict:
    """The independent aggregate: straight from the case table."""
    requests = Case.objects.filter(kind=CaseKind.REQUEST, **where)
    return {
        "petition_visits": requests.filter(channel=Channel.VISIT).count(),
        "petition_people": requests.filter(channel=Channel.VISIT).aggregate(n=Sum("people"))["n"],
        "petition_letters": requests.filter(channel=Channel.LETTER).count(),
        "petition_calls": requests.filter(channel=Channel.CALL).count(),
    }


def test_the_seed_half_year_adds_up_in_reports_statistics_and_summary(
    city, admin_user, county_user
):
    seed_half_year(admin_user, city.county_a, city.union_a)
    expected = {
        "petition_visits": 685,
        "petition_people": 1311,
        "petition_letters": 23,
        "petition_calls": 390,
    }
    assert _case_totals(received_by__path__startswith=city.county_a.path) == expected

    # The county's two territorial reports carry its whole subtree's cases and add up.
    q1 = reporting.period_open(actor=admin_user, year=2026, quarter=1)
    q2 = reporting.period_open(actor=admin_user, year=2026, quarter=2)
    county_reports = [
        reporting.live_computed(QuarterlyReport.objects.get(period=p, organisation=city.county_a))
        for p in (q1, q2)
    ]
    assert {c: county_reports[0][c] + county_reports[1][c] for c in expected} == expected
    assert county_reports[0]["petitions_closed"] == county_reports[0]["petitions_accepted"]
    # A grassroots union's report carries its own cases only.
    union_q2 = reporting.live_computed(
        QuarterlyReport.objects.get(period=q2, organisation=city.union_a)
    )
    assert (
        union_q2["petition_visits"]
        == Case.objects.filter(
            received_by=city.union_a, channel=Channel.VISIT, received_on__gte=Q2
        ).count()
    )

    # The statistics snapshot of June: year to date, for the county and the city.
    stats_rollup(month=date(2026, 6, 1), today=date(2026, 12, 1))
    for org in (city.county_a, city.city):
        snap = StatSnapshot.objects.get(organisation=org, month=date(2026, 6, 1))
        assert {c: getattr(snap, c) for c in expected} == expected
        assert snap.petitions_accepted == 685 + 23 + 390 == snap.petitions_closed
        assert snap.petition_consultations == 4
        assert str(snap.rate("case_closure_rate")) == "100.0"
    other = StatSnapshot.objects.get(organisation=city.county_b, month=date(2026, 6, 1))
    assert other.petition_visits == 0 and other.rate("case_closure_rate") is None  # no data

    # The Excel summary of Q2 for the city: the casework sheet's year to date total.
    buffer = BytesIO()
    summary.write_summary(q2, city.city, buffer)
    sheet = load_workbook(BytesIO(buffer.getvalue()))[t("Casework")]
    rows = list(sheet.iter_rows(values_only=True))
    total = rows[-1]
    ytd = total[11:21]
    assert list(ytd[:4]) == [685, 1311, 23, 390]
    assert ytd[-1] == 1  # 100.0 %
    # The per-union rows add up to the total.
    assert sum(r[11] for r in rows[1:-1]) == 685


def test_a_past_quarters_figures_stay_after_a_review_and_later_cases(city, admin_user):
    D = date(2026, 2, 2)
    case = closed(admin_user, city.county_a, on=D, days=5)
    before = list(closure(date(2026, 1, 1), date(2026, 3, 31), city.county_a))
    on = D + timedelta(days=20)
    services.case_review(actor=admin_user, case=case, on=on, reason="不服答复", today=on)
    closed(admin_user, city.county_a, on=date(2026, 4, 2))
    after = list(closure(date(2026, 1, 1), date(2026, 3, 31), city.county_a))
    assert before == after
    assert after[0]["petitions_closed"] == 1


def test_closed_on_time_and_the_rate_at_the_deadline(city, admin_user):
    D = date(2026, 1, 10)
    on_time = closed(admin_user, city.county_a, on=D, days=60)
    late = closed(admin_user, city.county_a, on=D, days=61)
    open_ = register(admin_user, city.county_a, on=D)
    services.case_accept(actor=admin_user, case=open_, on=D, today=D)
    row = closure(date(2026, 1, 1), date(2026, 12, 31), city.county_a).get()
    assert (
        row["petitions_accepted"],
        row["petitions_closed"],
        row["petitions_closed_on_time"],
    ) == (
        3,
        2,
        1,
    )
    hand = Case.objects.aggregate(
        on_time=Count("pk", filter=Q(first_closed_on__lte=D + timedelta(days=60)))
    )
    assert hand["on_time"] == 1
    assert {on_time.pk, late.pk} <= set(Case.objects.values_list("pk", flat=True))


def test_follow_ups_count_those_reached_and_satisfied(city, admin_user):
    D = date(2026, 5, 4)
    for satisfaction in ("satisfied", "basically", "dissatisfied", "unreachable"):
        case = closed(admin_user, city.county_a, on=D, days=3)
        day = D + timedelta(days=5)
        services.case_follow_up(
            actor=admin_user, case=case, on=day, satisfaction=Satisfaction(satisfaction), today=day
        )
    stats_rollup(month=date(2026, 5, 1), today=date(2026, 12, 1))
    snap = StatSnapshot.objects.get(organisation=city.city, month=date(2026, 5, 1))
    assert (snap.petitions_followed_up, snap.petitions_satisfied) == (3, 2)
    assert str(snap.rate("case_satisfaction_rate")) == "66.7"


def test_the_received_figures_of_a_window_match_the_case_table(city, admin_user):
    seed = [(Channel.VISIT, 6), (Channel.VISIT, 1), (Channel.ONLINE, 1), (Channel.LETTER, 1)]
    for channel, people in seed:
        register(admin_user, city.union_a, on=date(2026, 3, 3), channel=channel, people=people)
    register(admin_user, city.union_a, on=date(2026, 4, 3))  # the next quarter
    row = received(date(2026, 1, 1), date(2026, 3, 31), city.county_a).get()
    assert row["petition_visits"] == 2 and row["petition_people"] == 7
    assert row["petition_online"] == 1 and row["petition_letters"] == 1
