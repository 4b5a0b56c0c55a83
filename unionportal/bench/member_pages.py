"""The member pages' measurements: the filtered member list, the resident ID lookup."""

from __future__ import annotations

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
