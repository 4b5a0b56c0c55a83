"""Welfare records: hardship files, paid relief applications, condolence visits."""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

from members import crypto

from .sql import DAY, MOMENT, picked_members, run_sql


def _texts(p: dict) -> dict:
    """The parameters with the fixed texts, encrypted as the models store them (F4)."""
    texts = {
        "w_cause": "基准困难档案",
        "w_closed": "基准：脱困",
        "w_verified": "民政核对：收入属实",
        "w_reason": "基准救助申请",
        "w_visit": "已入户走访",
        "w_income": "收入已核实",
    }
    return {**p, **{k: crypto.encrypt(v) for k, v in texts.items()}}


def add_hardship_files(p: dict) -> int:
    return run_sql(
        f"""
        INSERT INTO welfare_hardshipfile
            (year, household_size, annual_income, illness_costs, disability_costs,
             schooling_costs, household_notes, causes, accident, poverty_line, net_per_capita,
             suggested_category, category, status, review_due, closed_on, close_reason,
             income_verification, created_at, member_id, organisation_id)
        SELECT EXTRACT(year FROM c.day)::int, 1 + floor(random() * 5)::int,
               round((12000 + random() * 30000)::numeric, 2), round((random() * 20000)::numeric, 2),
               0, round((random() * 8000)::numeric, 2), '', %(w_cause)s, random() < 0.2,
               780.00, round((400 + random() * 600)::numeric, 2), c.cat, c.cat,
               CASE WHEN m.rn %% 10 = 0 THEN 'closed' WHEN m.rn %% 10 = 1 THEN 'submitted'
                    ELSE 'approved' END,
               c.day + 365,
               CASE WHEN m.rn %% 10 = 0 THEN LEAST(c.day + 90, %(end)s::date) END,
               CASE WHEN m.rn %% 10 = 0 THEN %(w_closed)s ELSE '' END,
               CASE WHEN m.rn %% 10 = 1 THEN '' ELSE %(w_verified)s END,
               {MOMENT.format(d="c.day")}, m.id, m.organisation_id
        FROM ({picked_members("hardship")}) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - (m.rn * 0)::int AS day,
                   (ARRAY['deep', 'relative', 'accidental'])[1 + (m.rn %% 3)] AS cat
        ) c
        """,
        _texts(p),
    )


def add_relief(p: dict) -> int:
    # Applications (all paid), then one payment each, paid 10-40 days after the application,
    # within the window.
    n = run_sql(
        f"""
        INSERT INTO welfare_reliefapplication
            (kind, year, reason, amount_requested, amount_approved, status, home_visit,
             income_verification, notice_starts, notice_ends, override_reason, reject_reason,
             created_at, member_id, organisation_id)
        SELECT a.kind, EXTRACT(year FROM a.day)::int, %(w_reason)s, a.amount + 200, a.amount,
               'paid', %(w_visit)s, %(w_income)s, a.day + 3, a.day + 10, '', '',
               {MOMENT.format(d="a.day")}, m.id, m.organisation_id
        FROM ({picked_members("relief")}) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - 25 - (m.rn * 0)::int AS day,
                   (ARRAY['living', 'medical', 'education', 'winter', 'summer',
                          'temporary'])[1 + (m.rn %% 6)] AS kind,
                   (300 + 100 * floor(random() * 28))::numeric(12, 2) AS amount
        ) a
        """,
        _texts(p),
    )
    run_sql(
        """
        INSERT INTO welfare_reliefpayment (amount, paid_on, reference, application_id)
        SELECT a.amount_approved,
               LEAST(GREATEST(a.created_at::date + 10 + floor(random() * 30)::int,
                              %(start)s::date), %(end)s::date),
               'BENCH' || a.id, a.id
        FROM welfare_reliefapplication a WHERE a.status = 'paid'
        """,
        p,
    )
    return n


def add_visits(p: dict) -> int:
    return run_sql(
        f"""
        INSERT INTO welfare_condolencevisit
            (occasion, visited_on, in_cash, amount, visitors, note, enterprise, created_at,
             member_id, organisation_id)
        SELECT v.occasion, v.day, v.occasion IN ('illness', 'bereavement'),
               (100 * (1 + floor(random() * 10)))::numeric(12, 2), '基准慰问组', '', '',
               {MOMENT.format(d="v.day")}, m.id, m.organisation_id
        FROM (SELECT id, organisation_id, row_number() OVER () AS rn FROM (
                SELECT id, organisation_id FROM members_member WHERE status = 'active'
                ORDER BY random() LIMIT %(visits)s) q) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - (m.rn * 0)::int AS day,
                   (ARRAY['illness', 'bereavement', 'festival', 'birthday', 'birth',
                          'marriage', 'retirement'])[1 + (m.rn %% 7)] AS occasion
        ) v
        """,
        p,
    )
