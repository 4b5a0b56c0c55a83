"""Who stands aside and the one trimming rule (competitions.scoring): a judge holding a role
anywhere in the entrant's grassroots union is recused; the highest and the lowest are dropped
wherever 5 or more judges' totals count, whatever recusal leaves."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions import scoring, services
from competitions.models import Judge
from members.models import Organisation, OrgKind, RoleName
from tests.factories import OrganisationFactory, RoleFactory, UserFactory

from .helpers import D, add_entry, judges, make_competition, score_all

pytestmark = pytest.mark.django_db

ONE = [("a", 100, 0, 100)]


def officer_of(org, username="branch_officer", **kw):
    user = UserFactory(username=username)
    RoleFactory(user=user, organisation=org, role=RoleName.BRANCH_OFFICER, **kw)
    return user


def sheet(user, competition):
    judge = Judge.objects.get(competition=competition, user=user)
    return {row["entry"].pk: row["recused"] for row in services.judge_sheet(judge=judge)}


def test_a_branch_officer_stands_aside_for_the_whole_grassroots_union(city):
    """Before: only the branch's own entries were refused; the parent union's were scored."""
    sibling = OrganisationFactory(parent=city.union_a, kind=OrgKind.BRANCH, uscc="", name="二车间")
    group = OrganisationFactory(parent=sibling, kind=OrgKind.GROUP, uscc="", name="一班组")
    officer = officer_of(city.branch_a)
    competition = make_competition(city.city, status="judging", criteria=ONE, judges=[officer])
    parent, own, other_branch, other_group, outside = (
        add_entry(competition, org)
        for org in (city.union_a, city.branch_a, sibling, group, city.union_b)
    )
    assert sheet(officer, competition) == {
        parent.pk: True, own.pk: True, other_branch.pk: True, other_group.pk: True,
        outside.pk: False,
    }  # fmt: skip
    with pytest.raises(ValidationError):
        score_all(competition, {parent: {officer: [80]}})
    score_all(competition, {outside: {officer: [80]}})


def test_an_officer_of_another_unions_branch_is_not_recused(city):
    officer = officer_of(city.branch_b)
    competition = make_competition(city.city, status="judging", criteria=ONE, judges=[officer])
    entry = add_entry(competition, city.branch_a)
    score_all(competition, {entry: {officer: [80]}})
    assert services.standings(competition)["totals"][entry.pk] == D("80.00")


def test_a_role_that_has_ended_does_not_recuse(city):
    former = officer_of(city.branch_a, active_to=date(2025, 12, 31))
    competition = make_competition(city.city, status="judging", criteria=ONE, judges=[former])
    entry = add_entry(competition, city.union_a)
    assert sheet(former, competition) == {entry.pk: False}


def test_an_entrant_above_the_grassroots_recuses_its_own_roles_only(city):
    """A township union holding members itself: its staff stand aside, the chairs of the
    grassroots unions under it do not."""
    township = OrganisationFactory(
        parent=city.county_a, kind=OrgKind.TOWNSHIP_UNION, uscc="", name="小溪塔街道总工会"
    )
    below = OrganisationFactory(parent=township, name="丙公司工会委员会")
    staff, chair = officer_of(township, "township_staff"), officer_of(below, "chair_c")
    # Adding siblings in name order moves paths: read them again.
    township, below, union, branch = (
        Organisation.objects.get(pk=o.pk) for o in (township, below, city.union_a, city.branch_a)
    )
    assert scoring.conflict_units([township, below, branch]) == {
        township.pk: (township.path, False),
        below.pk: (below.path, True),
        branch.pk: (union.path, True),
    }
    competition = make_competition(city.city, status="judging", criteria=ONE, judges=[staff, chair])
    entry = add_entry(competition, township)
    assert (sheet(staff, competition), sheet(chair, competition)) == (
        {entry.pk: True}, {entry.pk: False},
    )  # fmt: skip


# --- One trimming rule ---------------------------------------------------------------------


def test_with_five_judges_the_highest_and_the_lowest_are_dropped(city):
    """Before: a competition trimmed only when its switch was on (off by default): 70.00."""
    j = judges(5)
    competition = make_competition(city.city, status="judging", criteria=ONE, judges=j)
    entry = add_entry(competition, city.union_a)
    score_all(competition, {entry: dict(zip(j, [[10], [70], [80], [90], [100]], strict=True))})
    assert services.standings(competition)["totals"][entry.pk] == D("80.00")


def test_with_four_judges_all_are_averaged(city):
    j = judges(4)
    competition = make_competition(city.city, status="judging", criteria=ONE, judges=j)
    entry = add_entry(competition, city.union_a)
    score_all(competition, {entry: dict(zip(j, [[10], [70], [80], [100]], strict=True))})
    assert services.standings(competition)["totals"][entry.pk] == D("65.00")


@pytest.mark.parametrize(
    ("others", "total"),
    [
        # A branch officer and 5 judges: 5 count for union A's entry, trimmed (plain: 70.00).
        ([[10], [70], [80], [90], [100]], "80.00"),
        # A branch officer and 4 judges: 4 count, all averaged (trimmed: 75.00).
        ([[10], [70], [80], [100]], "65.00"),
    ],
)
def test_the_rule_counts_the_judges_left_after_recusal(city, others, total):
    officer, panel = officer_of(city.branch_a), judges(len(others))
    competition = make_competition(
        city.city, status="judging", criteria=ONE, judges=[officer, *panel]
    )
    entry = add_entry(competition, city.union_a)
    score_all(competition, {entry: dict(zip(panel, others, strict=True))})
    table = services.standings(competition)
    assert (table["missing"], table["totals"][entry.pk]) == (0, D(total))


def test_the_results_page_states_the_rule_in_chinese(city, as_user, staff_user, chair_a):
    officer = officer_of(city.branch_a)
    competition = make_competition(city.city, status="judging", criteria=ONE, judges=[officer])
    entry = add_entry(competition, city.union_b)
    score_all(competition, {entry: {officer: [80]}})
    services.competition_publish(actor=staff_user, competition=competition)
    for user in (staff_user, chair_a):
        page = as_user(user).get(reverse("competitions:competition_detail", args=[competition.pk]))
        content = page.content.decode()
        assert page.status_code == 200
        assert "去掉一个最高分和一个最低分" in content and "四舍五入保留两位小数" in content
        assert "How the total" not in content
