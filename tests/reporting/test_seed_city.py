"""The seed's figures, from records made through the services (issue 13, "Done when"): a city
with 1,300 new service cards (690 activated), ¥1,032,000.00 of 送温暖 paid to 847 households
of 31 enterprises, 205 suggestions (172 adopted), 9 congress sessions reviewing 18 items,
honours 7 全国劳模, 26 省劳模, 25 五一劳动奖状 and 50 五一劳动奖章, and 40 innovation studios
(10 of them 示范), all in 2026 Q3. The quarterly report's figures, the statistics snapshots and
export_summary's workbook show exactly those numbers, in Q3 and not in Q2 or Q4."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from competitions import services as competition_services
from competitions.models import HonourKind
from congress import services as congress_services
from members.models import FederationLevel, OrgKind
from members.services.cards import card_activate, card_issue
from tests.factories import MemberFactory, OrganisationFactory
from unionportal.reporting.indicators import BY_CODE, INDICATORS
from unionportal.reporting.models import ReportPeriod, StatSnapshot
from unionportal.reporting.rollup import stats_rollup
from unionportal.reporting.sources import figures_for
from welfare.models import CampaignKind, CondolenceRule
from welfare.services.campaigns import campaign_create
from welfare.services.visits import visit_record

pytestmark = [pytest.mark.django_db]

Q2 = (date(2026, 4, 1), date(2026, 6, 30))
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
Q4 = (date(2026, 10, 1), date(2026, 12, 31))
TODAY = date(2026, 11, 20)

# The seed's figures (flows of the quarter, and the studios held at its end).
SEED = {
    "cards_issued": 1300,
    "cards_activated": 690,
    "warmth_amount": Decimal("1032000.00"),
    "warmth_households": 847,
    "warmth_enterprises": 31,
    "suggestions": 205,
    "suggestions_adopted": 172,
    "congress_sessions": 9,
    "reviewed_items": 18,
    "honours": 108,
    "model_workers_national": 7,
    "honours_national": 7,
    "model_workers_provincial": 26,
    "may_day_awards_provincial": 25,
    "may_day_medals_provincial": 50,
    "honours_provincial": 101,
    "studios_named": 40,
    "exemplary_studios_named": 10,
    "studios": 40,
    "exemplary_studios": 10,
}
STOCKS = ("studios", "exemplary_studios")


def _day(i: int) -> date:
    """Days spread over the quarter's three months."""
    return date(2026, 7 + i % 3, 1 + i % 28)


