"""The audit log: who changed what, from where; readable by the auditor only."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

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


def test_a_forged_forwarded_for_header_does_not_reach_the_audit_trail(city, county_user, as_user):
    """The portal trusts no proxy (PROXY_COUNT=0): X-Forwarded-For is the client's own word,
    so the audit row keeps the address the connection came from, as the lockout does."""
    url = reverse("members:organisation_create") + f"?parent={city.county_a.pk}"
    as_user(county_user).post(
        url,
        {
            "parent": city.county_a.pk,
            "kind": OrgKind.GRASSROOTS,
            "name": "丁公司工会",
            "employees": 10,
            "migrant_employees": 0,
        },
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="7.7.7.7",
        HTTP_X_FORWARDED_PORT="4444",
    )
    org = Organisation.objects.get(name="丁公司工会")
    entry = LogEntry.objects.get_for_object(org).get(action=LogEntry.Action.CREATE)
    assert entry.remote_addr == "10.1.2.3"
    assert entry.remote_port is None


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
    assert "密码已重置" in page and "account.password_reset" not in page  # its Chinese name
    page = as_user(auditor_user).get(reverse("audit_log"), {"actor": "nobody"}).content.decode()
    assert "密码已重置" not in page


def test_only_admins_see_job_runs(city, admin_user, staff_user, as_user):
    assert as_user(admin_user).get(reverse("job_runs")).status_code == 200
    assert as_user(staff_user).get(reverse("job_runs")).status_code == 403


# --- Retention: at least 180 days (security.md G3, 网络安全法 §21) ---------------------------


def test_audit_rows_of_181_days_and_of_yesterday_survive_the_cleanup_and_the_export(
    settings, tmp_path
):
    from axes.models import AccessFailureLog, AccessLog
    from django.contrib.contenttypes.models import ContentType

    from unionportal.core.audit_export import export_audit_rows
    from unionportal.core.jobs import file_jobs_cleanup
    from unionportal.core.models import JobRun

    settings.AUDIT_EXPORT_DIR = tmp_path
    now = timezone.now()
    kept = {LogEntry: [], AccessLog: [], AccessFailureLog: []}
    for days in (181, 1):
        when = now - timedelta(days=days)
        kept[LogEntry].append(
            LogEntry.objects.create(
                content_type=ContentType.objects.get_for_model(JobRun),
                object_pk="1",
                object_repr="old",
                action=LogEntry.Action.ACCESS,
                timestamp=when,
            ).pk
        )
        for model in (AccessLog, AccessFailureLog):
            row = model.objects.create(username="chair_a", http_accept="*/*", path_info="/")
            model.objects.filter(pk=row.pk).update(attempt_time=when)
            kept[model].append(row.pk)
    file_jobs_cleanup(now=now)
    export = export_audit_rows(now=now)
    file_jobs_cleanup(now=now + timedelta(days=30))
    for model, pks in kept.items():
        assert sorted(model.objects.values_list("pk", flat=True)) == sorted(pks), model
    assert export.lines == 6


def test_axes_keeps_every_failure_record_of_a_username(client):
    """axes would delete a username's failure records beyond 1000 at the next failure."""
    from axes.models import AccessFailureLog

    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(
            username="chair_a", ip_address="10.9.9.9", http_accept="*/*", path_info="/login/"
        )
        for _ in range(1000)
    )
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(days=10))
    client.post(reverse("login"), {"username": "chair_a", "password": "Wrong-pass-1234"})
    assert AccessFailureLog.objects.filter(username="chair_a").count() == 1001


def test_member_create_edit_status_and_transfer_are_audited_with_the_id_and_phone_masked(
    city, chair_a, chair_b
):
    """security.md G1: member writes leave before/after rows; the resident ID appears only
    masked (never its cipher or blind index) and the phone as the pages mask it."""
    from members import services
    from members.models import MemberStatus, Transfer
    from tests.factories import MemberFactory

    member = MemberFactory(organisation=city.union_a, phone="13812345678")
    rows = LogEntry.objects.get_for_object(member)
    created = rows.get(action=LogEntry.Action.CREATE)
    text = str(created.changes)
    assert member.resident_id not in text and member.resident_id_index not in text
    assert member.resident_id_cipher not in text
    assert "13812345678" not in text and "138****5678" in text
    assert member.resident_id_masked in text

    member.phone = "13900001111"
    member.save()
    edit = rows.filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert edit.changes["phone"] == ["138****5678", "139****1111"]

    services.member_change_status(
        actor=chair_a, member=member, to_status=MemberStatus.WITHDRAWN, reason="本人申请"
    )
    status = rows.filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert status.changes["status"] == ["active", "withdrawn"]

    other = MemberFactory(organisation=city.union_a)
    transfer = services.transfer_request(
        actor=chair_a, member=other, to_organisation=city.union_b, reason="调动"
    )
    services.transfer_accept(actor=chair_b, transfer=transfer)
    assert LogEntry.objects.get_for_object(transfer).filter(action=LogEntry.Action.CREATE)
    moved = LogEntry.objects.get_for_object(other).filter(action=LogEntry.Action.UPDATE)
    assert any("organisation" in e.changes for e in moved)
    assert Transfer.objects.filter(pk=transfer.pk).exists()


@pytest.mark.parametrize(
    "name, event",
    [
        ("welfare:relief_export", "welfare.relief_export"),
        ("welfare:visit_export", "welfare.visit_export"),
        ("welfare:campaign_export", "welfare.campaign_export"),
        ("competitions:honour_list", "competition.honours_export"),
    ],
)
def test_the_welfare_and_competitions_exports_are_audited(city, staff_user, as_user, name, event):
    """security.md G1: each export writes one row with who, how many rows and which file."""
    params = {"format": "xlsx"} if name == "competitions:honour_list" else {}
    response = as_user(staff_user).get(reverse(name), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = LogEntry.objects.get(additional_data__event=event)
    assert entry.actor == staff_user and entry.additional_data["rows"] == 0
    assert entry.additional_data["filename"].endswith(".xlsx")


def test_a_competitions_results_export_is_audited(city, staff_user, as_user):
    from tests.competitions.helpers import make_competition

    competition = make_competition(city.city, status="published")
    response = as_user(staff_user).get(
        reverse("competitions:competition_export", args=[competition.pk])
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get(additional_data__event="competition.results_export")
    assert entry.additional_data["competition"] == competition.pk


def test_a_chairs_request_for_another_unions_record_is_audited_and_limited(
    city, chair_a, as_user, monkeypatch
):
    """security.md G1: the 404 a chair gets for another union's member writes one row (user,
    path, status); walking ids writes at most REFUSALS_AUDITED rows and one saying so."""
    from django.core.cache import cache

    from tests.factories import MemberFactory
    from unionportal import views

    cache.clear()
    monkeypatch.setattr(views, "REFUSALS_AUDITED", 3)
    theirs = MemberFactory(organisation=city.union_b)
    client = as_user(chair_a)
    url = reverse("members:member_detail", args=[theirs.pk])
    assert client.get(url + "?q=110105194912310021").status_code == 404
    entry = LogEntry.objects.get(additional_data__event="access.refused")
    assert entry.actor == chair_a
    assert entry.additional_data["status"] == 404
    assert entry.additional_data["path"] == url  # never the query string
    for _ in range(6):
        client.get(url)
    assert LogEntry.objects.filter(additional_data__event="access.refused").count() == 3
    assert LogEntry.objects.filter(additional_data__event="access.refused_limit").count() == 1
