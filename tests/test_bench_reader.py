"""The bench's formula scan over the sheet XML (what an importer reading with python-calamine,
which returns cached values only, needs to find formulas)."""

import io

from openpyxl import Workbook

from unionportal.bench.excel import formula_cells


def _book(*rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_formulas_are_found_in_the_sheet_xml():
    assert formula_cells(_book(["姓名", "=1+1"], ["张三", "=SUM(A1:A2)"])) == 2


def test_text_that_looks_like_a_formula_tag_is_not_one():
    assert formula_cells(_book(["<f>", "f t=", "张三"])) == 0