def _build():
    city = OrganisationFactory(
        kind=OrgKind.FEDERATION, level=FederationLevel.CITY, name="宜昌市总工会"
    )
    unions = [OrganisationFactory(parent=city, employees=1200) for _ in range(3)]
    members = [
        MemberFactory(organisation=unions[i % 3], joined_on=date(2020, 3, 1)) for i in range(1300)
    ]
    # Service cards: 1,300 issued in the quarter, 690 of them activated.
    for i, m in enumerate(members):
        card = card_issue(actor=None, member=m, number=f"YC2026{i:06d}", issued_on=_day(i))
        if i < 690:
            card_activate(actor=None, card=card, on=max(_day(i), card.issued_on))
    # 送温暖: 846 payments of ¥1,218.42 and a last one of ¥1,216.68 against a ¥1,032,000.00
    # budget, to 847 people of 31 enterprises.
    CondolenceRule.objects.create(
        occasion="festival", yearly_cap=Decimal("1500.00"), cash_allowed=True,
        effective_from=date(2026, 6, 1),
    )  # fmt: skip
    campaign = campaign_create(
        actor=None, organisation=city, name="2026年送温暖", kind=CampaignKind.WINTER,
        year=2026, budget=Decimal("1032000.00"), starts_on=Q3[0], ends_on=Q3[1],
    )  # fmt: skip
    # The unions are joint grassroots unions (联合基层工会): the 31 enterprises are shared out
    # among them (11, 10 and 10), each visited worker's employer being one of their union's.
    covered = [[e for e in range(31) if e % 3 == u] for u in range(3)]
    for i, m in enumerate(members[:847]):
        employer = covered[i % 3][(i // 3) % len(covered[i % 3])]
        visit_record(
            actor=None, member=m, occasion="festival", visited_on=_day(i), in_cash=True,
            amount=Decimal("1216.68") if i == 846 else Decimal("1218.42"),
            visitors="市总工会", campaign=campaign, enterprise=f" 宜昌第{employer}化工有限公司 ",
        )  # fmt: skip
    # Suggestions: 205, 172 adopted.
    for i in range(205):
        s = congress_services.suggestion_create(
            actor=None, submitter=members[i], title=f"建议{i}", body="节能降耗", received_on=_day(i)
        )
        congress_services.suggestion_evaluate(
            actor=None, suggestion=s, adopted=i < 172, reason="经评审"
        )
    # Congress: 9 sessions with quorum, 2 items each.
    for n in range(9):
        session = congress_services.session_create(
            actor=None, organisation=unions[n % 3], term=1, session_number=n + 1,
            held_on=_day(n), delegates_expected=60,
        )  # fmt: skip
        congress_services.session_record_attendance(actor=None, session=session, present=50)
        for k in range(2):
            congress_services.reviewed_item_record(
                actor=None, session=session, title=f"审议事项{n}-{k}", kind="plan",
                votes_for=45, votes_against=3, votes_abstain=2,
            )  # fmt: skip
    # Honours awarded in the quarter.
    kinds = {k.code: k for k in HonourKind.objects.all()}
    honours = (
        [("national_model_worker", "national")] * 7
        + [("provincial_model_worker", "provincial")] * 26
        + [("may_day_award", "provincial")] * 25
        + [("may_day_medal", "provincial")] * 50
    )
    for i, (code, level) in enumerate(honours):
        competition_services.honour_create(
            actor=None, kind=kinds[code], level=level, year=2026, awarded_on=_day(i),
            awarding_body="湖北省总工会", organisation=unions[i % 3],
            member=members[i] if kinds[code].recipient == "member" else None,
            team_name="", today=TODAY,
        )  # fmt: skip
    # 40 studios named in the quarter, 10 of them city-level and 示范 as well.
    for i in range(40):
        competition_services.studio_create(
            actor=None, organisation=unions[i % 3], today=TODAY, name=f"创新工作室{i}",
            field="innovation", level="city" if i < 25 else "provincial",
            recognised_on=_day(i), exemplary_on=_day(i) if i < 10 else None,
        )  # fmt: skip
    for month in (6, 7, 8, 9, 10):
        stats_rollup(month=date(2026, month, 1), today=TODAY)
    return city


def test_seed_city_figures_in_report_statistics_and_summary(tmp_path):
    """One city built once (about a minute): the three readings of its figures."""
    city = _build()
    _quarterly_report_figures(city)
    _statistics_snapshots(city)
    _export_summary(city, tmp_path)


def _quarterly_report_figures(city):
    q3 = figures_for(city, *Q3)
    assert {code: q3[code] for code in SEED} == SEED
    q2, q4 = figures_for(city, *Q2), figures_for(city, *Q4)
    for code in SEED:
        assert q2[code] == 0, code
        assert q4[code] == (SEED[code] if code in STOCKS else 0), code


def _statistics_snapshots(city):
    snaps = {s.month.month: s for s in StatSnapshot.objects.filter(organisation=city)}
    # Cards are a stock in the snapshot: valid and active at the month's end.
    assert (snaps[9].cards_valid, snaps[9].cards_active) == (1300, 690)
    assert (snaps[6].cards_valid, snaps[6].cards_active) == (0, 0)
    for code, value in SEED.items():
        if code == "cards_activated":  # a figure of the quarterly report only
            continue
        if code in STOCKS:  # held at the quarter's end, never summed over months
            assert getattr(snaps[9], code) == value, code
            assert getattr(snaps[10], code) == value, code
        else:
            assert sum(getattr(snaps[m], code) for m in (7, 8, 9)) == value, code
            assert getattr(snaps[6], code) == 0, code
            assert getattr(snaps[10], code) == 0, code
    assert snaps[6].studios == 0


def _export_summary(city, tmp_path):
    ReportPeriod.objects.create(year=2026, quarter=3, due_on=date(2026, 10, 15))
    out = tmp_path / "summary.xlsx"
    call_command("export_summary", period="2026Q3", scope=str(city.pk), out=str(out))
    workbook = load_workbook(out)
    sheet = workbook[workbook.sheetnames[-1]]  # the figures counted from the records
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    codes = [i.code for i in INDICATORS if i.computed]
    assert [r[1] for r in rows] == [str(BY_CODE[c].label) for c in codes]
    figures = {code: row[3] for code, row in zip(codes, rows, strict=True)}
    for code, value in SEED.items():
        if BY_CODE[code].money:
            assert Decimal(str(figures[code])).quantize(Decimal("0.01")) == value, code
        else:
            assert figures[code] == value, code
