"""The organisation tree: where each kind may sit, moves and dissolving."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from members import services
from members.models import FederationLevel, MemberStatus, Organisation, OrgKind

from ..factories import MemberFactory, make_uscc

pytestmark = pytest.mark.django_db


def create(parent, kind, n, **extra):
    return services.organisation_create(
        actor=None,
        parent=parent,
        kind=kind,
        name=f"单位{n}",
        uscc=make_uscc("81", 9000 + n),
        **extra,
    )


@pytest.mark.parametrize(
    "kind,parent_attr,allowed",
    [
        (OrgKind.GRASSROOTS, "county_a", True),
        (OrgKind.GRASSROOTS, "city", True),
        (OrgKind.BRANCH, "union_a", True),
        (OrgKind.BRANCH, "county_a", False),
        (OrgKind.GROUP, "branch_a", True),
        (OrgKind.GROUP, "county_a", False),
        (OrgKind.INDUSTRY_UNION, "city", True),
        (OrgKind.INDUSTRY_UNION, "union_a", False),
        (OrgKind.TOWNSHIP_UNION, "county_a", True),
        (OrgKind.TOWNSHIP_UNION, "city", False),
        (OrgKind.PARK_UNION, "city", True),
        (OrgKind.GRASSROOTS, "branch_a", False),
    ],
)
def test_each_kind_sits_only_where_the_tree_table_allows(city, kind, parent_attr, allowed):
    parent = getattr(city, parent_attr)
    if allowed:
        org = create(parent, kind, 1)
        assert org.get_parent() == parent
    else:
        with pytest.raises(ValidationError) as exc:
            create(parent, kind, 1)
        assert "parent" in exc.value.message_dict


def test_a_county_federation_sits_under_the_city_only(city):
    county = create(city.city, OrgKind.FEDERATION, 1, level=FederationLevel.COUNTY)
    assert county.depth == 2
    with pytest.raises(ValidationError):
        create(county, OrgKind.FEDERATION, 2, level=FederationLevel.COUNTY)


def test_there_is_one_city_at_the_top(city):
    with pytest.raises(ValidationError):
        services.organisation_create(
            actor=None,
            parent=None,
            kind=OrgKind.FEDERATION,
            level=FederationLevel.CITY,
            name="第二个市总",
        )


def test_a_term_longer_than_five_years_is_refused(city):
    with pytest.raises(ValidationError) as exc:
        create(
            city.county_a,
            OrgKind.GRASSROOTS,
            1,
            term_start=date(2020, 1, 1),
            term_end=date(2027, 1, 1),
        )
    assert "term_end" in exc.value.message_dict


def test_a_union_code_must_be_unique(city):
    with pytest.raises(ValidationError):
        services.organisation_create(
            actor=None,
            parent=city.county_a,
            kind=OrgKind.GRASSROOTS,
            name="重复",
            uscc=city.union_a.uscc,
        )


def test_moving_a_union_moves_its_branches_and_members(city):
    member = MemberFactory(organisation=city.branch_a)
    services.organisation_move(actor=None, organisation=city.union_a, new_parent=city.county_b)
    union = Organisation.objects.get(pk=city.union_a.pk)
    branch = Organisation.objects.get(pk=city.branch_a.pk)
    assert union.get_parent() == city.county_b
    assert branch.get_parent() == union
    member.refresh_from_db()
    assert member.organisation.path.startswith(Organisation.objects.get(pk=city.county_b.pk).path)


def test_a_union_cannot_move_under_its_own_branch(city):
    with pytest.raises(ValidationError):
        services.organisation_move(actor=None, organisation=city.county_a, new_parent=city.union_a)


def test_a_branch_cannot_move_under_a_county(city):
    with pytest.raises(ValidationError):
        services.organisation_move(actor=None, organisation=city.branch_a, new_parent=city.county_b)


def test_dissolving_needs_no_current_members_and_keeps_the_row(city):
    member = MemberFactory(organisation=city.branch_b)
    with pytest.raises(ValidationError, match="1"):
        services.organisation_dissolve(
            actor=None, organisation=city.branch_b, on=date(2026, 11, 1), reason="车间撤销"
        )
    member.status = MemberStatus.TRANSFERRED_OUT
    member.save()
    org = services.organisation_dissolve(
        actor=None, organisation=city.branch_b, on=date(2026, 11, 1), reason="车间撤销"
    )
    assert org.active is False
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_dissolving_a_union_with_active_branches_is_refused(city):
    with pytest.raises(ValidationError):
        services.organisation_dissolve(
            actor=None, organisation=city.union_b, on=date(2026, 11, 1), reason="企业关闭"
        )


def test_dissolving_ends_the_officers_roles(city, chair_b):
    services.organisation_dissolve(
        actor=None, organisation=city.branch_b, on=date(2026, 11, 1), reason="车间撤销"
    )
    services.organisation_dissolve(
        actor=None, organisation=city.union_b, on=date(2026, 11, 1), reason="企业关闭"
    )
    assert not chair_b.roles.current().exists()
