"""The benchmark data set of performance.md, built with COPY and INSERT ... SELECT.

Sizes scale from the full set (1 city, 12 counties, 6 industry unions, 5,000 grassroots
unions, 20,000 branches, 1,000,000 members, 12 months of dues) down to the smoke set.
Built once into its own PostgreSQL database and reused: `build()` returns at once when the
database already holds a set of the asked size.

The parts, by domain, are the modules beside this one: members (organisations, members, dues,
service cards), welfare, congress, competitions and reporting; sizes holds the sizes and the
date window, sql the shared COPY and SQL helpers. This module builds them in order.
"""

from __future__ import annotations

from django.db import connection, transaction

from .assessment import add_assessments
from .competitions import ENTRIES, JUDGE_USERS, add_competitions, add_honours
from .congress import DELEGATES_PER_UNION, add_congress
from .members import add_cards, build_members, existing_size
from .reporting import add_reports, add_snapshots
from .sizes import FULL, FULL_EXTRA, MID, SMOKE, Size, scaled, window
from .sql import count_rows
from .welfare import add_hardship_files, add_relief, add_visits

# What `manage.py bench` uses (FULL and SMOKE are the sizes it offers).
__all__ = ["FULL", "MID", "SMOKE", "Size", "build", "existing_size", "extend"]


def build(size: Size, *, log=print) -> None:
    """The members and dues (once), then whatever the reporting part still lacks."""
    if connection.vendor != "postgresql":
        raise SystemExit("the benchmark data set is built on PostgreSQL (set DATABASE_URL)")
    if existing_size() == size.members:
        log(f"data set present: {size.label}")
    else:
        build_members(size, log=log)
    log("reporting records:")
    extend(size, log=log)
    # Set the visibility maps as autovacuum would in time, so index-only scans read no heap
    # and every run measures the same state (cheap when nothing changed). Not possible, and
    # not needed, inside a transaction (the tests).
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --- the reporting part of the data set (issue 7) -------------------------------------------
# Added to a set that already holds its organisations, members and dues: each step runs only
# when its table is empty, so a data set built before issue 7 is extended, not rebuilt.
# Everything is one INSERT ... SELECT per table (random() seeded, so a rebuild is alike).

EXTEND_STEPS = (
    ("service cards", "members_servicecard", add_cards),
    ("hardship files", "welfare_hardshipfile", add_hardship_files),
    ("relief applications (paid)", "welfare_reliefapplication", add_relief),
    ("condolence visits", "welfare_condolencevisit", add_visits),
    ("congress sessions and motions", "congress_motion", add_congress),
    ("competitions, entries and scores", "competitions_competition", add_competitions),
    ("honours", "competitions_honour", add_honours),
    ("quarterly reports", "reporting_quarterlyreport", add_reports),
    ("六有六好 assessments", "assessment_assessment", add_assessments),
    ("statistics snapshots, 12 months", "reporting_statsnapshot", add_snapshots),
)


def extend(size: Size, *, log=print) -> dict[str, float]:
    """Add the reporting part of the data set: each step only when its table is empty.
    Returns the seconds each step took."""
    from time import perf_counter

    start, end = window()
    uppers = size.counties + size.industries
    params = {
        "start": start,
        "end": end,
        "unions": size.unions,
        "uppers": uppers,
        "per_session": round(scaled(size, "motions") / size.unions),
        "delegates": DELEGATES_PER_UNION,
        "judge_users": JUDGE_USERS,
        "entries": scaled(size, "competitions") * ENTRIES,
        **{k: scaled(size, k) for k in FULL_EXTRA},
    }
    took: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7)")
    for label, table, step in EXTEND_STEPS:
        have = count_rows(table)
        if have:
            log(f"  {label}: {have} present")
            continue
        began = perf_counter()
        with transaction.atomic():
            rows = step(params)
        if table != "reporting_statsnapshot":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        took[label] = perf_counter() - began
        log(f"  {label}: {rows} rows in {took[label]:.1f} s")
    return took
