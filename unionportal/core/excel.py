"""Excel files in and out (architecture.md "Excel", security.md E and F1).

Out: `write_xlsx` puts rows that exporters yield into openpyxl write-only sheets (style.md rule
10): a frozen header row, typed cells (dates as yyyy-mm-dd, money as #,##0.00), column widths,
and every formula-like string written as text.

In: `inspect_xlsx` checks an upload before anything decompresses it (type by content, macros,
encryption, zip-bomb caps); `read_xlsx` then scans every XML part in chunks (a DTD makes the
file unreadable: no entity tricks; formula and error cells are noted by position, since
python-calamine returns cached values only) and only then parses it with python-calamine, about
ten times faster than openpyxl's read-only mode. openpyxl stays the writer.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.styles.cell_style import StyleArray

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(filename: str) -> str:
    """An attachment header safe for any name (security.md E6): control characters, quotes,
    separators and path parts dropped; an ASCII fallback plus the UTF-8 name (RFC 5987/6266)."""
    name = re.sub(r'[\x00-\x1f\x7f"\\/:;*?<>|]+', "_", filename).strip(" ._") or "download.xlsx"
    # Browsers use filename*; the plain one is for old clients and stays ASCII.
    fallback = name if re.fullmatch(r"[A-Za-z0-9._ -]+", name) else "download.xlsx"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- Writing ------------------------------------------------------------------------------

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0.00"
# A cell starting with one of these may be run as a formula by a spreadsheet (OWASP CSV
# injection; security.md F1). They are written as text with Excel's quote prefix, which keeps
# the value as it is and stays text even when someone edits the cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 50
SAMPLE_ROWS = 100  # rows looked at to size the columns before any row is written
PROGRESS_EVERY = 1000

Progress = Callable[[int], None]


COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Column:
    """A header with an optional fixed width (in characters) and an optional number format
    for the column's numbers (ints, floats and Decimals; text and dates keep their own)."""

    title: str
    width: float | None = None
    number_format: str | None = None


class TotalsRow(tuple):
    """A row written in bold, with the columns' number formats: a totals or counts row of
    literal values (never formulas) that an exporter yields after its data rows."""

    __slots__ = ()


Sheet = tuple[str, Sequence[str | Column], Iterable[Sequence[Any]]]


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:MAX_WIDTH])


