"""The measurements of performance.md, each beside its anchor measured in the same run.

Every measurement returns a Result; `report()` prints one line per target and says whether
it was met. Timings are medians of several runs; ratios compare figures from the same run.
The measurements themselves live beside this module (member_pages, dues, excel, reports);
this one runs them in order.
"""

from __future__ import annotations

from collections.abc import Callable

from .dues import dues_generation, dues_rollup_year
from .excel import measure_excel
from .member_pages import list_page, lookup_vs_pk
from .reports import measure_reports
from .scale import dues_history, replica_load
from .timing import Result

PARTS = (
    "list", "lookup", "export", "import", "dues", "stats", "summary", "dashboard", "history",
    "replica",
)  # fmt: skip


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
    if "history" in only:
        results += dues_history(max(runs, 11), log=log)  # short timings: more runs
    if "replica" in only:
        results += replica_load(max(3, runs // 2) if size == "full" else 3, log=log)
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
EXTRA_MEASUREMENTS: list[Callable[..., list[Result]]] = [measure_excel, measure_reports]
