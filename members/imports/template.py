"""The downloadable import template, with an example row and the notes sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from ..spreadsheets import (
    EXAMPLE_MARK,
    IMPORT_COLUMNS,
    NO,
    YES,
)
from .file_checks import MAX_ROWS, TEMPLATE_SHEET

# --- The template -----------------------------------------------------------------------------

EXAMPLE_ROW = {
    "name": f"{EXAMPLE_MARK}：张三（本行为示例，导入时自动跳过）",
    "resident_id": "11010519491231002X",
    "phone": "13800000000",
    "education": "本科",
    "employment_type": "固定期限劳动合同",
    "is_migrant": NO,
    "is_frontline": YES,
    "is_manager": NO,
    "joined_on": date(2024, 3, 1),
    "status": "正常",
    "wage_base": Decimal("4567.89"),
    "organisation": "",
}
NOTES_SHEET = "填写说明"


def build_import_template() -> bytes:
    """The template: Chinese headers, drop-downs for coded columns, one example row (skipped
    on import), ID and phone columns formatted as text, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = TEMPLATE_SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    last = MAX_ROWS + 1
    for i, column in enumerate(IMPORT_COLUMNS, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=column.header)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[letter].width = column.width
        example = ws.cell(row=2, column=i, value=EXAMPLE_ROW[column.field])
        example.font = Font(italic=True, color="808080")
        if column.kind in ("id", "phone", "text", "org"):
            example.number_format = "@"
            ws.column_dimensions[letter].number_format = "@"
        elif column.kind == "date":
            example.number_format = "yyyy-mm-dd"
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif column.kind == "money":
            example.number_format = "#,##0.00"
        choices = None
        if column.kind == "choice":
            choices = list(column.choices.values())
        elif column.kind == "bool":
            choices = [YES, NO]
        if choices:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="请从列表中选择",
                error="可选值：" + "、".join(choices),
            )
            rule.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"

    notes = wb.create_sheet(NOTES_SHEET)
    notes.append(["列名", "是否必填", "填写说明"])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for column in IMPORT_COLUMNS:
        notes.append([column.header, "必填" if column.required else "选填", column.note])
    notes.append([])
    for line in (
        "第2行是示例（以“示例”开头），导入时自动跳过，可以保留也可以删除。",
        "请不要修改第1行的列名；列的顺序可以调整，但不能增加其他列。",
        "每个文件最多10万行、不超过5MB。有任何一行出错时不会导入任何数据，请按提示改正后重新上传。",
        "同一个人在全市只能有一个有效会籍：已是其他工会会员的，请通过“会员接转”办理。",
        "不要在单元格中使用公式。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 70
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