class _SheetWriter:
    """Turns plain values into what openpyxl's write-only sheet appends: most values go in
    as they are (the fast path); dates, money and formula-like text get a styled cell."""

    def __init__(self, ws):
        self.ws = ws
        wb = ws.parent
        self._datetime = self._style(wb, number_format=DATETIME_FORMAT)
        self._money = self._style(wb, number_format=MONEY_FORMAT)
        self._text = self._style(wb, quotePrefix=True)
        self._header = self._style(wb, font=Font(bold=True))
        self._formats: dict[tuple[str | None, bool], StyleArray] = {}
        if hasattr(ws, "_values_to_row"):
            ws._values_to_row = self._values_to_row

    def _values_to_row(self, values, row_idx):
        """openpyxl's own loop (WriteOnlyWorksheet._values_to_row, 3.1) minus its cost for a
        ready-made cell: it first tries the cell as a value, builds a ValueError with the
        cell's repr, catches it, then makes a fresh cell. For a money column that was a tenth
        of the export's time, against a budget of 1.2x the bare writer (performance.md)."""
        ws = self.ws
        cell = WriteOnlyCell(ws)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if type(value) is Cell:
                value.column, value.row = col_idx, row_idx
                yield value
                continue
            cell.value = value
            cell.column, cell.row = col_idx, row_idx
            yield cell
            if cell.has_style:  # a date got its number format: the next value needs a clean cell
                cell = WriteOnlyCell(ws)

    def _style(self, wb, **attrs) -> StyleArray:
        probe = Cell(self.ws, row=1, column=1)
        for key, value in attrs.items():
            setattr(probe, key, value)
        return probe._style

    def _cell(self, value: Any, style: StyleArray, data_type: str | None = None) -> Cell:
        cell = Cell(self.ws, row=1, column=1, value=value, style_array=style)
        if data_type:
            cell.data_type = data_type
        return cell

    def header(self, titles: Sequence[str]) -> list[Cell]:
        return [self._cell(self._clean(t), self._header, "s") for t in titles]

    @staticmethod
    def _clean(text: str) -> str:
        # openpyxl refuses control characters XML cannot hold; they carry no meaning here.
        return text if text.isprintable() else ILLEGAL_CHARACTERS_RE.sub("", text)

    def _format(self, number_format: str | None, bold: bool) -> StyleArray:
        key = (number_format, bold)
        style = self._formats.get(key)
        if style is None:
            attrs: dict[str, Any] = {"font": Font(bold=True)} if bold else {}
            if number_format:
                attrs["number_format"] = number_format
            style = self._formats[key] = self._style(self.ws.parent, **attrs)
        return style

    def formatted_row(
        self, values: Sequence[Any], formats: Sequence[str | None], *, bold: bool = False
    ) -> list[Any]:
        """A row whose numbers take their column's number format (and every cell bold, for a
        totals row). Slower than `row`: for sheets that ask for formats."""
        out = []
        for i, value in enumerate(values):
            fmt = formats[i] if i < len(formats) else None
            kind = type(value)
            if kind in (int, float, Decimal):
                if kind is Decimal and not fmt:
                    fmt = MONEY_FORMAT
                if fmt or bold:
                    value = self._cell(value, self._format(fmt, bold))
            elif kind is date:
                if bold:
                    value = self._cell(value, self._format(DATE_FORMAT, True))
            elif value is not None:
                value = self.row((value,))[0]
                if bold:
                    if type(value) is Cell:
                        value.font = Font(bold=True)
                    else:
                        text = "s" if type(value) is str else None
                        value = self._cell(value, self._format(None, True), text)
            out.append(value)
        return out

    def row(self, values: Sequence[Any]) -> list[Any]:
        out = []
        for value in values:
            kind = type(value)
            if kind is str:
                if value and not value.isprintable():
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                if value.startswith(FORMULA_TRIGGERS):
                    value = self._cell(value, self._text, "s")
            elif kind is Decimal:
                value = self._cell(value, self._money)
            elif kind is datetime:
                if timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                value = self._cell(value, self._datetime)
            # A plain date goes in as it is: openpyxl gives it yyyy-mm-dd itself, the cheapest
            # way (a styled cell costs about as much as the rest of the row).
            out.append(value)
        return out


def _widths(headers: Sequence[str | Column], sample: list[Sequence[Any]]) -> list[float]:
    widths = []
    for i, header in enumerate(headers):
        if isinstance(header, Column) and header.width:
            widths.append(header.width)
            continue
        title = header.title if isinstance(header, Column) else header
        longest = max(
            [_display_width(title)] + [_display_width(r[i]) for r in sample if i < len(r)]
        )
        widths.append(min(MAX_WIDTH, max(8, longest + 2)))
    return widths


