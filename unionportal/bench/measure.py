"""The measurements of performance.md, each beside its anchor measured in the same run.

Every measurement returns a Result; `report()` prints one line per target and says whether
it was met. Timings are medians of several runs; ratios compare figures from the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member, Organisation, Role, User


@dataclass
class Result:
    name: str
    figure: float | None  # None: not measured (the note says why)
    unit: str
    anchor: float | None
    anchor_label: str
    target: str
    ok: bool | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.figure / self.anchor if self.anchor and self.figure is not None else None

    def line(self) -> str:
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else "-"
        anchor = f"{self.anchor:.4g} {self.unit}" if self.anchor is not None else "-"
        verdict = {True: "MET", False: "MISSED", None: "INFO"}[self.ok]
        figure = f"{self.figure:.4g} {self.unit}" if self.figure is not None else "-"
        return (
            f"{verdict:<6} {self.name}: {figure} | anchor "
            f"({self.anchor_label}) {anchor} | ratio {ratio} | target {self.target}"
            + (f" | {self.note}" if self.note else "")
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


def timed(fn: Callable[[], object], runs: int, warmup: int = 2) -> float:
    """Median wall seconds of `runs` calls after `warmup` ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bench_admin() -> User:
    city = Organisation.get_root_nodes().get()
    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"organisation": city, "full_name": "基准"}
    )
    Role.objects.get_or_create(user=user, organisation=city, role="federation_admin")
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["login_at"] = time.time() + 10**6  # no absolute timeout during the run
    session.save()
    return client


def busiest_union() -> Organisation:
    return Organisation.objects.filter(kind="grassroots").order_by("path").first()


def list_page(runs: int) -> dict:
    """The member list, 50 rows, one union's subtree and a status filter, page 2."""
    client = client_for(bench_admin())
    union = busiest_union()
    url = reverse("members:member_list") + f"?union={union.pk}&status=active&page=2"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"] not in ("BEGIN", "COMMIT") and "SAVEPOINT" not in q["sql"]
    ]
    # The session read, the user and the session write (idle timeout) are the framework's.
    own = [q for q in statements if "django_session" not in q and 'FROM "members_user"' not in q]
    return {
        "p50": timed(lambda: client.get(url), runs),
        "queries": len(statements),
        "own_queries": len(own),
    }


def lookup_vs_pk(runs: int) -> tuple[float, float]:
    """Exact lookup by full resident ID (POST, blind index) against a detail page by pk."""
    client = client_for(bench_admin())
    member = Member.objects.order_by("id")[Member.objects.count() // 2]
    number = member.resident_id
    lookup = reverse("members:member_lookup")
    detail = member.get_absolute_url()
    assert client.post(lookup, {"number": number}).status_code == 302
    # The lookup's own request (its indexed query, then a redirect to the member's page,
    # which is the anchor page itself).
    by_id = timed(lambda: client.post(lookup, {"number": number}), runs)
    by_pk = timed(lambda: client.get(detail), runs)
    return by_id, by_pk


class _Rollback(Exception):
    pass


def _in_rolled_back_transaction(fn: Callable[[], object]) -> float:
    from django.db import transaction

    start = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            elapsed = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


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
        ours.append(_in_rolled_back_transaction(lambda: dues_generate(month=month)))
        anchor.append(_in_rolled_back_transaction(hand))
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
        a.append(_in_rolled_back_transaction(ours))
        b.append(_in_rolled_back_transaction(hand))
    return statistics.median(a), statistics.median(b)


PARTS = ("list", "lookup", "export", "import", "dues", "stats", "summary", "dashboard")


def run_all(
    *, size: str, runs: int, small: dict | None, log=print, only: set[str] | None = None
) -> list[Result]:
    only = set(only or PARTS)
    log(f"measuring ({size}, {runs} runs each): {', '.join(p for p in PARTS if p in only)}")
    results: list[Result] = []
    if "list" in only:
        results += _list_page(runs, small)
    if "lookup" in only:
        by_id, by_pk = lookup_vs_pk(runs * 6)
        results.append(
            Result(
                "lookup by full resident ID p50",
                by_id * 1000,
                "ms",
                by_pk * 1000,
                "member page by primary key",
                "<= 1.5x",
                by_id / by_pk <= 1.5,
            )
        )
    for extra in EXTRA_MEASUREMENTS:
        results.extend(extra(size=size, runs=runs, log=log, only=only))
    if "dues" in only:
        ours, hand = dues_generation(max(3, runs // 2))
        results.append(
            Result(
                "monthly dues generation",
                ours,
                "s",
                hand,
                "hand-written INSERT ... SELECT",
                "<= 2x",
                ours / hand <= 2,
            )
        )
        ours, hand = dues_rollup_year(max(3, runs // 2))
        results.append(
            Result(
                "dues rollup, all months",
                ours,
                "s",
                hand,
                "hand-written GROUP BY upsert",
                "<= 2x",
                ours / hand <= 2,
            )
        )
    return results


def _list_page(runs: int, small: dict | None) -> list[Result]:
    page = list_page(runs * 6)
    small_p50 = small["member list page p50"]["figure"] / 1000 if small else None
    return [
        Result(
            "member list page p50",
            page["p50"] * 1000,
            "ms",
            small_p50 * 1000 if small_p50 else None,
            "same page at 10k members",
            "<= 1.5x",
            (page["p50"] / small_p50 <= 1.5) if small_p50 else None,
            "size ratio only in the full run" if not small else "",
        ),
        Result(
            "member list page queries",
            page["own_queries"],
            "queries",
            None,
            "-",
            "<= 10",
            page["own_queries"] <= 10,
            f"{page['queries']} with the session and login statements",
        ),
    ]


# Measurements that other modules add (the Excel export and import; the reporting parts).
EXTRA_MEASUREMENTS: list[Callable[..., list[Result]]] = []


def _excel(**kwargs) -> list[Result]:
    from .excel import measure_excel  # it imports this module, so only once it is loaded

    return measure_excel(**kwargs)


EXTRA_MEASUREMENTS.append(_excel)


def _reports(**kwargs) -> list[Result]:
    from .reports import measure_reports  # it imports this module, so only once it is loaded

    return measure_reports(**kwargs)


EXTRA_MEASUREMENTS.append(_reports)
