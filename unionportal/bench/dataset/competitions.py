"""Competitions with their criteria, judges, entries and scores; and honours."""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

from .sql import DAY, MOMENT, picked_members, run_sql

CRITERIA, JUDGES, ENTRIES = 2, 5, 5  # per competition: 5 entries x 5 judges x 2 = 50 scores
JUDGE_USERS = 50


def add_competitions(p: dict) -> int:
    """Competitions organised by grassroots unions (one in ten by a county), with criteria,
    judges (bench judge users), entries of members, and every judge's score of every
    entry on every criterion."""
    run_sql(
        """
        INSERT INTO members_user
            (password, is_superuser, username, first_name, last_name, email, is_staff,
             is_active, date_joined, full_name, must_change_password, organisation_id)
        SELECT '!', false, 'bench-judge-' || g, '', '', '', false, true, now(),
               '基准评委' || g, false, (SELECT id FROM members_organisation WHERE depth = 1)
        FROM generate_series(1, %(judge_users)s) g
        ON CONFLICT (username) DO NOTHING
        """,
        p,
    )
    n = run_sql(
        f"""
        INSERT INTO competitions_competition
            (name, field, kind, starts_on, ends_on, registration_opens, registration_closes,
             status, published_at, created_at, organiser_id)
        SELECT '基准竞赛' || c.g, c.field, c.kind, c.day, c.day + 30, c.day - 30, c.day - 1,
               CASE WHEN c.day + 30 < %(end)s::date THEN 'published' ELSE 'judging' END,
               CASE WHEN c.day + 30 < %(end)s::date THEN {MOMENT.format(d="c.day + 31")} END,
               {MOMENT.format(d="c.day - 40")}, c.organiser
        FROM (
            SELECT g, {DAY} - 30 + (g * 0)::int AS day,
                   (ARRAY['innovation', 'key_projects', 'vocational', 'services'])[1 + g %% 4]
                       AS field,
                   (ARRAY['labour', 'skills', 'technical'])[1 + g %% 3] AS kind,
                   CASE WHEN g %% 10 = 0
                        THEN (SELECT id FROM members_organisation WHERE depth = 2
                              ORDER BY path OFFSET (g / 10) %% %(uppers)s LIMIT 1)
                        ELSE (SELECT id FROM members_organisation WHERE kind = 'grassroots'
                              ORDER BY path OFFSET g %% %(unions)s LIMIT 1) END AS organiser
            FROM generate_series(1, %(competitions)s) g
        ) c
        """,
        p,
    )
    run_sql(
        f"""
        INSERT INTO competitions_criterion (name, weight, min_score, max_score, competition_id)
        SELECT (ARRAY['技能操作', '理论知识', '创新成果'])[k], 100.0 / {CRITERIA}, 0, 100, c.id
        FROM competitions_competition c CROSS JOIN generate_series(1, {CRITERIA}) k
        """,
        p,
    )
    run_sql(
        f"""
        INSERT INTO competitions_judge (competition_id, user_id)
        SELECT c.id, u.id
        FROM competitions_competition c CROSS JOIN generate_series(0, {JUDGES - 1}) k
        JOIN LATERAL (SELECT id FROM members_user WHERE username LIKE 'bench-judge-%%'
                      ORDER BY id OFFSET (c.id * {JUDGES} + k) %% %(judge_users)s LIMIT 1) u
             ON true
        """,
        p,
    )
    run_sql(
        f"""
        INSERT INTO competitions_entry
            (team_name, registered_on, competition_id, member_id, organisation_id)
        SELECT '', c.registration_opens + (m.rn %% 30)::int, c.id, m.id, m.organisation_id
        FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i,
                     registration_opens FROM competitions_competition) c
        JOIN ({picked_members("entries")}) m ON (m.rn - 1) / {ENTRIES} = c.i
        """,
        p,
    )
    run_sql(
        """
        INSERT INTO competitions_score (value, scored_at, criterion_id, entry_id, judge_id)
        SELECT round((60 + random() * 40)::numeric, 2),
               (c.starts_on + 20)::timestamp AT TIME ZONE 'Asia/Shanghai', cr.id, e.id, j.id
        FROM competitions_entry e
        JOIN competitions_competition c ON c.id = e.competition_id
        JOIN competitions_judge j ON j.competition_id = c.id
        JOIN competitions_criterion cr ON cr.competition_id = c.id
        """,
        p,
    )
    return n


def add_honours(p: dict) -> int:
    return run_sql(
        f"""
        INSERT INTO competitions_honour
            (level, year, awarded_on, awarding_body, team_name, created_at, member_id,
             organisation_id, kind_id)
        SELECT h.level, EXTRACT(year FROM h.day)::int, h.day, '基准市总工会', '',
               {MOMENT.format(d="h.day")}, m.id, m.organisation_id, h.kind_id
        FROM ({picked_members("honours")}) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - (m.rn * 0)::int AS day,
                   (ARRAY['national', 'provincial', 'city', 'county', 'county',
                          'city'])[1 + m.rn %% 6] AS level,
                   (SELECT id FROM competitions_honourkind WHERE recipient = 'member'
                    ORDER BY id OFFSET m.rn %% 10 LIMIT 1) AS kind_id
        ) h
        """,
        p,
    )
