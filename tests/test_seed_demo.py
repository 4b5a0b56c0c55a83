import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from members.models import Organisation, OrgKind, User

pytestmark = pytest.mark.django_db


def counts():
    # JobRun rows are the log of each run (seed_demo reruns the idempotent rollups), not data.
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "members",
            "welfare",
            "congress",
            "competitions",
            "rights",
            "assessment",
            "reporting",
            "unionportal",
        }
        and m._meta.label != "unionportal.JobRun"
    }


def test_seed_demo_twice_gives_the_same_count_for_every_model_and_a_city_like_the_seed():
    # DEBUG is off in the suite, as in production: the demo needs the explicit flag.
    call_command("seed_demo", "--allow-demo-passwords", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", "--allow-demo-passwords", stdout=open("/dev/null", "w"))
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

    # security.md B4: made with DEBUG off, every demo account must change the published
    # password at its first login.
    assert not User.objects.filter(username__in=DEMO, must_change_password=False).exists()
    client = Client()
    client.post(reverse("login"), {"username": "admin", "password": settings.DEMO_PASSWORD})
    assert client.get(reverse("dashboard"))["Location"] == reverse("password_change")


DEMO = ["admin", "staff", "auditor", "county", "chair", "chair2", "officer"]


def test_seed_demo_refuses_the_published_password_with_debug_off():
    """security.md B4: no account with a published password unless asked for."""
    assert not settings.DEBUG
    with pytest.raises(CommandError, match="--allow-demo-passwords"):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_a_demo_account_still_on_the_published_password_must_change_it(settings):
    from members import demo

    settings.DEBUG = True
    made = demo.seed_organisations()
    demo.seed_users(made)
    assert not User.objects.filter(username__in=DEMO, must_change_password=True).exists()
    changed = User.objects.get(username="chair")
    changed.set_password("Another-Pass-2026!")
    changed.save()
    settings.DEBUG = False
    demo.seed_users(made)
    assert set(
        User.objects.filter(must_change_password=True).values_list("username", flat=True)
    ) == (set(DEMO) - {"chair"})
