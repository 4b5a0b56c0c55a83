from datetime import date

import pytest

from members.models import RoleName
from tests.factories import MemberFactory, RoleFactory, UserFactory
from welfare import demo
from welfare.models import Campaign, CondolenceVisit, HardshipFile, ReliefApplication

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_category_and_campaign_and_runs_once(
    city, admin_user, staff_user, county_user
):
    chair = UserFactory(username="chair", organisation=city.union_a)
    RoleFactory(user=chair, organisation=city.union_a, role=RoleName.BRANCH_CHAIR)
    for _ in range(16):
        MemberFactory(organisation=city.union_a)
    made = demo.seed(date(2026, 11, 24))
    assert made > 20
    assert demo.seed(date(2026, 11, 24)) == 0
    assert set(ReliefApplication.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "reviewed",
        "on_notice",
        "approved",
        "rejected",
        "paid",
    }
    assert set(HardshipFile.objects.values_list("category", flat=True)) == {
        "deep",
        "relative",
        "accidental",
    }
    assert set(Campaign.objects.values_list("kind", flat=True)) == {"winter", "education", "summer"}
    assert CondolenceVisit.objects.count() == 7
