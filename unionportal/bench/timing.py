"""What every measurement shares: the Result row it returns, median timings, runs rolled back."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import transaction


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


class _Rollback(Exception):
    pass


def in_rolled_back_transaction(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            elapsed = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    return elapsed
