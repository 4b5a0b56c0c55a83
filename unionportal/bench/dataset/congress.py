"""Congress records: a session per grassroots union, delegates, motions, suggestions."""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

from .sql import DAY, MOMENT, picked_members, run_sql

DELEGATES_PER_UNION = 4


def add_congress(p: dict) -> int:
    """A session (term 1, session 1) for every grassroots union, 4 delegates each, motions
    spread over the sessions (some answered, with verdicts) and suggestions."""
    run_sql(
        f"""
        INSERT INTO congress_congresssession
            (term, session_number, kind, held_on, collection_opens, collection_closes,
             delegates_expected, delegates_present, created_at, organisation_id)
        SELECT 1, 1, 'congress', s.day, s.day - 40, s.day - 10, 40, 30 + floor(random() * 11)::int,
               {MOMENT.format(d="s.day - 45")}, o.id
        FROM members_organisation o
        CROSS JOIN LATERAL (SELECT {DAY} + (o.id * 0)::int AS day) s
        WHERE o.kind = 'grassroots'
        """,
        p,
    )
    run_sql(
        f"""
        INSERT INTO congress_delegate
            (term, is_frontline, is_manager, is_female, chosen_on, member_id, organisation_id)
        SELECT 1, m.is_frontline, m.is_manager, m.gender = 'F', %(start)s::date - 60, m.id,
               m.organisation_id
        FROM (SELECT id, organisation_id, is_frontline, is_manager, gender,
                     row_number() OVER (PARTITION BY organisation_id ORDER BY id) AS rn
              FROM members_member
              WHERE status = 'active' AND organisation_id IN (
                  SELECT id FROM members_organisation WHERE kind = 'grassroots')) m
        WHERE m.rn <= {DELEGATES_PER_UNION}
        """,
        p,
    )
    n = run_sql(
        """
        INSERT INTO congress_motion
            (number, title, body, category, status, review_reason, handling_unit,
             responsible_person, due_on, answer, answered_on, verdict, submitted_on, version,
             organisation_id, proposer_id, session_id)
        SELECT x.number, '基准提案' || x.number, '提案内容', x.category, x.status, '',
               CASE WHEN x.status IN ('assigned', 'answered', 'closed') THEN '人力资源部' ELSE ''
               END,
               CASE WHEN x.status IN ('assigned', 'answered', 'closed') THEN '张经理' ELSE ''
               END,
               CASE WHEN x.status IN ('assigned', 'answered', 'closed') THEN x.submitted + 45 END,
               CASE WHEN x.answered IS NOT NULL THEN '已答复' ELSE '' END,
               x.answered,
               CASE WHEN x.answered IS NULL THEN ''
                    WHEN x.r2 < 0.6 THEN 'satisfied' WHEN x.r2 < 0.85 THEN 'basically'
                    WHEN x.r2 < 0.95 THEN 'unsatisfied' ELSE '' END,
               x.submitted, 0, x.organisation_id, x.proposer_id, x.session_id
        FROM (
            SELECT y.*,
                   CASE WHEN y.r1 < 0.1 THEN 'rejected' WHEN y.r1 < 0.2 THEN 'filed'
                        WHEN y.r1 < 0.35 THEN 'assigned' WHEN y.r1 < 0.7 THEN 'answered'
                        ELSE 'closed' END AS status,
                   CASE WHEN y.r1 >= 0.35 THEN LEAST(y.submitted + 10 + floor(y.r2 * 30)::int,
                                                     %(end)s::date) END AS answered
            FROM (
                SELECT s.id AS session_id, s.organisation_id, k AS number, d.id AS proposer_id,
                       (ARRAY['production', 'pay', 'safety', 'welfare', 'management',
                              'other'])[1 + (k %% 6)] AS category,
                       s.collection_opens + (k * 7) %% 30 AS submitted,
                       random() AS r1, random() AS r2
                FROM congress_congresssession s
                CROSS JOIN generate_series(1, %(per_session)s) k
                JOIN LATERAL (
                    SELECT id FROM congress_delegate dd
                    WHERE dd.organisation_id = s.organisation_id
                    ORDER BY id OFFSET (k - 1) %% %(delegates)s LIMIT 1) d ON true
            ) y
        ) x
        """,
        p,
    )
    run_sql(
        f"""
        INSERT INTO congress_suggestion
            (title, body, received_on, status, reason, benefit, organisation_id, submitter_id)
        SELECT '基准建议' || m.rn, '建议内容', x.day, x.status,
               CASE WHEN x.status = 'not_adopted' THEN '暂不具备条件' ELSE '' END,
               CASE WHEN x.status = 'adopted' THEN round((random() * 50000)::numeric, 2) END,
               m.organisation_id, m.id
        FROM ({picked_members("suggestions")}) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - (m.rn * 0)::int AS day,
                   CASE m.rn %% 10 WHEN 0 THEN 'received' WHEN 1 THEN 'received'
                        WHEN 2 THEN 'received' WHEN 3 THEN 'not_adopted'
                        WHEN 4 THEN 'not_adopted' WHEN 5 THEN 'not_adopted'
                        ELSE 'adopted' END AS status
        ) x
        """,
        p,
    )
    return n
