"""Reporting records: report periods, quarterly reports, the statistics snapshots."""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .sql import run_sql

REPORT_QUARTERS = 4


def last_quarters(n: int, today: date | None = None) -> list[tuple[int, int]]:
    """The last `n` quarters that have ended, oldest first."""
    from unionportal.reporting.models import finished_quarters

    return finished_quarters(n, today)


def report_values_sql() -> tuple[str, str]:
    """jsonb_build_object(...) of plausible figures for every union indicator (`values`) and
    the computed ones (`computed`), from the per-row randoms r1..r4 and the union's members
    estimate m: parts never exceed wholes, money as "1234.50" strings."""
    from unionportal.reporting.indicators import UNION, indicators_for

    money = "to_char(({})::numeric, 'FM999999999990.00')"
    figures = {
        "members": "v.m",
        "women_members": "floor(v.m * (0.3 + 0.2 * v.r1))::int",
        "migrant_members": "floor(v.m * (0.2 + 0.2 * v.r2))::int",
        "new_members": "floor(v.m * 0.03 * v.r3)::int",
        "retained_members": "floor(v.m * 0.08)::int",
        "cards_issued": "floor(v.m * 0.05 * v.r1)::int",
        "cards_activated": "floor(v.m * 0.04 * v.r1)::int",
        "dues_expected": money.format("v.m * 3 * 28.5"),
        "dues_collected": money.format("v.m * 3 * 28.5 * (0.9 + 0.1 * v.r2)"),
        "hardship_files": "floor(v.r3 * 4)::int",
        "relief_count": "floor(v.r4 * 6)::int",
        "relief_amount": money.format("floor(v.r4 * 6) * 1150"),
        "visits_count": "floor(v.r1 * 12)::int",
        "visits_amount": money.format("floor(v.r1 * 12) * 500"),
        "congress_sessions": "(v.r2 < 0.3)::int",
        "motions_filed": "floor(v.r3 * 6)::int",
        "motions_answered": "floor(v.r3 * 6 * v.r4)::int",
        "suggestions": "floor(v.r2 * 10)::int",
        "suggestions_adopted": "floor(v.r2 * 10 * 0.6)::int",
        "competitions": "(v.r4 < 0.1)::int",
        "competition_entries": "floor(v.r4 * 3)::int",
        "honours": "(v.r1 < 0.2)::int",
        "employees": "v.e",
        "women_employees": "floor(v.e * (0.3 + 0.2 * v.r1))::int",
        "migrant_employees": "floor(v.e * 0.3)::int",
        "contract_employers": "(v.r2 < 0.7)::int",
        "contract_employers_comprehensive": "(v.r2 < 0.6)::int",
        "contract_employers_wage": "(v.r2 < 0.5)::int",
        "contract_employers_women": "(v.r2 < 0.3)::int",
        "contract_employers_safety": "(v.r2 < 0.2)::int",
        "contract_workers": "floor(v.e * (0.7 + 0.3 * v.r3) * (v.r2 < 0.7)::int)::int",
        "contracts_signed": "(v.r2 < 0.2)::int",
        "mediation_received": "floor(v.r4 * 4)::int",
        "mediation_settled_in_time": "floor(v.r4 * 3)::int",
        "mediation_referred": "floor(v.r4 * 1)::int",
        "petition_visits": "floor(v.r1 * 3)::int",
        "petition_people": "floor(v.r1 * 3) + floor(v.r2 * 4)::int",
        "petition_letters": "floor(v.r2 * 3)::int",
        "petition_calls": "floor(v.r3 * 5)::int",
        "petition_online": "floor(v.r4 * 2)::int",
        "petition_consultations": "floor(v.r4 * 5)::int",
        "petitions_accepted": "floor(v.r1 * 3) + floor(v.r2 * 3) + floor(v.r3 * 5)",
        "petitions_closed": "floor((floor(v.r1 * 3) + floor(v.r2 * 3) + floor(v.r3 * 5)) * 0.8)::int",  # noqa: E501
        "petitions_closed_on_time": "floor((floor(v.r1 * 3) + floor(v.r2 * 3) + floor(v.r3 * 5)) * 0.7)::int",  # noqa: E501
        # 送温暖 within the visits, items reviewed by a congress, honours by level and kind
        # (parts of `honours`), studios (stocks; 示范 among them): parts never exceed wholes.
        "warmth_households": "floor(v.r1 * 6)::int",
        "warmth_amount": money.format("floor(v.r1 * 6) * 500"),
        "warmth_enterprises": "(v.r1 >= 1.0 / 6)::int",
        "reviewed_items": "2 * (v.r2 < 0.3)::int",
        "honours_city": "(v.r1 < 0.2)::int",
        "model_workers_city": "(v.r1 < 0.1)::int",
        "studios": "(v.r3 < 0.2)::int",
        "studios_city": "(v.r3 < 0.2)::int",
        "studios_named": "(v.r3 < 0.05)::int",
        "studios_named_city": "(v.r3 < 0.05)::int",
        "exemplary_studios": "(v.r3 < 0.05)::int",
    }
    for indicator in indicators_for(UNION):  # the other levels and kinds: none in the bench
        if indicator.code.startswith(
            (
                "honours_",
                "model_workers_",
                "advanced_workers_",
                "may_day_",
                "pioneer_teams_",
                "studios_",
                "exemplary_studios",
            )
        ):
            figures.setdefault(indicator.code, "0")
    wanted = indicators_for(UNION)
    missing = [i.code for i in wanted if i.code not in figures]
    assert not missing, f"no bench figure for {missing}"

    def obj(inds) -> str:
        # A function takes at most 100 arguments: objects of 40 pairs, joined with ||.
        pairs = [f"'{i.code}', {figures[i.code]}" for i in inds]
        parts = [
            "jsonb_build_object(" + ", ".join(pairs[k : k + 40]) + ")"
            for k in range(0, len(pairs), 40)
        ]
        return "(" + " || ".join(parts or ["'{}'::jsonb"]) + ")"

    return obj(wanted), obj([i for i in wanted if i.computed])


