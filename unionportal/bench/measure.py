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
from .load import WORKERS, load_vs_anchor
from .member_pages import deep_pages, list_page, lookup_vs_pk
from .reports import measure_reports
from .scale import dues_history, replica_load
from .timing import Result

PARTS = (
    "list", "deep", "load", "lookup", "export", "import", "reader", "dues", "stats", "summary",
    "dashboard", "history", "replica",
)  # fmt: skip


def run_all(
    *, size: str, runs: int, small: dict | None, log=print, only: set[str] | None = None
) -> list[Result]:
    only = set(only or PARTS)
    log(f"measuring ({size}, {runs} runs each): {', '.join(p for p in PARTS if p in only)}")
    results: list[Result] = []
    if "list" in only:
        results += _list_page(runs, small)
    if "deep" in only:
        results += _deep_pages(runs)
    if "load" in only:
        results += _load(size)
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


def _deep_pages(runs: int) -> list[Result]:
    """The city-wide member list's last page against its page 2 (keyset links), and the
    same last page by OFFSET (?page=N) for the record."""
    pages = deep_pages(runs * 6)
    return [
        Result(
            "city-wide member list, last page p50",
            pages["last"] * 1000,
            "ms",
            pages["second"] * 1000,
            "page 2 of the same list",
            "<= 1.5x",
            pages["last"] / pages["second"] <= 1.5,
            f"{pages['pages']} pages; by OFFSET (?page=N) the last page takes "
            f"{pages['offset'] * 1000:.4g} ms ({pages['offset'] / pages['second']:.2f}x)",
        ),
        Result(
            "city-wide member list, last page sorted by union p50",
            pages["last_sorted"] * 1000,
            "ms",
            pages["second_sorted"] * 1000,
            "page 2, same sort",
            "<= 1.5x",
            pages["last_sorted"] / pages["second_sorted"] <= 1.5,
        ),
    ]


def _load(size: str) -> list[Result]:
    clients = LOAD_CLIENTS[size]
    portal, anchor, info = load_vs_anchor(clients, per_client=40, seconds=90)
    label = f"{clients} clients, {WORKERS} gunicorn workers"
    return [
        Result(
            f"concurrent mix throughput ({label})",
            portal.rate,
            "req/s",
            anchor.rate,
            "bare Django views, same mix and clients",
            ">= 0.8x",
            portal.rate / anchor.rate >= 0.8 if anchor.rate else None,
            f"{portal.requests} requests in {portal.seconds:.1f} s; anchor {anchor.requests} "
            f"in {anchor.seconds:.1f} s; {info['posted']} scratch members posted and removed",
        ),
        Result(
            "concurrent mix p50",
            portal.p50 * 1000,
            "ms",
            anchor.p50 * 1000,
            "bare views p50",
            "reported",
            None,
            f"p50 ms by request under load: portal {portal.kinds()}; bare {anchor.kinds()}. "
            f"One client alone: portal {info['portal_alone']}; bare {info['anchor_alone']}",
        ),
        Result(
            "concurrent mix p95",
            portal.p(0.95) * 1000,
            "ms",
            anchor.p(0.95) * 1000,
            "bare views p95",
            "reported",
            None,
            f"portal p95/p50 {portal.p(0.95) / portal.p50:.2f}" if portal.p50 else "",
        ),
        Result(
            "concurrent mix errors",
            portal.errors,
            "errors",
            anchor.errors,
            "bare views errors",
            "0",
            portal.errors == 0 and anchor.errors == 0,
            "; ".join(e for e in (portal.first_error, anchor.first_error) if e),
        ),
    ]


LOAD_CLIENTS = {"full": 20, "mid": 20, "smoke": 8}
