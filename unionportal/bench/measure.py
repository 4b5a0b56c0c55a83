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
    figure: float
    unit: str
    anchor: float | None
    anchor_label: str
    target: str
    ok: bool | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.figure / self.anchor if self.anchor else None

    def line(self) -> str:
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else "-"
        anchor = f"{self.anchor:.4g} {self.unit}" if self.anchor is not None else "-"
        verdict = {True: "MET", False: "MISSED", None: "INFO"}[self.ok]
        return (
            f"{verdict:<6} {self.name}: {self.figure:.4g} {self.unit} | anchor "
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
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {"p50": timed(lambda: client.get(url), runs), "queries": len(queries)}


def lookup_vs_pk(runs: int) -> tuple[float, float]:
    """Exact lookup by full resident ID (POST, blind index) against a detail page by pk."""
    client = client_for(bench_admin())
    member = Member.objects.order_by("id")[Member.objects.count() // 2]
    number = member.resident_id
    lookup = reverse("members:member_lookup")
    detail = member.get_absolute_url()
    assert client.post(lookup, {"number": number}).status_code == 302
    by_id = timed(lambda: client.post(lookup, {"number": number}), runs)
    by_pk = timed(lambda: client.get(detail), runs)
    return by_id, by_pk
