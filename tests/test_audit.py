"""The audit log: who changed what, from where; readable by the auditor only."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from members.models import Organisation, OrgKind

pytestmark = pytest.mark.django_db


def test_creating_an_organisation_is_logged_with_actor_and_ip(city, county_user, as_user):
    url = reverse("members:organisation_create") + f"?parent={city.county_a.pk}"
    as_user(county_user).post(
        url,
        {
            "parent": city.county_a.pk,
            "kind": OrgKind.GRASSROOTS,
            "name": "丙公司工会委员会",
            "employees": 10,
            "migrant_employees": 0,
        },
        REMOTE_ADDR="10.1.2.3",
    )
    org = Organisation.objects.get(name="丙公司工会委员会")
    entry = LogEntry.objects.get_for_object(org).get(action=LogEntry.Action.CREATE)
    assert entry.actor == county_user
    assert entry.remote_addr == "10.1.2.3"


def test_moves_role_grants_and_password_resets_are_logged(city, county_user, chair_a, as_user):
    client = as_user(county_user)
    client.post(
        reverse("members:organisation_move", args=[city.branch_a.pk]), {"parent": city.union_a.pk}
    )  # refused: already there, nothing logged
    client.post(reverse("members:account_reset_password", args=[chair_a.pk]))
    events = set(
        LogEntry.objects.filter(actor=county_user).values_list("additional_data__event", flat=True)
    )
    assert "account.password_reset" in events


def test_the_password_hash_never_reaches_the_log(city, county_user, chair_a, as_user):
    as_user(county_user).post(reverse("members:account_reset_password", args=[chair_a.pk]))
    for entry in LogEntry.objects.all():
        assert "password" not in (entry.changes or {})


def test_only_the_auditor_reads_the_audit_log(city, auditor_user, admin_user, chair_a, as_user):
    assert as_user(auditor_user).get(reverse("audit_log")).status_code == 200
    assert as_user(auditor_user).get(reverse("login_log")).status_code == 200
    assert as_user(admin_user).get(reverse("audit_log")).status_code == 403
    assert as_user(chair_a).get(reverse("audit_log")).status_code == 403


def test_the_auditor_cannot_edit_organisations_or_accounts(city, auditor_user, as_user):
    client = as_user(auditor_user)
    assert client.get(reverse("members:account_list")).status_code == 403
    assert client.get(city.union_a.get_absolute_url()).status_code == 404


def test_the_audit_log_filters_by_account(city, auditor_user, county_user, chair_a, as_user):
    as_user(county_user).post(reverse("members:account_reset_password", args=[chair_a.pk]))
    page = as_user(auditor_user).get(reverse("audit_log"), {"actor": "county"}).content.decode()
    assert "account.password_reset" in page
    page = as_user(auditor_user).get(reverse("audit_log"), {"actor": "nobody"}).content.decode()
    assert "account.password_reset" not in page


def test_only_admins_see_job_runs(city, admin_user, staff_user, as_user):
    assert as_user(admin_user).get(reverse("job_runs")).status_code == 200
    assert as_user(staff_user).get(reverse("job_runs")).status_code == 403
