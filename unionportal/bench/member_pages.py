"""The member pages' measurements: the filtered member list, the resident ID lookup."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member

from .clients import bench_admin, busiest_union, client_for
from .timing import timed


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


def deep_pages(runs: int) -> dict:
    """The unfiltered city-wide member list as the city's admin: page 2 and the last page by
    the keyset links the pages carry, default order and sorted by union; the last page by
    OFFSET too."""
    client = client_for(bench_admin())
    base = reverse("members:member_list")
    out: dict = {}
    for suffix, query in (("", ""), ("_sorted", "sort=union")):
        first = client.get(f"{base}?{query}").content.decode()
        second_url = base + _link(first, 'rel="next"')
        last_url = base + _link(first, 'data-testid="page-last"')
        assert client.get(last_url).status_code == 200
        out["second" + suffix] = timed(lambda u=second_url: client.get(u), runs)
        out["last" + suffix] = timed(lambda u=last_url: client.get(u), runs)
        out["pages"] = int(parse_qs(urlsplit(last_url).query)["page"][0])
    offset_url = f"{base}?page={out['pages']}"
    out["offset"] = timed(lambda: client.get(offset_url), max(3, runs // 3))
    return out


def _link(page: str, marker: str) -> str:
    """The href of the pagination link carrying `marker` (the page as a user clicks it)."""
    found = re.search(r'href="([^"]+)" ' + re.escape(marker), page)
    assert found, f"no {marker} link on the page"
    return html.unescape(found.group(1))
