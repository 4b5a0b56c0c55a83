"""The reporting measurements of performance.md (issue 7), registered in
measure.EXTRA_MEASUREMENTS:

- stats: the statistics rollup of one month for every organisation, against the sum of the
  hand-written GROUP BY queries it needs (each run and fully fetched);
- summary: the Excel summary of the whole city for one quarter, in a child process (its own
  wall time and peak RSS), against the absolute targets;
- dashboard: GET / for a federation staff user against the member list page, same run.
"""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import GRASSROOTS_KINDS, Organisation, Role, User

from .clients import client_for
from .member_pages import list_page
from .timing import Result

SUMMARY_SECONDS, SUMMARY_MB = 60, 300
DASHBOARD_QUERIES = 15


def spread(samples: list[float], scale: float = 1, digits: int = 3) -> str:
    """ "median of n, min-max" for a Result's note."""
    lo, hi = min(samples) * scale, max(samples) * scale
    return f"median of {len(samples)}, min-max {lo:.{digits}g}-{hi:.{digits}g}"


def rollup_month(today: date | None = None) -> date:
    """The month the nightly job settles: the previous one (complete, its dues billed)."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


# --- stats -------------------------------------------------------------------------------


def _honour_columns() -> str:
    """The honours by level and by kind, written out as the hand-written SQL counts them."""
    levels = ("national", "provincial", "city", "county")
    columns = [f"COUNT(*) FILTER (WHERE h.level = '{lv}') AS honours_{lv}" for lv in levels]
    for column, code in (
        ("model_workers_national", "national_model_worker"),
        ("advanced_workers_national", "national_advanced_worker"),
        ("model_workers_provincial", "provincial_model_worker"),
        ("advanced_workers_provincial", "provincial_advanced_worker"),
        ("model_workers_city", "city_model_worker"),
        ("advanced_workers_city", "city_advanced_worker"),
    ):
        columns.append(f"COUNT(*) FILTER (WHERE k.code = '{code}') AS {column}")
    for column, code in (
        ("may_day_awards", "may_day_award"),
        ("may_day_medals", "may_day_medal"),
        ("pioneer_teams", "pioneer_team"),
    ):
        for lv in levels[:3]:
            columns.append(
                f"COUNT(*) FILTER (WHERE k.code = '{code}' AND h.level = '{lv}') AS {column}_{lv}"
            )
    return ",\n                   ".join(columns)


def hand_aggregates(start: date, end: date) -> list[tuple[str, str, list]]:
    """The figures the rollup needs, one hand-written GROUP BY per source, with the same
    filters as the apps' stats functions (members/stats.py, welfare/stats.py, ...). Each
    row: the source's name, SQL, params. Column names are the snapshot's."""
    at_end = "(valid_to IS NULL OR valid_to > %(end)s)"
    card_valid = "(ended_on IS NULL OR ended_on > %(end)s)"
    local_day = f"(created_at AT TIME ZONE '{settings.TIME_ZONE}')::date"
    grassroots = tuple(sorted(k.value for k in GRASSROOTS_KINDS))
    p = {"start": start, "end": end, "month": start.replace(day=1), "jan1": date(end.year, 1, 1)}
    queries = {
        "members": f"""
            SELECT organisation_id,
                   COUNT(*) FILTER (WHERE {at_end} AND status = 'active') AS members,
                   COUNT(*) FILTER (WHERE {at_end} AND status = 'active' AND gender = 'F')
                       AS women_members,
                   COUNT(*) FILTER (WHERE {at_end} AND status = 'active' AND is_migrant)
                       AS migrant_members,
                   COUNT(*) FILTER (WHERE {at_end} AND status = 'retained') AS retained_members,
                   COUNT(*) FILTER (WHERE started_by = 'join' AND valid_from >= %(start)s)
                       AS new_members
            FROM members_membershipspell
            WHERE valid_from <= %(end)s AND (valid_to IS NULL OR valid_to > %(start)s)
            GROUP BY organisation_id""",
        "members counted": f"""
            SELECT s.organisation_id,
                   COUNT(*) FILTER (WHERE g.employees IS NOT NULL) AS members_counted,
                   COUNT(*) FILTER (WHERE s.is_migrant AND g.migrant_employees IS NOT NULL)
                       AS migrant_members_counted
            FROM members_membershipspell s
            JOIN members_organisation o ON o.id = s.organisation_id
            JOIN members_organisation g ON g.path = substr(o.path, 1, length(g.path))
            WHERE s.valid_from <= %(end)s AND (s.valid_to IS NULL OR s.valid_to > %(end)s)
              AND s.status = 'active' AND g.kind IN {grassroots!r}
              AND (g.founded_on IS NULL OR g.founded_on <= %(end)s)
              AND (g.active OR g.dissolved_on > %(end)s)
            GROUP BY s.organisation_id""",
        "cards": f"""
            SELECT organisation_id,
                   COUNT(*) FILTER (WHERE {card_valid}) AS cards_valid,
                   COUNT(*) FILTER (WHERE {card_valid} AND activated_on <= %(end)s)
                       AS cards_active,
                   COUNT(*) FILTER (WHERE issued_on >= %(start)s) AS cards_issued,
                   COUNT(*) FILTER (WHERE activated_on BETWEEN %(start)s AND %(end)s)
                       AS cards_activated
            FROM members_servicecard WHERE issued_on <= %(end)s GROUP BY organisation_id""",
        "dues": """
            SELECT organisation_id, SUM(amount) AS dues_expected,
                   SUM(amount) FILTER (WHERE paid_on <= %(end)s) AS dues_collected
            FROM members_duesrecord WHERE month >= %(month)s AND month <= %(end)s
            GROUP BY organisation_id""",
        "unions": f"""
            SELECT id AS organisation_id, 1 AS unions, employers_covered AS employers_with_union,
                   employees, migrant_employees
            FROM members_organisation
            WHERE kind IN {grassroots!r} AND (founded_on IS NULL OR founded_on <= %(end)s)
              AND (active OR dissolved_on > %(end)s)""",
        "hardship": f"""
            SELECT organisation_id, COUNT(*) AS hardship_files FROM welfare_hardshipfile
            WHERE {local_day} <= %(end)s
              AND (status = 'approved' OR (status = 'closed' AND closed_on > %(end)s))
            GROUP BY organisation_id""",
        "relief": """
            SELECT a.organisation_id, COUNT(*) AS relief_count, SUM(p.amount) AS relief_amount
            FROM welfare_reliefpayment p
            JOIN welfare_reliefapplication a ON a.id = p.application_id
            WHERE p.paid_on BETWEEN %(start)s AND %(end)s GROUP BY a.organisation_id""",
        "visits": """
            SELECT organisation_id, COUNT(*) AS visits_count, SUM(amount) AS visits_amount
            FROM welfare_condolencevisit WHERE visited_on BETWEEN %(start)s AND %(end)s
            GROUP BY organisation_id""",
        "sessions": """
            SELECT organisation_id, COUNT(*) AS congress_sessions FROM congress_congresssession
            WHERE held_on BETWEEN %(start)s AND %(end)s GROUP BY organisation_id""",
        "motions": """
            SELECT organisation_id, COUNT(*) AS motions_filed,
                   COUNT(*) FILTER (WHERE answered_on <= %(end)s) AS motions_answered,
                   COUNT(*) FILTER (WHERE answered_on <= %(end)s AND verdict <> '')
                       AS motions_feedback,
                   COUNT(*) FILTER (WHERE answered_on <= %(end)s
                                    AND verdict IN ('satisfied', 'basically'))
                       AS motions_satisfied
            FROM congress_motion
            WHERE submitted_on BETWEEN %(jan1)s AND %(end)s
              AND status IN ('filed', 'assigned', 'answered', 'reopened', 'closed')
            GROUP BY organisation_id""",
        "suggestions": """
            SELECT organisation_id, COUNT(*) AS suggestions,
                   COUNT(*) FILTER (WHERE status = 'adopted') AS suggestions_adopted
            FROM congress_suggestion WHERE received_on BETWEEN %(start)s AND %(end)s
            GROUP BY organisation_id""",
        "competitions": """
            SELECT organiser_id AS organisation_id, COUNT(*) AS competitions
            FROM competitions_competition WHERE starts_on BETWEEN %(start)s AND %(end)s
            GROUP BY organiser_id""",
        "entries": """
            SELECT organisation_id, COUNT(*) AS competition_entries FROM competitions_entry
            WHERE registered_on BETWEEN %(start)s AND %(end)s GROUP BY organisation_id""",
        "honours": f"""
            SELECT h.organisation_id, COUNT(*) AS honours, {_honour_columns()}
            FROM competitions_honour h JOIN competitions_honourkind k ON k.id = h.kind_id
            WHERE h.awarded_on BETWEEN %(start)s AND %(end)s GROUP BY h.organisation_id""",
        # Casework (rights/stats.py): requests received by channel and accepted since 1 January,
        # follow-ups since then, requests overdue at the end; counted by the receiving union.
        "cases received": """
            SELECT received_by_id AS organisation_id,
                   COUNT(*) FILTER (WHERE kind = 'request' AND channel = 'visit')
                       AS petition_visits,
                   COALESCE(SUM(people) FILTER (WHERE kind = 'request' AND channel = 'visit'), 0)
                       AS petition_people,
                   COUNT(*) FILTER (WHERE kind = 'request' AND channel = 'letter')
                       AS petition_letters,
                   COUNT(*) FILTER (WHERE kind = 'request' AND channel = 'call')
                       AS petition_calls,
                   COUNT(*) FILTER (WHERE kind = 'request' AND channel = 'online')
                       AS petition_online,
                   COUNT(*) FILTER (WHERE kind = 'consultation') AS petition_consultations
            FROM rights_case WHERE received_on BETWEEN %(jan1)s AND %(end)s
            GROUP BY received_by_id""",
        "cases accepted": """
            SELECT received_by_id AS organisation_id, COUNT(*) AS petitions_accepted,
                   COUNT(*) FILTER (WHERE first_closed_on <= %(end)s) AS petitions_closed,
                   COUNT(*) FILTER (WHERE first_closed_on <= %(end)s AND first_closed_on_time)
                       AS petitions_closed_on_time
            FROM rights_case
            WHERE kind = 'request' AND accepted_on BETWEEN %(jan1)s AND %(end)s
            GROUP BY received_by_id""",
        "case follow-ups": """
            SELECT received_by_id AS organisation_id, COUNT(*) AS petitions_followed_up,
                   COUNT(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically'))
                       AS petitions_satisfied
            FROM rights_case
            WHERE kind = 'request' AND followed_up_on BETWEEN %(jan1)s AND %(end)s
              AND satisfaction <> 'unreachable'
            GROUP BY received_by_id""",
        "cases overdue": """
            SELECT received_by_id AS organisation_id, COUNT(*) AS petitions_overdue
            FROM rights_case
            WHERE kind = 'request' AND accepted_on <= %(end)s AND first_conclude_by < %(end)s
              AND (first_closed_on IS NULL OR first_closed_on > %(end)s)
            GROUP BY received_by_id""",
        # Collective contracts and mediation (rights/contract_stats.py): employers covered by a
        # contract in force at the end (each once; its workers the most any one covers).
        "contract coverage": """
            SELECT e.organisation_id, COUNT(DISTINCT e.organisation_id) AS contract_employers,
                   COUNT(DISTINCT e.organisation_id) FILTER (WHERE c.kind = 'comprehensive')
                       AS contract_employers_comprehensive,
                   COUNT(DISTINCT e.organisation_id) FILTER (WHERE c.kind = 'wage')
                       AS contract_employers_wage,
                   COUNT(DISTINCT e.organisation_id) FILTER (WHERE c.kind = 'women')
                       AS contract_employers_women,
                   COUNT(DISTINCT e.organisation_id) FILTER (WHERE c.kind = 'safety')
                       AS contract_employers_safety,
                   COALESCE(MAX(e.workers), 0) AS contract_workers
            FROM rights_contractemployer e
            JOIN rights_collectivecontract c ON c.id = e.contract_id
            WHERE c.in_force_on <= %(end)s AND c.starts_on <= %(end)s AND c.ends_on >= %(end)s
            GROUP BY e.organisation_id""",
        "contracts signed": """
            SELECT organisation_id, COUNT(*) AS contracts_signed FROM rights_collectivecontract
            WHERE signed_on BETWEEN %(start)s AND %(end)s GROUP BY organisation_id""",
        "mediation": """
            SELECT organisation_id, COUNT(*) AS mediation_received,
                   COUNT(*) FILTER (WHERE status = 'settled' AND closed_on <= %(end)s
                                    AND closed_on <= settle_by) AS mediation_settled_in_time,
                   COUNT(*) FILTER (WHERE status = 'referred' AND closed_on <= %(end)s)
                       AS mediation_referred
            FROM rights_mediationcase WHERE applied_on BETWEEN %(start)s AND %(end)s
            GROUP BY organisation_id""",
        "employers without a union": """
            SELECT DISTINCT ON (r.organisation_id) r.organisation_id,
                   r.employers_without_union, 1 AS territories_reporting
            FROM reporting_quarterlyreport r
            JOIN reporting_reportperiod p ON p.id = r.period_id
            JOIN members_organisation o ON o.id = r.organisation_id
            WHERE p.starts_on <= %(end)s AND r.employers_without_union IS NOT NULL
              AND r.status = 'accepted'
              AND ((o.kind = 'federation' AND o.level = 'county')
                   OR o.kind IN ('township_union', 'park_union'))
            ORDER BY r.organisation_id, p.ends_on DESC""",
        # 六有六好: each standing grassroots union's latest confirmed assessment by `end`.
        "standards": f"""
            SELECT DISTINCT ON (a.organisation_id) a.organisation_id,
                   1 AS standard_assessed, CASE WHEN a.passed THEN 1 ELSE 0 END
                       AS standard_passed
            FROM assessment_assessment a
            JOIN assessment_round r ON r.id = a.round_id
            JOIN members_organisation o ON o.id = a.organisation_id
            WHERE a.status = 'confirmed' AND a.confirmed_on <= %(end)s
              AND r.starts_on <= %(end)s AND o.kind IN {grassroots!r}
              AND (o.founded_on IS NULL OR o.founded_on <= %(end)s)
              AND (o.active OR o.dissolved_on > %(end)s)
            ORDER BY a.organisation_id, r.starts_on DESC, r.id DESC""",
    }
    return [(name, sql, p) for name, sql in queries.items()]


def _fetch(sql: str, params) -> tuple[list[str], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        return [c.name for c in cursor.description], rows


def run_aggregates(queries) -> tuple[float, dict[str, float], dict]:
    """Run and fetch every hand-written aggregate: total seconds, seconds per source, and
    the column totals over all organisations."""
    from unionportal.reporting.models import SNAPSHOT_COLUMNS

    per, totals = {}, dict.fromkeys(SNAPSHOT_COLUMNS, 0)
    for name, sql, params in queries:
        began = time.perf_counter()
        columns, rows = _fetch(sql, params)
        per[name] = time.perf_counter() - began
        for i, column in enumerate(columns):
            if column in totals:
                totals[column] += sum(r[i] or 0 for r in rows)
    return sum(per.values()), per, totals


def differences(totals: dict, month: date) -> list[str]:
    """The snapshot columns where the city's snapshot of `month` (its whole subtree) is not
    the total of the hand-written aggregates."""
    from unionportal.reporting.models import StatSnapshot

    city = StatSnapshot.objects.get(organisation=Organisation.get_root_nodes().get(), month=month)
    return [c for c, v in totals.items() if round(float(v), 2) != float(getattr(city, c))]


def stats_rollup_part(runs: int, log=print) -> list[Result]:
    from unionportal.reporting.rollup import month_window, stats_rollup
    from unionportal.reporting.sources import columns_of, employers_without_union, sources

    month = rollup_month()
    start, end = month_window(month)
    queries = hand_aggregates(start, end)
    log(f"  statistics rollup: {month:%Y-%m}, {len(queries)} hand-written aggregates")

    def hand() -> tuple[float, dict[str, float], dict[str, float]]:
        return run_aggregates(queries)

    def ours() -> float:
        began = time.perf_counter()
        stats_rollup(month=month)
        return time.perf_counter() - began

    hand()
    ours()  # warm-up: caches, and the month's rows exist (the nightly run updates them)
    our_samples, hand_samples, per_source = [], [], {}
    for _ in range(runs):  # alternate, so a busy moment hits both
        our_samples.append(ours())
        total, per, totals = hand()
        hand_samples.append(total)
        for name, seconds in per.items():
            per_source.setdefault(name, []).append(seconds)
    # The anchor computes the same figures: the city's snapshot holds the column totals.
    differ = differences(totals, month)
    # Each source of the rollup alone (the SQL the apps' querysets make, fully fetched), to
    # show which one dominates.
    own = {}
    for qs in [*sources(start, end, year_to_date_motions=True), employers_without_union(end)]:
        label = next(c for c in columns_of(qs) if c != "organisation_id")
        sql, params = qs.query.sql_with_params()
        samples = []
        for _ in range(max(3, runs // 2)):
            began = time.perf_counter()
            _fetch(sql, params)
            samples.append(time.perf_counter() - began)
        own[label] = statistics.median(samples)
    # The first run of a month writes every row (the 1st of the month); later runs rewrite only
    # the rows whose figures changed. Shown for information against the same anchor.
    from unionportal.reporting.models import StatSnapshot

    first_samples = []
    for _ in range(max(3, runs // 2)):
        StatSnapshot.objects.filter(month=month).delete()
        first_samples.append(ours())
    figure, anchor = statistics.median(our_samples), statistics.median(hand_samples)
    first = statistics.median(first_samples)
    slow = sorted(per_source.items(), key=lambda kv: -statistics.median(kv[1]))[:3]
    slow_own = sorted(own.items(), key=lambda kv: -kv[1])[:3]
    log(
        "    hand-written, median s: "
        + ", ".join(f"{n} {statistics.median(s):.3f}" for n, s in per_source.items())
    )
    log(
        "    rollup's sources alone, median s: " + ", ".join(f"{n} {s:.3f}" for n, s in own.items())
    )
    return [
        Result(
            f"statistics rollup, one month ({month:%Y-%m}), all organisations",
            figure,
            "s",
            anchor,
            f"sum of {len(queries)} hand-written GROUP BY queries, fetched",
            "<= 2x",
            figure / anchor <= 2 and not differ,
            f"{spread(our_samples)} s; anchor {spread(hand_samples)} s; slowest aggregates: "
            + ", ".join(f"{n} {statistics.median(s):.3f} s" for n, s in slow)
            + "; slowest sources as the rollup writes them: "
            + ", ".join(f"{n} {s:.3f} s" for n, s in slow_own)
            + (f"; city totals differ: {', '.join(differ)}" if differ else "; city totals agree"),
        ),
        Result(
            f"statistics rollup, first run of a month ({month:%Y-%m}): every row written",
            first,
            "s",
            anchor,
            f"sum of {len(queries)} hand-written GROUP BY queries, fetched",
            "information",
            None,
            f"{spread(first_samples)} s; once a month, on the 1st",
        ),
    ]


# --- summary -----------------------------------------------------------------------------


def summary_available() -> bool:
    try:
        from unionportal.reporting.summary import write_summary  # noqa: F401
    except ImportError:
        return False
    return True


def latest_period():
    from unionportal.reporting.models import ReportPeriod

    return (
        ReportPeriod.objects.filter(ends_on__lt=timezone.localdate()).order_by("-ends_on").first()
    )


def summary_once(period_id: int, scope_id: int, path: str) -> dict:
    """One export in this process (the child's side): seconds, rows, peak RSS."""
    from unionportal.reporting.models import ReportPeriod
    from unionportal.reporting.summary import write_summary

    period = ReportPeriod.objects.get(pk=period_id)
    scope = Organisation.objects.get(pk=scope_id)
    base = _vm("VmRSS")
    began = time.perf_counter()
    rows = write_summary(period, scope, path)
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "rows": rows,
        "peak_mb": _vm("VmHWM"),
        "base_mb": base,
        "bytes": os.path.getsize(path),
    }


def _vm(key: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


CHILD = (
    "import json, sys, django; django.setup(); "
    "from unionportal.bench.reports import summary_once; "
    "print('RESULT ' + json.dumps(summary_once(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])))"
)


def summary_part(runs: int, log=print) -> list[Result]:
    name = "Excel summary, whole city, one quarter"
    if not summary_available():
        log("  summary: unionportal.reporting.summary.write_summary not available yet")
        return [
            Result(
                name,
                None,
                "s",
                None,
                "-",
                f"<= {SUMMARY_SECONDS} s",
                None,
                "not available yet (unionportal.reporting.summary.write_summary)",
            )
        ]
    period = latest_period()
    if period is None:
        raise RuntimeError("no ended report period: run `bench build` first")
    city = Organisation.get_root_nodes().get()
    log(f"  summary: {period.code}, {city.name}, {runs} runs, each in a fresh process")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "")}
    outs = []
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        for _ in range(runs):
            done = subprocess.run(  # noqa: S603 (our own interpreter and code)
                [sys.executable, "-c", CHILD, str(period.pk), str(city.pk), path],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
            if done.returncode or line is None:
                raise RuntimeError(f"summary export failed: {done.stderr[-2000:]}")
            outs.append(json.loads(line[len("RESULT ") :]))
    finally:
        os.unlink(path)
    seconds = [o["seconds"] for o in outs]
    peaks = [o["peak_mb"] for o in outs]
    figure, peak = statistics.median(seconds), max(peaks)
    base = statistics.median(o["base_mb"] for o in outs)
    about = f"{outs[0]['rows']} rows, {outs[0]['bytes'] // 1024} KB"
    return [
        Result(
            f"{name} ({period.code})",
            figure,
            "s",
            None,
            "-",
            f"<= {SUMMARY_SECONDS} s",
            figure <= SUMMARY_SECONDS,
            f"{spread(seconds)} s; {about}",
        ),
        Result(
            "Excel summary peak memory",
            peak,
            "MB",
            None,
            "-",
            f"<= {SUMMARY_MB} MB",
            peak <= SUMMARY_MB,
            f"peak RSS of the exporting process (highest of {len(peaks)} runs, "
            f"{min(peaks):.0f}-{max(peaks):.0f}); {base:.0f} MB of it before the export "
            "(Django loaded)",
        ),
    ]


# --- dashboard ---------------------------------------------------------------------------


def bench_staff() -> User:
    city = Organisation.get_root_nodes().get()
    user, _ = User.objects.get_or_create(
        username="bench-staff", defaults={"organisation": city, "full_name": "基准职员"}
    )
    Role.objects.get_or_create(user=user, organisation=city, role="federation_staff")
    return user


def dashboard_part(runs: int, log=print) -> list[Result]:
    """GET / for a federation staff user at the city, against the member list page (50
    rows, filtered) measured in the same run."""
    client = client_for(bench_staff())
    url = reverse("dashboard")
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"] not in ("BEGIN", "COMMIT") and "SAVEPOINT" not in q["sql"]
    ]
    own = [q for q in statements if "django_session" not in q and 'FROM "members_user"' not in q]
    n = runs * 6
    log(f"  dashboard: GET {url} as federation staff, {n} requests, then the member list")
    samples = []
    for _ in range(2):
        client.get(url)
    for _ in range(n):
        began = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - began)
    page = list_page(n)
    p50 = statistics.median(samples)
    return [
        Result(
            "dashboard p50 (city federation staff)",
            p50 * 1000,
            "ms",
            page["p50"] * 1000,
            "member list page p50, same run",
            "<= 2x",
            p50 / page["p50"] <= 2,
            spread(samples, 1000) + " ms",
        ),
        Result(
            "dashboard queries",
            len(own),
            "queries",
            None,
            "-",
            f"<= {DASHBOARD_QUERIES}",
            len(own) <= DASHBOARD_QUERIES,
            f"{len(statements)} with the session and login statements",
        ),
    ]


def measure_reports(*, size: str, runs: int, log=print, only: set[str]) -> list[Result]:
    results = []
    if "stats" in only:
        results += stats_rollup_part(runs, log)
    if "summary" in only:
        results += summary_part(runs, log)
    if "dashboard" in only:
        results += dashboard_part(runs, log)
    return results
