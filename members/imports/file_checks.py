"""The checks of the uploaded file: its limits, the member sheet and its header row (the
zip, XML and formula checks are unionportal.core.excel's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from unionportal.core.excel import XlsxBook, XlsxSheet, inspect_xlsx, read_xlsx

from ..spreadsheets import (
    IMPORT_COLUMNS,
    ImportColumn,
    header_key,
)

MAX_ROWS = 100_000
INLINE_ROWS = 2_000  # larger files are checked and imported in a Celery task
MAX_COLUMNS = 60
BATCH = 1_000
LOOKUP_CHUNK = 5_000  # blind indexes per query (SQLite caps the number of parameters)
MAX_STORED_ERRORS = 1_000
PREVIEW_ROWS = 100
MAX_PREVIEW_BAD_ROWS = 200
KEEP_DISPLAY_ROWS = 2_000
PROGRESS_EVERY = 500
TEMPLATE_SHEET = "会员名单"

Progress = Callable[[int, int], None]


# --- The file's layout ----------------------------------------------------------------------


@dataclass
class Layout:
    """Which spreadsheet column holds which field, and how many rows the file says it has."""

    columns: dict[int, ImportColumn]  # 0-based column index -> column
    width: int
    estimated_rows: int | None  # below the header, to the sheet's last row; None when empty


def _file_error(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def read_layout(fileobj: IO[bytes]) -> Layout:
    """Check the upload (unionportal.core.excel.inspect_xlsx) and its header row. Raises a
    ValidationError naming missing, unknown or repeated headers."""
    inspect_xlsx(fileobj)
    book = read_xlsx(fileobj)
    try:
        sheet = _member_sheet(book)
        return _sheet_layout(book.rows(sheet), book.last_row(sheet))
    finally:
        book.close()
        fileobj.seek(0)


def _member_sheet(book: XlsxBook) -> XlsxSheet:
    """The template's sheet when it is there, else the first visible one: a hidden sheet is
    never imported unseen."""
    for sheet in book.sheets:
        if sheet.name == TEMPLATE_SHEET:
            return sheet
    visible = [sheet for sheet in book.sheets if sheet.visible]
    if not visible:
        raise _file_error(_("The workbook has no visible sheet."), "no_sheet")
    return visible[0]


def _sheet_layout(rows: Iterator[tuple[int, list, dict]], last_row: int | None) -> Layout:
    """The layout from the header row, the first of `rows` (consumed from the iterator)."""
    estimated = (last_row - 1) if last_row else None
    first = next(rows, None)
    header = first[1][:MAX_COLUMNS] if first is not None and first[0] == 1 else []
    by_key = {c.key: c for c in IMPORT_COLUMNS}
    columns: dict[int, ImportColumn] = {}
    unknown, repeated = [], []
    for index, value in enumerate(header):
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        column = by_key.get(header_key(text))
        if column is None:
            unknown.append(text[:30])
        elif column in columns.values():
            repeated.append(text[:30])
        else:
            columns[index] = column
    if not columns:
        raise _file_error(
            _(
                "The first row must hold the column headers of the template (姓名, 身份证号, "
                "...). Download the template and copy the members into it."
            ),
            "no_header",
        )
    problems = []
    missing = [c.header for c in IMPORT_COLUMNS if c.required and c not in columns.values()]
    if missing:
        problems.append(_("Required columns are missing: %(cols)s.") % {"cols": "、".join(missing)})
    if unknown:
        problems.append(
            _("These columns are not in the template: %(cols)s. Delete them or rename them.")
            % {"cols": "、".join(unknown)}
        )
    if repeated:
        problems.append(_("These columns appear twice: %(cols)s.") % {"cols": "、".join(repeated)})
    if problems:
        raise _file_error(" ".join(problems), "headers")
    return Layout(columns=columns, width=max(columns) + 1, estimated_rows=estimated)