def sheet_title(title: str) -> str:
    """Excel's rules for sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'") or "Sheet"
    return cleaned[:31]


def write_xlsx(
    sheets: Iterable[Sheet],
    target: str | IO[bytes],
    *,
    progress: Progress | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> int:
    """Write each (title, headers, rows) as a sheet of a write-only workbook saved to
    `target` (a path or a binary file). Rows may be any iterable, typically a generator, and
    are consumed once. Returns the number of data rows written; `progress(rows_so_far)` is
    called every `progress_every` rows and at the end."""
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    written = 0
    for title, headers, rows in sheets:
        ws = wb.create_sheet(sheet_title(title))
        writer = _SheetWriter(ws)
        rows = iter(rows)
        sample = list(islice(rows, SAMPLE_ROWS))
        for i, width in enumerate(_widths(headers, sample), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.append(writer.header([h.title if isinstance(h, Column) else h for h in headers]))
        formats = [h.number_format if isinstance(h, Column) else None for h in headers]
        append, convert = ws.append, writer.row
        if any(formats):

            def convert(row, _formatted=writer.formatted_row, _formats=formats):
                return _formatted(row, _formats)

        for row in chain(sample, rows):
            if type(row) is TotalsRow:
                append(writer.formatted_row(row, formats, bold=True))
            else:
                append(convert(row))
            written += 1
            if progress is not None and written % progress_every == 0:
                progress(written)
    if not wb.worksheets:
        wb.create_sheet("Sheet")
    wb.save(target)
    if progress is not None:
        progress(written)
    return written


# --- Reading uploads ----------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 100
MAX_COMPRESSION_RATIO = 100
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


def _error(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def inspect_xlsx(fileobj: IO[bytes], *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse what is not a plain .xlsx workbook, before anything is decompressed.

    Checks, in order: size, an OLE container (old .xls or a password-protected workbook), a
    zip at all (a renamed .csv fails here), the zip-bomb caps over the declared sizes in the
    central directory, the two parts every workbook has, and macros (.xlsm renamed)."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise _error(_("The file is empty."), "empty")
    if size > max_bytes:
        raise _error(
            _("The file is %(size)s MB; files up to %(limit)s MB can be uploaded."),
            "too_big",
            size=f"{size / 1024 / 1024:.1f}",
            limit=max_bytes // (1024 * 1024),
        )
    head = fileobj.read(len(CFB_MAGIC))
    fileobj.seek(0)
    if head == CFB_MAGIC:
        if ENCRYPTED_MARK in fileobj.read(min(size, 1024 * 1024)):
            fileobj.seek(0)
            raise _error(
                _(
                    "The workbook is protected with a password. Remove the password in Excel "
                    "(File > Info > Protect Workbook), save and upload it again."
                ),
                "encrypted",
            )
        fileobj.seek(0)
        raise _error(
            _("This is an old-format .xls file. Open it in Excel, save it as .xlsx and upload it."),
            "xls",
        )
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _error(
            _(
                "This is not an Excel .xlsx workbook (a CSV or another file renamed to .xlsx "
                "cannot be read). Save it from Excel as .xlsx and upload it again."
            ),
            "not_xlsx",
        ) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise _error(
                _("The workbook has too many parts (%(n)s) to be a member list."),
                "too_many_parts",
                n=len(entries),
            )
        declared = 0
        for info in entries:
            if info.flag_bits & 0x1:
                raise _error(
                    _("The workbook is protected with a password. Remove it and upload again."),
                    "encrypted",
                )
            declared += info.file_size
            ratio = info.file_size / info.compress_size if info.compress_size else None
            if (ratio is None and info.file_size > 0) or (ratio or 0) > MAX_COMPRESSION_RATIO:
                raise _error(
                    _("The workbook expands to an implausible size; it cannot be read safely."),
                    "zip_bomb",
                )
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise _error(
                _("The workbook expands to an implausible size; it cannot be read safely."),
                "zip_bomb",
            )
        names = {info.filename for info in entries}
        if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
            raise _error(
                _(
                    "This is not an Excel .xlsx workbook. Save it from Excel as .xlsx and upload "
                    "it again."
                ),
                "not_xlsx",
            )
        content_types = archive.read("[Content_Types].xml")
        if "xl/vbaProject.bin" in names or b"macroenabled" in content_types.lower():
            raise _error(
                _(
                    "The workbook contains macros (.xlsm). Save it as a plain .xlsx workbook "
                    "without macros and upload it again."
                ),
                "macros",
            )
    fileobj.seek(0)


UNREADABLE = _(
    "The workbook could not be read. Open it in Excel, save it as .xlsx and upload it again."
)

# What cell values cannot tell (python-calamine returns cached values: a formula's last result,
# "" for an error cell), found in the sheet's XML before it is parsed: a formula element (<f>,
# <f t="shared"/>, any prefix), an error cell (t="e"), a number cell holding inf or nan.
_CELL_HINT = re.compile(
    rb"(?P<formula><(?:\w+:)?f[\s>/])|(?P<error>\st=[\"']e[\"'])"
    rb"|(?P<nan><(?:\w+:)?v>[+-]?(?i:inf|nan))"
)
# Only a chunk holding one of these is searched: most sheets go at the speed of bytes.find.
_MAY_HOLD = (b"<f", b":f>", b":f ", b":f/", b":f\n", b":f\t", b":f\r", b't="e"', b"t='e'")
_MAY_HOLD_LOWER = (b"v>inf", b"v>nan", b"v>-inf", b"v>-nan", b"v>+inf", b"v>+nan")
_CELL_REF = re.compile(rb"[^>]*?\sr=[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,40})<")
_SCAN_CHUNK = 1 << 20
_SCAN_OVERLAP = 4096  # bytes carried to the next chunk: a cell's tag is never further back
FORMULA_MARK = "f"
_NOT_A_NUMBER = "\0nan"  # openpyxl could not parse such a cell; the file fails at its row


@dataclass
class XlsxSheet:
    name: str
    visible: bool
    part: str  # the sheet's XML part in the zip


@dataclass
class XlsxBook:
    """A checked upload read with python-calamine, with what its XML told about the cells."""

    sheets: list[XlsxSheet]
    book: Any  # python_calamine.CalamineWorkbook
    marks: dict[str, dict[tuple[int, int], str]]  # part -> (row 1-based, col 0-based) -> mark

    def _data(self, sheet: XlsxSheet):
        try:
            return self.book.get_sheet_by_name(sheet.name)
        except Exception as exc:  # calamine's parse errors all mean "unreadable"
            raise _error(UNREADABLE, "unreadable") from exc

    def last_row(self, sheet: XlsxSheet) -> int | None:
        """The number of the sheet's last row holding anything, None for an empty sheet."""
        end = self._data(sheet).end
        return end[0] + 1 if end else None

    def rows(self, sheet: XlsxSheet) -> Iterator[tuple[int, list[Any], dict[int, str]]]:
        """(row number, values, marks by column) of every row from row 1; an empty cell is
        None, a number a float, a date-formatted cell a date or datetime, a bool a bool. A
        mark is FORMULA_MARK or an error cell's shown value ("#N/A")."""
        by_row: dict[int, dict[int, str]] = {}
        for (row, col), mark in self.marks.get(sheet.part, {}).items():
            by_row.setdefault(row, {})[col] = mark
        data = self._data(sheet)
        pad = [None] * data.start[1] if data.start else []
        try:
            for number, values in enumerate(data.iter_rows(), 1):
                marks = by_row.get(number, {})
                if _NOT_A_NUMBER in marks.values():
                    raise _error(UNREADABLE, "unreadable")
                yield number, pad + [None if v == "" else v for v in values], marks
        except Exception as exc:  # the inf/nan refusal above included
            raise _error(UNREADABLE, "unreadable") from exc

    def close(self) -> None:
        self.book.close()