def add_reports(p: dict) -> int:
    """Report periods for the last 4 quarters that have ended; a report for every grassroots
    union in each (most accepted, some submitted, some drafts; the latest quarter has more
    open ones), and the counties' reports of employers without a union."""
    from unionportal.reporting.models import ReportPeriod, quarter_bounds

    for year, quarter in last_quarters(REPORT_QUARTERS):
        starts, ends = quarter_bounds(year, quarter)
        run_sql(
            """
            INSERT INTO reporting_reportperiod (year, quarter, starts_on, ends_on, due_on,
                                                opened_at)
            VALUES (%(y)s, %(q)s, %(s)s, %(e)s, %(due)s, %(opened)s)
            ON CONFLICT (year, quarter) DO NOTHING
            """,
            {
                "y": year,
                "q": quarter,
                "s": starts,
                "e": ends,
                "due": ReportPeriod.default_due(year, quarter),
                "opened": timezone.make_aware(datetime.combine(ends + timedelta(days=1), time.min)),
            },
        )
    values, computed = report_values_sql()
    latest = max(last_quarters(REPORT_QUARTERS))
    n = run_sql(
        f"""
        INSERT INTO reporting_quarterlyreport
            (status, computed, "values", reasons, work_done, problems, requests,
             employers_without_union, saved_at, submitted_at, reviewed_at, return_reason,
             version, organisation_id, period_id)
        SELECT v.status, {computed}, {values}, '{{}}'::jsonb,
               '本季度开展了职工之家建设和困难职工帮扶。', '部分职工参会率不高。',
               '希望上级工会加大帮扶资金支持。', NULL,
               v.saved, CASE WHEN v.status <> 'draft' THEN v.saved + interval '1 hour' END,
               CASE WHEN v.status = 'accepted' THEN v.saved + interval '3 days' END, '', 1,
               v.org_id, v.period_id
        FROM (
            SELECT o.id AS org_id, rp.id AS period_id,
                   150 + floor(random() * 100)::int + (o.id * 0) AS m,
                   o.employees AS e, random() AS r1, random() AS r2, random() AS r3,
                   random() AS r4,
                   (rp.ends_on + 5)::timestamp AT TIME ZONE 'Asia/Shanghai' AS saved,
                   -- every state appears even among a handful of unions (the tests' tiny set)
                   CASE WHEN (rp.year, rp.quarter) = (%(ly)s, %(lq)s) THEN
                        (ARRAY['accepted', 'submitted', 'draft', 'accepted', 'submitted',
                               'draft', 'accepted', 'accepted', 'submitted', 'draft'])
                            [1 + (ROW_NUMBER() OVER w %% 10)::int]
                   ELSE (ARRAY['accepted', 'accepted', 'submitted', 'accepted', 'accepted',
                               'draft', 'accepted', 'accepted', 'accepted', 'accepted'])
                            [1 + (ROW_NUMBER() OVER w %% 10)::int] END AS status
            FROM members_organisation o CROSS JOIN reporting_reportperiod rp
            WHERE o.kind = 'grassroots' AND o.active
            WINDOW w AS (PARTITION BY rp.id ORDER BY o.id)
        ) v
        """,
        {**p, "ly": latest[0], "lq": latest[1]},
    )
    run_sql(
        """
        INSERT INTO reporting_quarterlyreport
            (status, computed, "values", reasons, work_done, problems, requests,
             employers_without_union, saved_at, submitted_at, reviewed_at, return_reason,
             version, organisation_id, period_id)
        SELECT 'accepted', '{}'::jsonb, jsonb_build_object('employers_without_union', v.ewu),
               '{}'::jsonb, '', '', '', v.ewu, v.saved, v.saved, v.saved + interval '3 days', '',
               1, v.org_id, v.period_id
        FROM (SELECT o.id AS org_id, rp.id AS period_id, 20 + floor(random() * 40)::int AS ewu,
                     (rp.ends_on + 5)::timestamp AT TIME ZONE 'Asia/Shanghai' AS saved
              FROM members_organisation o CROSS JOIN reporting_reportperiod rp
              WHERE o.kind = 'federation' AND o.level = 'county' AND o.active) v
        """,
        p,
    )
    return n


def add_snapshots(p: dict) -> int:
    """The statistics rollup for the 12 months (the dashboard reads these)."""
    from unionportal.reporting.rollup import months_back as rollup_months
    from unionportal.reporting.rollup import stats_rollup

    return sum(stats_rollup(month=m) for m in rollup_months(12))
