"""The Excel measurements of performance.md: the roster export against bare openpyxl
write-only writing the same values (and its peak memory), and the member import against a
bare openpyxl read-only parse of the same file (the import reads with python-calamine since
issue 21; the anchor stays openpyxl's parse). Registered in measure.EXTRA_MEASUREMENTS."""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from members.exports import EXPORT_COLUMNS, SHEET_TITLE, member_filter, member_rows
from members.imports import member_import
from members.spreadsheets import IMPORT_COLUMNS
from members.validators import resident_id_check_char
from unionportal.core.excel import FORMULA_MARK, read_xlsx, write_xlsx

from .clients import bench_admin, busiest_union
from .timing import Result, in_rolled_back_transaction

EXPORT_ROWS = {"full": 100_000, "smoke": 10_000}
IMPORT_ROWS = 10_000
# The data set's members are all born in region 420502; the imported people come from another
# region, so the one-membership check finds none of them.
IMPORT_REGION = "420581"


def _peak_rss_mb() -> float | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Linux resets the high-water mark when "5" is written to clear_refs."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def roster_export(size: str, runs: int, log=print) -> list[Result]:
    admin = bench_admin()
    count = EXPORT_ROWS[size]
    queryset = member_filter(admin, {}).qs[:count]
    path = tempfile.mkstemp(suffix=".xlsx")[1]
    try:
        values = list(member_rows(queryset))
        headers = [c.title for c in EXPORT_COLUMNS]

        def bare() -> None:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet(SHEET_TITLE)
            ws.append(headers)
            for row in values:
                ws.append(row)
            wb.save(path)

        def ours() -> None:
            write_xlsx([(SHEET_TITLE, EXPORT_COLUMNS, member_rows(queryset))], path)

        log(f"  roster export: {len(values)} rows")
        pairs = []
        for _ in range(runs):  # alternate, so a busy moment hits both
            start = time.perf_counter()
            bare()
            middle = time.perf_counter()
            ours()
            pairs.append((middle - start, time.perf_counter() - middle))
        anchor = statistics.median(p[0] for p in pairs)
        figure = statistics.median(p[1] for p in pairs)
        values.clear()  # free the anchor's rows before measuring our peak memory
        peak = _peak_rss_mb() if _reset_peak_rss() else None
        if peak is not None:
            ours()
            peak = _peak_rss_mb()
    finally:
        os.unlink(path)
    results = [
        Result(
            f"roster export, {count // 1000}k rows x {len(EXPORT_COLUMNS)} columns",
            figure,
            "s",
            anchor,
            "bare openpyxl write-only, same values",
            "<= 1.2x",
            figure / anchor <= 1.2,
        )
    ]
    if peak is not None:
        results.append(
            Result(
                "roster export peak memory",
                peak,
                "MB",
                None,
                "-",
                "<= 150 MB",
                peak <= 150,
                "peak RSS of the whole process during one export",
            )
        )
    return results


def import_file(rows: int) -> bytes:
    """A filled-in template of `rows` good members."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会员名单")
    ws.append([c.header for c in IMPORT_COLUMNS])
    first = date(1970, 1, 1)
    for n in range(rows):
        body = f"{IMPORT_REGION}{first + timedelta(days=n // 500):%Y%m%d}{n % 500 * 2 + 1:03d}"
        ws.append(
            [
                f"导入基准{n}",
                body + resident_id_check_char(body),
                f"139{n:08d}",
                "本科",
                "固定期限合同",
                "否",
                "是",
                "否",
                date(2023, 5, 1),
                "正常",
                Decimal("4567.89"),
                None,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def member_import_10k(size: str, runs: int, log=print) -> list[Result]:
    content = import_file(IMPORT_ROWS)
    union = busiest_union()

    def bare() -> None:
        wb = load_workbook(io.BytesIO(content), read_only=True)
        for _row in wb.worksheets[0].iter_rows(values_only=True):
            pass
        wb.close()

    def ours() -> None:
        check = member_import(actor=None, organisation=union, fileobj=io.BytesIO(content))
        assert check.created == IMPORT_ROWS, check.sorted_errors()[:3]

    log(f"  member import: {IMPORT_ROWS} rows into {union.name}")
    pairs = []
    for _ in range(runs):
        start = time.perf_counter()
        bare()
        middle = time.perf_counter()
        pairs.append((middle - start, in_rolled_back_transaction(ours)))
    anchor = statistics.median(p[0] for p in pairs)
    figure = statistics.median(p[1] for p in pairs)
    return [
        Result(
            "member import, 10k rows",
            figure,
            "s",
            anchor,
            "bare openpyxl read-only parse",
            "<= 1.5x",
            figure / anchor <= 1.5,
            "read with python-calamine after the XML scan; every row through MemberForm, "
            "members in bulk, their history set-based",
        )
    ]


def formula_cells(content: bytes) -> int:
    """Formula cells found by the import's scan of the sheets' XML (calamine returns cached
    values, never formulas: unionportal.core.excel.read_xlsx finds them there)."""
    book = read_xlsx(io.BytesIO(content))
    try:
        return sum(m == FORMULA_MARK for marks in book.marks.values() for m in marks.values())
    finally:
        book.close()


def import_reader(runs: int, log=print) -> list[Result]:
    """python-calamine against openpyxl read-only as the import's reader, on the same 10k
    file: all cells read, plus the formula scan calamine needs."""
    content = import_file(IMPORT_ROWS)

    def openpyxl_parse() -> None:
        wb = load_workbook(io.BytesIO(content), read_only=True)
        for _row in wb.worksheets[0].iter_rows(values_only=True):
            pass
        wb.close()

    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return [
            Result(
                "import reader: python-calamine parse, 10k rows",
                None,
                "s",
                None,
                "openpyxl read-only parse",
                "-",
                None,
                "python-calamine is not installed",
            )
        ]

    def calamine_parse() -> None:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        for _row in wb.get_sheet_by_index(0).to_python():
            pass
        assert formula_cells(content) == 0

    log(f"  import reader: {IMPORT_ROWS} rows, openpyxl read-only vs python-calamine")
    anchor = statistics.median(_seconds(openpyxl_parse) for _ in range(runs))
    figure = statistics.median(_seconds(calamine_parse) for _ in range(runs))
    return [
        Result(
            "import reader: python-calamine parse + formula scan, 10k rows",
            figure,
            "s",
            anchor,
            "openpyxl read-only parse",
            "reported",
            None,
            "the reader alone; the import reads with it (member import, 10k rows)",
        )
    ]


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure_excel(*, size: str, runs: int, log=print, only: set[str]) -> list[Result]:
    results = []
    if "reader" in only:
        results += import_reader(runs, log)
    if "export" in only:
        results += roster_export(size, runs, log)
    if "import" in only:
        results += member_import_10k(size, runs, log)
    return results
