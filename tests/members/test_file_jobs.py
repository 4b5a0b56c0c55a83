"""我的导出与导入: a person's own jobs, their progress and files; nobody else's."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Role
from unionportal.core.models import FileJob, JobRun

from .excel_helpers import private_storage  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


def make_job(user, organisation, **fields) -> FileJob:
    defaults = {"kind": "export", "name": "members.export", "params": {"filename": "名册.xlsx"}}
    return FileJob.objects.create(
        created_by=user, organisation=organisation, **{**defaults, **fields}
    )


def finished_export(user, organisation) -> FileJob:
    job = make_job(user, organisation, status="done", total=3, done=3)
    job.file.save("x.xlsx", ContentFile(b"PK fake workbook"), save=True)
    return job


def test_the_list_shows_only_my_own_jobs(city, chair_a, officer_a, as_user):
    mine = make_job(chair_a, city.union_a)
    theirs = make_job(officer_a, city.union_a)
    page = as_user(chair_a).get(reverse("members:job_list")).content.decode()
    assert reverse("members:job_detail", args=[mine.pk]) in page
    assert reverse("members:job_detail", args=[theirs.pk]) not in page


def test_the_list_costs_the_same_queries_for_few_and_many_jobs(
    city, chair_a, as_user, django_assert_max_num_queries
):
    client = as_user(chair_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("members:job_list")).status_code == 200
        return len(ctx)

    for _ in range(2):
        make_job(chair_a, city.union_a)
    few = count()
    for _ in range(20):
        make_job(chair_a, city.branch_a, kind="import", name="members.import")
    assert count() == few
    with django_assert_max_num_queries(12):
        client.get(reverse("members:job_list"))


@pytest.mark.parametrize("name", ["job_detail", "job_status", "job_download"])
def test_a_job_is_404_for_everyone_but_its_creator(
    city, chair_a, officer_a, chair_b, admin_user, as_user, name
):
    job = finished_export(chair_a, city.union_a)
    url = reverse(f"members:{name}", args=[job.pk])
    assert as_user(chair_a).get(url).status_code == 200
    for other in (officer_a, chair_b, admin_user):
        assert as_user(other).get(url).status_code == 404


def test_a_revoked_role_hides_the_jobs_made_under_it(city, chair_a, as_user):
    job = finished_export(chair_a, city.union_a)
    Role.objects.filter(user=chair_a).delete()
    assert as_user(chair_a).get(reverse("members:job_download", args=[job.pk])).status_code == 404


def test_the_status_is_small_json_without_personal_data(city, chair_a, as_user):
    job = make_job(chair_a, city.union_a, status="running", total=98000, done=12400)
    response = as_user(chair_a).get(reverse("members:job_status", args=[job.pk]))
    data = response.json()
    assert data["percent"] == 12 and data["done"] == 12400 and not data["finished"]
    assert "12,400" in data["message"] and "98,000" in data["message"]
    assert set(data) == {
        "status",
        "stage",
        "done",
        "total",
        "percent",
        "finished",
        "message",
        "url",
    }
    assert "no-store" in response["Cache-Control"]


def test_the_progress_page_uses_a_script_file_and_no_inline_style(city, chair_a, as_user):
    job = make_job(chair_a, city.union_a, status="running", total=10, done=4)
    page = as_user(chair_a).get(reverse("members:job_detail", args=[job.pk])).content.decode()
    assert "data-job-poll" in page and "js/jobs.js" in page
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_a_download_is_offered_only_for_a_finished_export(city, chair_a, as_user):
    client = as_user(chair_a)
    running = make_job(chair_a, city.union_a, status="running")
    assert client.get(reverse("members:job_download", args=[running.pk])).status_code == 404
    imported = make_job(chair_a, city.union_a, kind="import", name="members.import", status="done")
    assert client.get(reverse("members:job_download", args=[imported.pk])).status_code == 404
    done = finished_export(chair_a, city.union_a)
    response = client.get(reverse("members:job_download", args=[done.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="download.xlsx"')
    assert b"".join(response.streaming_content) == b"PK fake workbook"


def test_a_sensitive_file_needs_the_capability_still(city, admin_user, as_user):
    job = finished_export(admin_user, city.union_a)
    job.params = {"full_fields": ["resident_id"]}
    job.save()
    client = as_user(admin_user)
    assert client.get(reverse("members:job_download", args=[job.pk])).status_code == 200
    Role.objects.filter(user=admin_user).update(role="federation_staff")
    client = as_user(admin_user)
    assert client.get(reverse("members:job_download", args=[job.pk])).status_code == 403


def test_the_daily_cleanup_deletes_expired_files_and_fails_stuck_jobs_and_runs(
    city, chair_a, as_user
):
    now = timezone.now()
    old_export = finished_export(chair_a, city.union_a)
    new_export = finished_export(chair_a, city.union_a)
    old_upload = make_job(
        chair_a,
        city.union_a,
        kind="import",
        name="members.import",
        result={"rows": 1, "preview": [{"row": 2, "cells": ["张三"], "bad": []}]},
    )
    old_upload.file.save("u.xlsx", ContentFile(b"PK ids in clear"), save=True)
    stuck = make_job(chair_a, city.union_a, status="running")
    FileJob.objects.filter(pk=old_export.pk).update(created_at=now - timedelta(days=8))
    FileJob.objects.filter(pk__in=[old_upload.pk, stuck.pk]).update(
        created_at=now - timedelta(days=2)
    )
    old_path = Path(old_upload.file.path)
    lost_run = JobRun.objects.create(task="rollup_dues", started_at=now - timedelta(hours=4))
    live_run = JobRun.objects.create(task="rollup_dues", started_at=now - timedelta(minutes=5))

    call_command("cleanup_file_jobs")

    for job in (old_export, new_export, old_upload, stuck):
        job.refresh_from_db()
    assert not old_export.file and not old_upload.file and not old_path.exists()
    assert old_upload.result == {"rows": 1}  # the names in the preview are gone too
    assert new_export.file
    assert stuck.status == FileJob.Status.FAILED
    # A run its lost worker left open is failed; one that may still be running is not.
    lost_run.refresh_from_db()
    live_run.refresh_from_db()
    assert lost_run.status == JobRun.Status.FAILED and lost_run.finished_at is not None
    assert live_run.status == JobRun.Status.RUNNING
    client = as_user(chair_a)
    assert client.get(reverse("members:job_download", args=[old_export.pk])).status_code == 404
    page = client.get(reverse("members:job_detail", args=[old_export.pk])).content.decode()
    assert 'data-testid="file-expired"' in page
    assert JobRun.objects.filter(task="cleanup_file_jobs").exists()
    call_command("cleanup_file_jobs")  # idempotent
    new_export.refresh_from_db()
    assert new_export.file


def test_the_to_do_provider_counts_imports_waiting_for_confirmation(city, chair_a, officer_a):
    from members.todo import imports_to_confirm

    ready = make_job(
        chair_a,
        city.union_a,
        kind="import",
        name="members.import",
        params={"stage": "checked"},
        result={"bad_rows": 0},
    )
    ready.file.save("u.xlsx", ContentFile(b"PK"), save=True)
    make_job(
        chair_a,
        city.union_a,
        kind="import",
        name="members.import",
        params={"stage": "checked"},
        result={"bad_rows": 2},
    )
    [item] = imports_to_confirm(chair_a)
    assert item.count == 1 and item.url == reverse("members:job_list")
    assert imports_to_confirm(officer_a)[0].count == 0


def test_the_dashboard_lists_an_import_waiting_for_confirmation(city, chair_a, as_user):
    job = make_job(
        chair_a,
        city.union_a,
        kind="import",
        name="members.import",
        params={"stage": "checked"},
        result={"bad_rows": 0},
    )
    job.file.save("u.xlsx", ContentFile(b"PK"), save=True)
    page = as_user(chair_a).get(reverse("dashboard")).content.decode()
    assert reverse("members:job_list") in page


def test_a_finished_job_says_what_it_did(city, chair_a, as_user):
    """Issue 20 item 6: "已导出 19,972 名会员", not a bare count of rows."""
    client = as_user(chair_a)
    export = make_job(chair_a, city.union_a, status="done", total=19972, done=19972)
    page = client.get(reverse("members:job_detail", args=[export.pk])).content.decode()
    assert "已导出 19,972 名会员" in page
    imported = make_job(
        chair_a, city.union_a, kind="import", name="members.import", status="done", done=12
    )
    page = client.get(reverse("members:job_detail", args=[imported.pk])).content.decode()
    assert "已导入 12 名会员" in page
