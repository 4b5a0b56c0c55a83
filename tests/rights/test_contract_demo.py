from datetime import date

import pytest

from members.models import RoleName
from members.models.organisations import OrgKind
from rights import contract_demo
from rights.models import CollectiveContract, MediationCase
from tests.factories import OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def test_the_demo_has_every_state_and_runs_once(city, county_user):
    county_user.username = "county"
    county_user.save()
    chair = UserFactory(username="chair", organisation=city.union_a)
    RoleFactory(user=chair, organisation=city.union_a, role=RoleName.BRANCH_CHAIR)
    for n in range(4):
        OrganisationFactory(parent=city.county_a, name=f"演示{n}公司工会")
    town = OrganisationFactory(parent=city.county_a, kind=OrgKind.TOWNSHIP_UNION, name="演示镇工会")
    for n in range(3):
        OrganisationFactory(parent=town, name=f"演示镇{n}厂工会")
    assert contract_demo.seed(TODAY) > 15
    assert contract_demo.seed(TODAY) == 0
    statuses = set(CollectiveContract.objects.values_list("status", flat=True))
    assert statuses == {"negotiating", "signed", "sent", "approved", "no_objection", "objected"}
    assert CollectiveContract.objects.filter(coverage="regional").get().employers.count() == 3
    assert set(MediationCase.objects.values_list("status", flat=True)) == {
        "open",
        "settled",
        "referred",
        "withdrawn",
    }
    from rights import services

    qs = CollectiveContract.objects.all()
    assert services.contracts_to_renew(qs, TODAY).exists()
    assert services.contracts_not_sent(qs, TODAY).exists()
    assert services.contracts_awaiting_outcome(qs, TODAY).exists()
