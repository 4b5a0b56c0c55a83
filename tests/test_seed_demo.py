import pytest
from django.apps import apps
from django.core.management import call_command

from members.models import Organisation, OrgKind, User

pytestmark = pytest.mark.django_db


def counts():
    # JobRun rows are the log of each run (seed_demo reruns the idempotent rollups), not data.
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"members", "welfare", "congress", "competitions", "reporting", "unionportal"}
        and m._meta.label != "unionportal.JobRun"
    }


def test_seed_demo_twice_gives_the_same_count_for_every_model_and_a_city_like_the_seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    assert Organisation.objects.get(depth=1).name == "宜昌市总工会"
    assert Organisation.objects.filter(kind=OrgKind.FEDERATION, depth=2).count() == 5
    tobacco = Organisation.objects.get(name="宜昌市烟草行业工会")
    assert tobacco.get_children().filter(kind=OrgKind.GRASSROOTS).count() == 8
    grassroots = Organisation.objects.filter(
        kind__in=[OrgKind.GRASSROOTS, OrgKind.JOINT_GRASSROOTS]
    ).count()
    assert 35 <= grassroots <= 45
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "staff",
        "auditor",
        "county",
        "chair",
        "chair2",
        "officer",
    }
    chair, chair2 = User.objects.get(username="chair"), User.objects.get(username="chair2")
    assert chair.roles.get().organisation != chair2.roles.get().organisation
