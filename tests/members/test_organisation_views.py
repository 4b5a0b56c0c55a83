"""Organisation pages as the allowed user, a lower role (403), an outsider (404) and GET on an
action (405)."""

import pytest
from django.urls import reverse

from members.models import Organisation, OrgKind

pytestmark = pytest.mark.django_db


def test_the_tree_shows_a_chair_only_their_own_union(city, chair_a, as_user):
    page = as_user(chair_a).get(reverse("members:organisation_tree")).content.decode()
    assert "甲公司工会委员会" in page
    assert "乙公司" not in page
    assert "宜昌市总工会" not in page


def test_the_tree_opens_at_the_city_for_an_admin(city, admin_user, as_user):
    page = as_user(admin_user).get(reverse("members:organisation_tree")).content.decode()
    assert "宜昌市总工会" in page and "西陵区总工会" in page and "夷陵区总工会" in page


def test_expanding_a_node_loads_its_children(city, admin_user, as_user):
    url = reverse("members:organisation_children", args=[city.county_a.pk])
    page = as_user(admin_user).get(url).content.decode()
    assert "甲公司工会委员会" in page


def test_searching_finds_only_organisations_in_scope(city, chair_a, as_user):
    page = as_user(chair_a).get(reverse("members:organisation_tree"), {"q": "公司"}).content
    assert "甲公司工会委员会" in page.decode()
    assert "乙公司" not in page.decode()


def test_a_chair_reads_their_union_but_another_unions_page_is_404(city, chair_a, as_user):
    client = as_user(chair_a)
    assert client.get(city.union_a.get_absolute_url()).status_code == 200
    response = client.get(city.union_b.get_absolute_url())
    assert response.status_code == 404
    assert "乙公司" not in response.content.decode()


def test_a_chair_cannot_edit_their_own_union_record(city, chair_a, as_user):
    url = reverse("members:organisation_update", args=[city.union_a.pk])
    assert as_user(chair_a).get(url).status_code == 403


def test_a_county_officer_adds_a_union_under_the_county(city, county_user, as_user):
    client = as_user(county_user)
    url = reverse("members:organisation_create") + f"?parent={city.county_a.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "parent": city.county_a.pk,
            "kind": OrgKind.GRASSROOTS,
            "name": "丙公司工会委员会",
            "employees": 50,
            "migrant_employees": 10,
            "region_code": "420502",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="丙公司工会委员会")
    assert org.get_parent() == city.county_a


def test_adding_under_another_county_is_404(city, county_user, as_user):
    url = reverse("members:organisation_create") + f"?parent={city.county_b.pk}"
    assert as_user(county_user).get(url).status_code == 404


def test_a_bad_code_is_shown_on_the_form_in_chinese(city, county_user, as_user):
    url = reverse("members:organisation_create") + f"?parent={city.county_a.pk}"
    response = as_user(county_user).post(
        url,
        {
            "parent": city.county_a.pk,
            "kind": OrgKind.GRASSROOTS,
            "name": "丁公司工会",
            "uscc": "81420502MA00000019",
            "employees": 5,
            "migrant_employees": 9,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "校验" in page  # the check character message
    assert not Organisation.objects.filter(name="丁公司工会").exists()


def test_an_edit_based_on_a_stale_version_is_refused(city, county_user, as_user):
    client = as_user(county_user)
    url = reverse("members:organisation_update", args=[city.union_a.pk])
    data = {
        "name": "甲公司工会（新）",
        "employees": 100,
        "migrant_employees": 20,
        "region_code": "420502",
        "uscc": city.union_a.uscc,
        "version": 0,
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "name": "甲公司工会（旧）"})
    assert response.status_code == 200
    assert Organisation.objects.get(pk=city.union_a.pk).name == "甲公司工会（新）"


def test_a_county_officer_moves_a_branch_within_the_county(city, county_user, as_user):
    other = Organisation.objects.get(pk=city.union_a.pk).add_child(
        kind=OrgKind.BRANCH, name="甲公司二车间分会"
    )
    union_c = Organisation.objects.get(pk=city.county_a.pk).add_child(
        kind=OrgKind.GRASSROOTS, name="丙公司工会"
    )
    url = reverse("members:organisation_move", args=[other.pk])
    response = as_user(county_user).post(url, {"parent": union_c.pk})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=other.pk).get_parent() == union_c


def test_moving_into_another_county_is_refused_on_the_form(city, county_user, as_user):
    url = reverse("members:organisation_move", args=[city.branch_a.pk])
    response = as_user(county_user).post(url, {"parent": city.union_b.pk})
    assert response.status_code == 200
    assert Organisation.objects.get(pk=city.branch_a.pk).get_parent() == city.union_a


def test_dissolving_through_the_page(city, county_user, as_user):
    url = reverse("members:organisation_dissolve", args=[city.branch_a.pk])
    response = as_user(county_user).post(url, {"on": "2026-11-01", "reason": "车间撤销"})
    assert response.status_code == 302
    assert not Organisation.objects.get(pk=city.branch_a.pk).active


def test_dissolve_refusal_is_shown_on_the_form(city, county_user, as_user):
    url = reverse("members:organisation_dissolve", args=[city.union_a.pk])
    response = as_user(county_user).post(url, {"on": "2026-11-01", "reason": "企业关闭"})
    assert response.status_code == 200
    assert Organisation.objects.get(pk=city.union_a.pk).active


@pytest.mark.parametrize(
    "name", ["organisation_update", "organisation_move", "organisation_dissolve"]
)
def test_managing_pages_are_403_for_federation_staff(city, staff_user, as_user, name):
    assert (
        as_user(staff_user).get(reverse(f"members:{name}", args=[city.union_a.pk])).status_code
        == 403
    )


def test_the_dashboard_counts_organisations_by_kind_in_scope(city, county_user, as_user):
    page = as_user(county_user).get(reverse("dashboard")).content.decode()
    assert "基层工会" in page
    assert 'data-testid="org-counts"' in page
