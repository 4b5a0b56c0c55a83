"""Number-like query values that are not plain numbers never make a 500 (security.md E)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD = ["²", "9" * 5000, "-1", "1e3", "０１"]


@pytest.mark.parametrize("value", ODD)
def test_odd_numbers_in_query_strings_are_ignored_or_404(city, staff_user, as_user, value):
    client = as_user(staff_user)
    client.raise_request_exception = False
    for name, param in [
        ("congress:suggestion_list", "year"),
        ("congress:suggestion_create", "member"),
        ("competitions:honour_list", "year"),
    ]:
        response = client.get(reverse(name), {param: value})
        assert response.status_code in (200, 302, 404), (name, response.status_code)
