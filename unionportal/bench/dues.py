"""The dues measurements: the monthly generation and the rollup, against hand-written SQL."""

from __future__ import annotations

import statistics

from django.db import connection

from .timing import in_rolled_back_transaction


def dues_generation(runs: int) -> tuple[float, float]:
    """dues_generate for a month not yet billed, against a hand-written INSERT ... SELECT of
    the same rows; both rolled back, alternated so drift cancels."""
    from datetime import timedelta

    from django.utils import timezone

    from members.services.dues import dues_generate

    month = timezone.localdate().replace(day=1)  # the data set leaves it unbilled

    def hand() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO members_duesrecord
                    (member_id, organisation_id, month, wage_base, amount, paid_how)
                SELECT id, organisation_id, %s, wage_base, FLOOR(wage_base / 10) * 0.05, ''
                FROM members_member WHERE status = 'active' AND joined_on < %s
                """,
                [month, month + timedelta(days=31)],
            )

    ours, anchor = [], []
    for _ in range(runs):
        ours.append(in_rolled_back_transaction(lambda: dues_generate(month=month)))
        anchor.append(in_rolled_back_transaction(hand))
    return statistics.median(ours), statistics.median(anchor)


def dues_rollup_year(runs: int) -> tuple[float, float]:
    """dues_rollup over every month on record, against a hand-written GROUP BY upsert of the
    own figures into a scratch table."""
    from members.models import DuesRecord
    from members.services.dues import dues_rollup

    months = sorted(DuesRecord.objects.values_list("month", flat=True).distinct())

    def ours() -> None:
        for month in months:
            dues_rollup(month=month)

    def hand() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_rollup (organisation_id bigint, "
                "month date, liable int, expected numeric, collected numeric, "
                "PRIMARY KEY (organisation_id, month))"
            )
            cursor.execute("DELETE FROM bench_rollup")
            # Own figures, then every ancestor's subtree figures: the same result.
            cursor.execute(
                """
                INSERT INTO bench_rollup
                SELECT organisation_id, month, COUNT(*), SUM(amount),
                       SUM(CASE WHEN paid_on IS NOT NULL THEN amount ELSE 0 END)
                FROM members_duesrecord GROUP BY organisation_id, month
                """
            )
            cursor.execute(
                """
                INSERT INTO bench_rollup
                SELECT -a.id, r.month, SUM(r.liable), SUM(r.expected), SUM(r.collected)
                FROM bench_rollup r
                JOIN members_organisation o ON o.id = r.organisation_id
                JOIN members_organisation a ON o.path LIKE a.path || '%%'
                GROUP BY a.id, r.month
                """
            )

    a, b = [], []
    for _ in range(runs):
        a.append(in_rolled_back_transaction(ours))
        b.append(in_rolled_back_transaction(hand))
    return statistics.median(a), statistics.median(b)
