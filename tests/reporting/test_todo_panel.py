"""The dashboard's to-do panel loads after the page, so "/" itself reads snapshots only."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_dashboard_loads_the_panel_after_the_page(as_user, chair_a):
    page = as_user(chair_a).get(reverse("dashboard")).content.decode()
    assert f'hx-get="{reverse("todo_panel")}"' in page


def test_the_panel_is_a_fragment_for_htmx_and_a_page_otherwise(as_user, chair_a):
    client = as_user(chair_a)
    fragment = client.get(reverse("todo_panel"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b'data-testid="todo"' in fragment.content and b"<html" not in fragment.content
    page = client.get(reverse("todo_panel"))
    assert b"<html" in page.content and b'data-testid="todo"' in page.content


def test_the_panel_needs_a_login_and_a_get(client, as_user, chair_a):
    assert client.get(reverse("todo_panel")).status_code == 302
    assert as_user(chair_a).post(reverse("todo_panel")).status_code == 405


@pytest.mark.parametrize("persona", ["admin_user", "staff_user", "county_user", "chair_a"])
def test_the_panel_reads_a_bounded_number_of_queries(
    request, as_user, persona, django_assert_max_num_queries
):
    client = as_user(request.getfixturevalue(persona))
    client.get(reverse("todo_panel"))
    # A few queries per provider (reports, welfare, congress, competitions, casework,
    # contracts, 六有六好), never one per record.
    with django_assert_max_num_queries(28):
        client.get(reverse("todo_panel"), headers={"HX-Request": "true"})
