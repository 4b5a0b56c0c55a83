"""Building spreadsheets for the import and export tests."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from members.spreadsheets import IMPORT_COLUMNS
from tests.factories import make_resident_id
from unionportal.core.models import FileJob

HEADERS = [c.header for c in IMPORT_COLUMNS]
FIELDS = [c.field for c in IMPORT_COLUMNS]


def person(n: int, **overrides) -> dict:
    """A good row: a distinct valid resident ID per n (born 1960-1999, so never clashing with
    the factories' members born 1970-1999 on the 15th: these are born on the 3rd)."""
    born = date(1960 + n // 2000 % 40, 1 + n // 500 % 4 * 3, 3)
    row = {
        "name": f"导入会员{n}",
        "resident_id": make_resident_id(n % 500, born=born, region="420503"),
        "phone": f"139{n:08d}",
        "education": "本科",
        "employment_type": "固定期限合同",
        "is_migrant": "否",
        "is_frontline": "是",
        "is_manager": "否",
        "joined_on": date(2023, 5, 1),
        "status": "正常",
        "wage_base": Decimal("4567.89"),
        "organisation": "",
    }
    row.update(overrides)
    return row


def workbook_bytes(rows: list[dict], headers: list[str] | None = None, text_cells=()) -> bytes:
    """An .xlsx with the template's headers (or `headers`) and one row per dict. Strings that
    start with '=' become formulas, as in Excel; `text_cells` lists (row index, field) pairs
    to keep as plain text instead."""
    wb = Workbook()
    ws = wb.active
    headers = headers or HEADERS
    ws.append(headers)
    by_header = {c.header: c.field for c in IMPORT_COLUMNS}
    for i, row in enumerate(rows):
        values = [row.get(by_header.get(h, h), "") for h in headers]
        ws.append([None if v == "" else v for v in values])
        for j, h in enumerate(headers):
            if (i, by_header.get(h, h)) in text_cells:
                ws.cell(row=i + 2, column=j + 1).data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "members.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(
            z.read(n).decode() for n in z.namelist() if re.match(r"xl/(worksheets/|shared)", n)
        )


def replace_in_zip(content: bytes, part: str, transform) -> bytes:
    """Rewrite one part of an .xlsx (to craft hostile files)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                data = transform(data)
            dst.writestr(item.filename, data)
    return out.getvalue()


@pytest.fixture
def private_storage(settings, tmp_path):
    """Job files go to a temporary private folder for the test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    return tmp_path / "private"


# --- Uploading and committing through the views -------------------------------------------

UPLOAD = reverse("members:import_upload")


def post_file(client, union, content: bytes, name: str = "members.xlsx"):
    return client.post(UPLOAD, {"union": union.pk, "file": upload(content, name)})


def check_and_commit(client, union, content: bytes) -> FileJob:
    response = post_file(client, union, content)
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = FileJob.objects.latest("pk")
    client.post(reverse("members:import_commit", args=[job.pk]))
    job.refresh_from_db()
    return job


def errors_of(job: FileJob) -> list[tuple[int, str, str]]:
    return [tuple(e) for e in job.result["errors"]]


def latest_job() -> FileJob:
    return FileJob.objects.latest("pk")
