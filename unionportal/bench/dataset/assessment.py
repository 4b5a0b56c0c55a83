"""六有六好 records: a finished round over the city in the window's first month, every grassroots
union's assessment confirmed a month later, about 90% of them meeting the standard (the
statistics snapshot's standard_assessed and standard_passed)."""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

import json
from datetime import timedelta

from .sql import run_sql


def add_assessments(p: dict) -> int:
    from assessment.models import Standard
    from assessment.services import snapshot_standard
    from members.models import Organisation

    standard = Standard.in_force(p["start"])
    root = Organisation.get_root_nodes().first()
    if standard is None or root is None:
        return 0
    start = p["start"]
    run_sql(
        """
        INSERT INTO assessment_round
            (name, year, starts_on, ends_on, self_due_on, standard, status, opened_at,
             finished_on, organisation_id, source_standard_id)
        VALUES (%(name)s, %(year)s, %(s)s, %(e)s, %(due)s, %(std)s::jsonb, 'finished',
                %(s)s::timestamp AT TIME ZONE 'Asia/Shanghai', %(e)s, %(root)s, %(sid)s)
        """,
        {
            "name": f"{start.year}年度基准考评",
            "year": start.year,
            "s": start,
            "e": start + timedelta(days=40),
            "due": start + timedelta(days=20),
            "std": json.dumps(snapshot_standard(standard), ensure_ascii=False),
            "root": root.pk,
            "sid": standard.pk,
        },
    )
    return run_sql(
        """
        INSERT INTO assessment_assessment
            (status, self_total, total, passed, exemplary, confirmed_on, return_reason,
             version, organisation_id, round_id)
        SELECT 'confirmed', v.score, v.score, v.score >= 80, false, r.starts_on + 35, '', 4,
               v.id, r.id
        FROM (SELECT o.id, CASE WHEN random() < 0.9 THEN 85 ELSE 70 END AS score
              FROM members_organisation o WHERE o.kind = 'grassroots' AND o.active) v
        CROSS JOIN (SELECT id, starts_on FROM assessment_round ORDER BY id LIMIT 1) r
        """,
        p,
    )
