"""Browser journey in Debian's chromium: a chair imports members from Excel, meets a bad row,
fixes the file and confirms; and a long export's progress bar follows the job."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from tests.members.excel_helpers import (
    person,
    private_storage,  # noqa: F401 (fixture)
    workbook_bytes,
)
from unionportal.core.models import FileJob

from .test_scope_journey import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_storage"),
]


def upload(page: Page, base: str, path) -> None:
    page.goto(f"{base}/members/import/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name=re.compile("Upload and check|上传")).click()


def test_a_chair_imports_members_after_fixing_a_bad_row(
    live_server, page: Page, city, chair_a, password, tmp_path
):
    log_in(page, live_server.url, "chair_a", password)

    page.goto(f"{live_server.url}/members/import/")
    with page.expect_download() as download:
        page.get_by_test_id("import-template").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    rows = [person(n) for n in range(3)]
    bad = tmp_path / "members.xlsx"
    bad.write_bytes(
        workbook_bytes([rows[0], dict(rows[1], resident_id="110105194912310021"), rows[2]])
    )
    upload(page, live_server.url, bad)

    errors = page.get_by_test_id("import-errors")
    expect(errors.locator('[data-row="3"][data-column="身份证号"]')).to_be_visible()
    expect(page.get_by_test_id("bad-cell")).to_have_text("110105********0021")
    expect(page.get_by_test_id("count-bad")).to_have_text("1")
    expect(page.get_by_test_id("import-confirm")).to_be_disabled()

    good = tmp_path / "members-fixed.xlsx"
    good.write_bytes(workbook_bytes(rows))
    upload(page, live_server.url, good)
    expect(page.get_by_test_id("count-good")).to_have_text("3")
    expect(page.get_by_test_id("import-errors")).to_have_count(0)

    page.once("dialog", lambda dialog: dialog.accept())  # the confirm() before importing
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-result")).to_be_visible()
    expect(page.get_by_test_id("import-created")).to_have_text("3")

    # The chair finds the imported members in the register, masked.
    page.get_by_role("link", name=re.compile("会员名册|Member register")).click()
    page.locator("input[name=q]").fill(rows[1]["name"])
    page.locator("input[name=q]").press("Enter")
    table = page.locator("table")
    expect(table).to_contain_text(rows[1]["name"])
    expect(table).to_contain_text(rows[1]["resident_id"][:6] + "********")
    expect(page.locator("body")).not_to_contain_text(rows[1]["resident_id"])


def test_the_progress_bar_follows_a_long_export_and_offers_the_file(
    live_server, page: Page, city, chair_a, password
):
    job = FileJob.objects.create(
        kind="export",
        name="members.export",
        created_by=chair_a,
        organisation=city.union_a,
        status="running",
        total=200,
        done=50,
        params={"filename": "会员名册.xlsx"},
    )
    log_in(page, live_server.url, "chair_a", password)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    bar = page.locator("[data-job-bar]")
    expect(bar).to_have_text("25%")
    FileJob.objects.filter(pk=job.pk).update(done=150)
    expect(bar).to_have_text("75%")
    expect(page.get_by_test_id("job-message")).to_contain_text("150")

    job.file.save("x.xlsx", ContentFile(b"PK"), save=False)
    job.mark(FileJob.Status.DONE, total=200, done=200)
    expect(page.get_by_test_id("job-download")).to_be_visible()  # the page reloaded itself