def _column_index(letters: bytes) -> int:
    return sum((ch - 64) * 26**i for i, ch in enumerate(reversed(letters))) - 1


def _scan_part(archive: zipfile.ZipFile, name: str, marks: dict | None) -> None:
    """Read one XML part in chunks: a DTD anywhere (entity expansion, XXE) makes the file
    unreadable; in a sheet (`marks` given) note every formula and error cell by its position."""
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(_SCAN_CHUNK):
            buffer = tail + chunk
            if b"<!DOCTYPE" in buffer or b"<!ENTITY" in buffer:
                raise _error(UNREADABLE, "unreadable")
            if marks is not None and _may_hold(buffer):
                for hit in _CELL_HINT.finditer(buffer):
                    if hit.end() > len(tail):  # not already seen in the previous chunk
                        _mark(buffer, hit, marks)
            tail = buffer[-_SCAN_OVERLAP:]


def _may_hold(buffer: bytes) -> bool:
    if any(text in buffer for text in _MAY_HOLD):
        return True
    lower = buffer.lower()
    return any(text in lower for text in _MAY_HOLD_LOWER)


def _mark(buffer: bytes, hit: re.Match, marks: dict) -> None:
    low = max(0, hit.start() - _SCAN_OVERLAP // 2)
    start = max(buffer.rfind(b"<c ", low, hit.start()), buffer.rfind(b":c ", low, hit.start()))
    ref = _CELL_REF.match(buffer, start + 2) if start >= 0 else None
    if ref is None:
        raise _error(
            _("The workbook holds formulas or error cells; type the values themselves."),
            "formulas",
        )
    key = (int(ref.group(2)), _column_index(ref.group(1)))
    if hit.lastgroup == "formula":
        marks[key] = FORMULA_MARK
    elif hit.lastgroup == "nan":
        marks[key] = _NOT_A_NUMBER
    elif key not in marks:
        value = _VALUE.search(buffer, hit.end(), hit.end() + 400)
        marks[key] = value.group(1).decode(errors="replace") if value else "#"


def _sheet_parts(archive: zipfile.ZipFile) -> list[XlsxSheet]:
    """The workbook's sheets in order, with their visibility and XML part."""
    from defusedxml import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    sheets = []
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{main}sheet"):
        target = targets.get(sheet.get(rel), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        visible = sheet.get("state", "visible") == "visible"
        sheets.append(XlsxSheet(sheet.get("name", ""), visible, part))
    return sheets


def read_xlsx(fileobj: IO[bytes]) -> XlsxBook:
    """Open an upload `inspect_xlsx` has passed: every XML part is scanned (no DTD; formula
    and error cells noted) before python-calamine parses anything."""
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(fileobj) as archive:
            sheets = _sheet_parts(archive)
            parts = {s.part for s in sheets}
            marks: dict[str, dict] = {part: {} for part in parts}
            for name in archive.namelist():
                if name.endswith((".xml", ".rels", ".vml")) or name in parts:
                    _scan_part(archive, name, marks.get(name))
        fileobj.seek(0)
        book = CalamineWorkbook.from_filelike(fileobj)
    except ValidationError:
        raise
    except Exception as exc:  # a broken zip part or XML: "unreadable", never a 500
        raise _error(UNREADABLE, "unreadable") from exc
    finally:
        fileobj.seek(0)
    return XlsxBook(sheets, book, marks)


def xlsx_download(request, sheets: Iterable[Sheet], filename: str, *, event: str, **data):
    """An .xlsx download written in the request, with its audit row (security.md G1: every
    export is recorded with who, how many rows and which file). The row is written on the
    account's organisation (the user's own record where it has none)."""
    import io

    from django.http import HttpResponse

    from .audit import audit_event

    buffer = io.BytesIO()
    rows = write_xlsx(sheets, buffer)
    user = request.user
    target = getattr(user, "organisation", None) or user
    audit_event(target, event, actor=user, rows=rows, filename=filename, **data)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def print_cell(value) -> str:
    """A cell as a notice board shows it: money ¥1,000.00, dates 2026年12月2日."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"¥{value:,.2f}"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def print_page(request, title: str, headers, rows, *, organisation=None, drop=(), note=""):
    """An A4 page for a notice board: no navigation, the union's name and the date on top.
    Columns whose header is in `drop` (resident IDs) never go on a board."""
    from django.shortcuts import render
    from django.utils import timezone

    keep = [i for i, h in enumerate(headers) if str(h) not in {str(d) for d in drop}]
    org = organisation or getattr(request.user, "organisation", None)
    return render(
        request,
        "core/print_table.html",
        {
            "title": title,
            "organisation_name": getattr(org, "name", ""),
            "today": timezone.localdate(),
            "headers": [headers[i] for i in keep],
            "rows": [[print_cell(row[i]) for i in keep] for row in rows],
            "note": note,
        },
    )
