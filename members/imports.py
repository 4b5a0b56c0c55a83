"""Member import from Excel: all rows or none, with a row-by-row report (security.md E, H4).

Two phases (security.md "Import policy"): `member_import_check` reads the file and validates
every row through the register's own MemberForm, then checks duplicates inside the file and
against the city's register in bulk; `member_import` runs the same check again (the register
may have changed since the preview) and, only when no row is bad, writes every member in one
transaction with bulk inserts and one summarising audit row (bulk inserts fire no auditlog
signals: security.md G4).

Row numbers in the report are the spreadsheet's own (the header is row 1), so a worker finds
the row where Excel shows it.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core.audit import audit_event
from unionportal.core.excel import inspect_xlsx, iter_rows_safely, open_xlsx
from unionportal.core.models import FileJob

from . import access, crypto
from .forms import MemberForm
from .models import Member, Organisation, User
from .services.members import (
    MEMBER_FIELDS,
    MEMBER_ORG_KINDS,
    _require_member_org,
)
from .spreadsheets import (
    COLUMNS_BY_FIELD,
    EXAMPLE_MARK,
    IMPORT_COLUMNS,
    NO,
    YES,
    ImportColumn,
    header_key,
)
from .validators import mask_mobile, mask_resident_id, tidy

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
    estimated_rows: int | None  # from the sheet's <dimension>; None when the file omits it


def _file_error(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def read_layout(fileobj: IO[bytes]) -> Layout:
    """Check the upload (unionportal.core.excel.inspect_xlsx) and its header row. Raises a
    ValidationError naming missing, unknown or repeated headers."""
    inspect_xlsx(fileobj)
    wb = open_xlsx(fileobj)
    try:
        return _sheet_layout(_member_sheet(wb))
    finally:
        wb.close()
        fileobj.seek(0)


def _member_sheet(wb):
    """The template's sheet when it is there, else the first visible one: a hidden sheet is
    never imported unseen."""
    sheets = wb.worksheets
    for ws in sheets:
        if ws.title == TEMPLATE_SHEET:
            return ws
    visible = [ws for ws in sheets if ws.sheet_state == "visible"]
    if not visible:
        raise _file_error(_("The workbook has no visible sheet."), "no_sheet")
    return visible[0]


def _sheet_layout(ws) -> Layout:
    estimated = (ws.max_row - 1) if ws.max_row else None
    header = next(iter_rows_safely(ws, min_row=1, max_col=MAX_COLUMNS), ())
    by_key = {c.key: c for c in IMPORT_COLUMNS}
    columns: dict[int, ImportColumn] = {}
    unknown, repeated = [], []
    for index, cell in enumerate(header):
        text = "" if cell.value is None else str(cell.value).strip()
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


# --- Reading cells --------------------------------------------------------------------------


class CellError(Exception):
    pass


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _cell_input(column: ImportColumn, cell, context: _Context) -> Any:
    """The value to give the form for one cell, or CellError with the reason."""
    if cell.data_type == "f":
        raise CellError(_("Formulas are not accepted; type the value itself."))
    if cell.data_type == "e":
        raise CellError(_("The cell shows an Excel error (%(value)s).") % {"value": cell.value})
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return {"bool": False, "org": context.target.pk}.get(column.kind, "")
    kind = column.kind
    if kind == "id":
        if isinstance(value, float):
            raise CellError(
                _(
                    "Excel stored this ID number as a number and may have changed its last "
                    "digits. Format the column as text and type the number again."
                )
            )
        return _text(value)
    if kind == "choice":
        return _choice(column, _text(value))
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = _text(value)
        if text in (YES, NO):
            return text == YES
        raise CellError(_("Enter 是 or 否."))
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (int, float)):
            raise CellError(_("Enter a date such as 2024-03-01; this cell holds a number."))
        return _text(value)
    if kind == "money":
        if isinstance(value, bool):
            raise CellError(_("Enter an amount in yuan."))
        if isinstance(value, (int, float)):
            try:
                return Decimal(str(value))
            except InvalidOperation:
                raise CellError(_("Enter an amount in yuan.")) from None
        return _text(value)
    if kind == "org":
        return context.org_by_name(_text(value))
    return _text(value)


def _choice(column: ImportColumn, text: str) -> str:
    for code, label in column.choices.items():
        if text == label or text.lower() == code:
            return code
    raise CellError(
        _("Choose one of: %(choices)s.") % {"choices": "、".join(column.choices.values())}
    )


def _masked(text: str, keep: int = 4) -> str:
    return "*" * max(0, len(text) - keep) + text[-keep:] if len(text) > keep else "*" * len(text)


def _display(column: ImportColumn, cell) -> str:
    """What the preview shows for a cell: IDs and phones masked as everywhere else (a number
    of the wrong length keeps only its last 4 characters), invisible characters made visible,
    long text cut."""
    value = cell.value
    if value is None:
        return ""
    text = _text(value)
    if column.kind == "id":
        number = tidy(text).upper()
        return mask_resident_id(number) if len(number) in (15, 18) else _masked(number)
    if column.kind == "phone":
        number = tidy(text)
        return mask_mobile(number) if len(number) == 11 else _masked(number)
    text = "".join("\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in text[:60])
    return text + ("…" if len(value if isinstance(value, str) else text) > 60 else "")


# --- The check ------------------------------------------------------------------------------


WRITTEN_FIELDS = (*MEMBER_FIELDS, "status")


class CleanRow(NamedTuple):
    """A good row, kept compact (a 100,000-row file holds 100,000 of these)."""

    row: int
    organisation_id: int
    number: str
    index: str
    gender: str
    birth_date: date
    values: tuple  # in WRITTEN_FIELDS order

    @property
    def fields(self) -> dict:
        return dict(zip(WRITTEN_FIELDS, self.values, strict=True))


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportCheck:
    """The outcome of checking a file: counts, errors by row and column, the rows to write."""

    organisation: Organisation
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    clean: list[CleanRow] = field(default_factory=list)
    display: dict[int, list[str]] = field(default_factory=dict)
    bad_cells: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    headers: list[str] = field(default_factory=list)
    created: int = 0

    @property
    def bad_rows(self) -> int:
        return len(self.bad_cells)

    @property
    def ok(self) -> bool:
        return self.rows > 0 and not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, str(message)))
        self.bad_cells[row].add(column)

    def sorted_errors(self) -> list[RowError]:
        order = {c.header: i for i, c in enumerate(IMPORT_COLUMNS)}
        return sorted(self.errors, key=lambda e: (e.row, order.get(e.column, 99)))

    def summary(self) -> dict:
        """What the preview page needs, as JSON for FileJob.result (masked values only)."""
        errors = self.sorted_errors()
        if self.bad_cells:
            shown = [r for r in sorted(self.bad_cells) if r in self.display]
            shown = shown[:MAX_PREVIEW_BAD_ROWS]
        else:
            shown = sorted(self.display)[:PREVIEW_ROWS]
        return {
            "rows": self.rows,
            "good_rows": self.rows - self.bad_rows,
            "bad_rows": self.bad_rows,
            "errors_total": len(errors),
            "errors": [[e.row, e.column, e.message] for e in errors[:MAX_STORED_ERRORS]],
            "headers": self.headers,
            "preview": [
                {"row": r, "cells": self.display[r], "bad": self._bad_positions(r)} for r in shown
            ],
            "created": self.created,
        }

    def _bad_positions(self, row: int) -> list[int]:
        bad = self.bad_cells.get(row, ())
        return [i for i, header in enumerate(self.headers) if header in bad]


class _ImportForm(MemberForm):
    """MemberForm itself, with the organisation looked up in the preloaded subtree instead of
    one query per row; every other field validates exactly as on the register's pages."""

    def __init__(self, *args, preloaded: dict[int, Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        field_ = self.fields["organisation"]

        def to_python(value):
            if value in field_.empty_values:
                return None
            try:
                return preloaded[int(value)]
            except (KeyError, TypeError, ValueError):
                raise ValidationError(
                    field_.error_messages["invalid_choice"], code="invalid_choice"
                ) from None

        field_.to_python = to_python


class _RowValidator:
    """One MemberForm bound afresh to each row: the register's own fields and clean_* methods
    run on every row, without building the form (fields, widgets, crispy layout) 10,000 times
    over, which alone cost several times the reading of the file."""

    def __init__(self, context: _Context):
        self.form = _ImportForm(data={}, organisations=context.queryset, preloaded=context.orgs)

    def validate(self, data: dict) -> tuple[dict | None, dict]:
        form = self.form
        form.data = data
        form._errors = None  # full_clean starts from fresh errors and cleaned_data
        if form.is_valid():
            return form.cleaned_data, {}
        return None, form.errors


class _Context:
    def __init__(self, organisation: Organisation):
        self.target = organisation
        self.queryset: QuerySet = target_organisations(organisation)
        self.orgs = {o.pk: o for o in self.queryset}
        names: dict[str, list[Organisation]] = defaultdict(list)
        for org in self.orgs.values():
            names[org.name].append(org)
            if org.short_name:
                names[org.short_name].append(org)
        self.names = names

    def org_by_name(self, name: str) -> int:
        hits = self.names.get(name, [])
        if len(hits) == 1:
            return hits[0].pk
        if not hits:
            raise CellError(
                _("%(name)s is not a branch or group of %(union)s.")
                % {"name": name[:60], "union": self.target.name}
            )
        raise CellError(
            _("Several branches are named %(name)s; use the full name.") % {"name": name[:60]}
        )


def target_organisations(organisation: Organisation) -> QuerySet:
    """The union chosen for the import and the branches and groups under it."""
    return Organisation.objects.active().filter(
        path__startswith=organisation.path, kind__in=MEMBER_ORG_KINDS
    )


def _data_rows(ws, layout: Layout) -> Iterator[tuple[int, tuple]]:
    """(spreadsheet row number, cells) for each row holding anything, examples skipped."""
    count = 0
    for number, cells in enumerate(iter_rows_safely(ws, min_row=2, max_col=layout.width), 2):
        if all(c.value is None or (type(c.value) is str and not c.value.strip()) for c in cells):
            continue
        first = cells[0].value if cells else None
        if isinstance(first, str) and first.strip().startswith(EXAMPLE_MARK):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _file_error(
                _("The file has more than %(max)s member rows; split it into smaller files."),
                "too_many_rows",
                max=f"{MAX_ROWS:,}",
            )
        yield number, cells


def member_import_check(
    *,
    actor: User | None,
    organisation: Organisation,
    fileobj: IO[bytes],
    progress: Progress | None = None,
) -> ImportCheck:
    """Validate every row of the file for `organisation` (and its branches). File-level
    problems raise ValidationError; row problems are collected in the returned check."""
    if actor is not None:
        access.require(actor, "member.edit", organisation)
    _require_member_org(organisation)
    inspect_xlsx(fileobj)
    wb = open_xlsx(fileobj)
    try:
        ws = _member_sheet(wb)
        layout = _sheet_layout(ws)
        context = _Context(organisation)
        validator = _RowValidator(context)
        check = ImportCheck(organisation=organisation)
        ordered = sorted(layout.columns.items())
        check.headers = [c.header for _, c in ordered]
        total = layout.estimated_rows or 0
        for number, cells in _data_rows(ws, layout):
            check.rows += 1
            _check_row(check, context, validator, number, cells, ordered)
            if progress is not None and check.rows % PROGRESS_EVERY == 0:
                progress(check.rows, max(total, check.rows))
    finally:
        wb.close()
    if check.rows == 0:
        raise _file_error(_("The file holds no member rows below the headers."), "no_rows")
    _check_duplicates(check, actor)
    if progress is not None:
        progress(check.rows, check.rows)
    return check


def _check_row(
    check: ImportCheck, context: _Context, validator: _RowValidator, number: int, cells, ordered
) -> None:
    data: dict[str, Any] = {"organisation": context.target.pk, "status": "active"}
    bad_fields: set[str] = set()
    for index, column in ordered:
        cell = cells[index]
        try:
            value = _cell_input(column, cell, context)
        except CellError as exc:
            check.add(number, column.header, str(exc))
            bad_fields.add(column.field)
            continue
        if value != "" or column.field not in ("status",):
            data[column.field] = value
    cleaned, errors = validator.validate(data)
    for name, messages in errors.items():
        if name in bad_fields:
            continue  # the cell's own error says it better than "this field is required"
        column = COLUMNS_BY_FIELD.get(name)
        header = column.header if column and name != NON_FIELD_ERRORS else "—"
        for message in messages:
            check.add(number, header, message)
    bad = bad_fields or cleaned is None
    # Keep what the preview shows: every row of a file small enough to preview whole, and
    # the first bad rows of a larger one.
    if number - 1 <= KEEP_DISPLAY_ROWS or (bad and len(check.display) < KEEP_DISPLAY_ROWS * 2):
        check.display[number] = [_display(c, cells[i]) for i, c in ordered]
    if bad:
        return
    # The form has validated and normalised the number: read sex and birth date off it.
    number_ = cleaned["resident_id"]
    check.clean.append(
        CleanRow(
            row=number,
            organisation_id=cleaned["organisation"].pk,
            number=number_,
            index=crypto.blind_index(number_),
            gender="M" if int(number_[16]) % 2 else "F",
            birth_date=date(int(number_[6:10]), int(number_[10:12]), int(number_[12:14])),
            values=tuple(cleaned[k] for k in WRITTEN_FIELDS),
        )
    )


def _check_duplicates(check: ImportCheck, actor: User | None) -> None:
    id_header = COLUMNS_BY_FIELD["resident_id"].header
    by_index: dict[str, list[int]] = defaultdict(list)
    for row in check.clean:
        by_index[row.index].append(row.row)
    for rows in by_index.values():
        if len(rows) > 1:
            for r in rows:
                others = ", ".join(str(o) for o in rows if o != r)
                check.add(
                    r,
                    id_header,
                    _("The same resident ID number is also in row %(rows)s.") % {"rows": others},
                )
    # One membership per person in the city (architecture.md): the one cross-scope read
    # allowed here, done in bulk. A hit outside the actor's scope names the union holding the
    # member (so a transfer can be asked for) and is written to the audit log.
    indexes = list(by_index)
    paths = access.scope_paths(actor) if actor is not None else None
    outside: list[int] = []
    for start in range(0, len(indexes), LOOKUP_CHUNK):
        hits = (
            Member.objects.current()
            .filter(resident_id_index__in=indexes[start : start + LOOKUP_CHUNK])
            .values_list("pk", "resident_id_index", "organisation__name", "organisation__path")
        )
        for pk, index, union, path in hits:
            visible = paths is None or any(path.startswith(p) for p in paths)
            if visible:
                message = _("This person is already a member of %(union)s.") % {"union": union}
            else:
                outside.append(pk)
                message = _(
                    "This person is already a member of another union, %(union)s. A person "
                    "holds one membership in the city: ask that union for a transfer."
                ) % {"union": union}
            for r in by_index[index]:
                check.add(r, id_header, message)
    for member in Member.objects.filter(pk__in=outside).select_related("organisation"):
        audit_event(
            member,
            "member.one_membership_hit",
            actor=actor,
            asked_for=check.organisation.name,
            via="import",
        )
    bad = set(check.bad_cells)
    check.clean = [r for r in check.clean if r.row not in bad]


# --- The import -------------------------------------------------------------------------------


def member_import(
    *,
    actor: User | None,
    organisation: Organisation,
    fileobj: IO[bytes],
    progress: Progress | None = None,
    job: FileJob | None = None,
    on_written: Callable[[ImportCheck], None] | None = None,
) -> ImportCheck:
    """Check the file again and, when every row is good, register all its members at once.
    With any bad row nothing is written and the check (with its errors) is returned.
    `on_written` runs in the transaction that writes the members, after them."""
    check = member_import_check(
        actor=actor, organisation=organisation, fileobj=fileobj, progress=progress
    )
    if not check.ok:
        return check
    if job is not None:
        job.params = {**job.params, "stage": "importing"}
        FileJob.objects.filter(pk=job.pk).update(params=job.params)
    try:
        with transaction.atomic():
            check.created = _write(check, actor=actor, organisation=organisation, job=job)
            if on_written is not None:
                on_written(check)
    except IntegrityError:
        raise ValidationError(
            _(
                "Someone registered one of these people while the import ran. Nothing was "
                "imported; check the file again."
            ),
            code="conflict",
        ) from None
    return check


# The first status change and wage base of each imported member, written set-based from the
# member rows just inserted (constant SQL; the ids are one array or JSON parameter): building
# 2 x 10,000 objects for bulk_create cost as much as the members themselves.
_HISTORY_SQL = {
    "postgresql": (
        """
        INSERT INTO members_memberstatuschange
            (member_id, organisation_id, from_status, to_status, changed_on, reason,
             changed_by_id, created_at)
        SELECT m.id, m.organisation_id, '', m.status, m.joined_on, %(reason)s, %(actor)s, %(now)s
        FROM members_member m WHERE m.id = ANY(%(ids)s)
        """,
        """
        INSERT INTO members_wagebase (member_id, effective_month, amount, created_at)
        SELECT m.id, CAST(date_trunc('month', m.joined_on) AS date), m.wage_base, %(now)s
        FROM members_member m WHERE m.id = ANY(%(ids)s) AND m.wage_base > 0
        """,
    ),
    "sqlite": (
        """
        INSERT INTO members_memberstatuschange
            (member_id, organisation_id, from_status, to_status, changed_on, reason,
             changed_by_id, created_at)
        SELECT m.id, m.organisation_id, '', m.status, m.joined_on, %(reason)s, %(actor)s, %(now)s
        FROM members_member m WHERE m.id IN (SELECT value FROM json_each(%(ids)s))
        """,
        """
        INSERT INTO members_wagebase (member_id, effective_month, amount, created_at)
        SELECT m.id, date(m.joined_on, 'start of month'), m.wage_base, %(now)s
        FROM members_member m
        WHERE m.id IN (SELECT value FROM json_each(%(ids)s)) AND m.wage_base > 0
        """,
    ),
}


def _write_history(ids: list[int], *, reason: str, actor: User | None) -> None:
    vendor = connection.vendor
    params = {
        "ids": ids if vendor == "postgresql" else json.dumps(ids),
        "reason": reason,
        "actor": actor.pk if actor else None,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        for sql in _HISTORY_SQL[vendor]:
            cursor.execute(sql, params)


@transaction.atomic
def _write(
    check: ImportCheck, *, actor: User | None, organisation: Organisation, job: FileJob | None
) -> int:
    reason = _("Imported from Excel")
    created = 0
    rows = check.clean
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        members = []
        for row in batch:
            fields = row.fields
            member = Member(
                organisation_id=row.organisation_id,
                gender=row.gender,
                birth_date=row.birth_date,
                status_changed_on=fields["joined_on"],
                **fields,
            )
            member.resident_id_cipher = crypto.encrypt(row.number)
            member.resident_id_index = row.index
            member.resident_id_masked = mask_resident_id(row.number)
            members.append(member)
        Member.objects.bulk_create(members, batch_size=BATCH)
        _write_history([m.pk for m in members], reason=str(reason), actor=actor)
        created += len(members)
    audit_event(
        organisation,
        "member.import",
        actor=actor,
        rows=created,
        organisation=organisation.name,
        job=job.pk if job else None,
    )
    return created


# --- Jobs: the upload kept in private storage, checked and imported from there --------------

JOB_NAME = "members.import"


def import_job_create(
    *, actor: User, organisation: Organisation, upload, layout: Layout
) -> FileJob:
    """Keep the uploaded file under a random name and open a job for it."""
    access.require(actor, "member.edit", organisation)
    job = FileJob(
        kind=FileJob.Kind.IMPORT,
        name=JOB_NAME,
        created_by=actor,
        organisation=organisation,
        total=layout.estimated_rows or 0,
        params={"stage": "checking", "estimated_rows": layout.estimated_rows},
    )
    upload.seek(0)
    job.file.save("upload.xlsx", upload, save=False)
    job.save()
    return job


def runs_inline(job: FileJob) -> bool:
    rows = job.params.get("estimated_rows") if job.total == 0 else job.total
    return rows is not None and rows <= INLINE_ROWS


def _progress(job: FileJob) -> Progress:
    return lambda done, total: job.report_progress(done, total)


def _open(job: FileJob) -> BytesIO:
    with job.file.open("rb") as f:
        return BytesIO(f.read())


def import_job_check(job: FileJob, *, actor: User) -> ImportCheck | None:
    """Check the job's file and store the report on the job (pending: awaiting confirmation)."""
    job.mark(FileJob.Status.RUNNING, params={**job.params, "stage": "checking"})
    try:
        check = member_import_check(
            actor=actor,
            organisation=job.organisation,
            fileobj=_open(job),
            progress=_progress(job),
        )
    except ValidationError as exc:
        job.mark(FileJob.Status.FAILED, error=" ".join(exc.messages))
        return None
    except Exception as exc:  # never leave a job running for ever (security.md H6)
        job.mark(FileJob.Status.FAILED, error=type(exc).__name__)
        raise
    job.mark(
        FileJob.Status.PENDING,
        total=check.rows,
        done=check.rows,
        result=check.summary(),
        params={**job.params, "stage": "checked"},
    )
    return check


def import_job_run(job: FileJob, *, actor: User) -> int:
    """Import the job's file. Rows that turned bad since the preview send the job back to the
    preview with the new report; success deletes the upload (it holds full ID numbers).

    Safe to run again after a lost worker (security.md H6): the job is marked done in the
    transaction that writes the members, so a worker killed at any point leaves either the
    members and a finished job, or neither (and the rerun imports the file)."""
    job.mark(FileJob.Status.RUNNING, params={**job.params, "stage": "importing"})

    def finish(check: ImportCheck) -> None:
        job.mark(
            FileJob.Status.DONE,
            total=check.rows,
            done=check.rows,
            result=check.summary(),
            params={**job.params, "stage": "imported"},
        )

    try:
        check = member_import(
            actor=actor,
            organisation=job.organisation,
            fileobj=_open(job),
            progress=_progress(job),
            job=job,
            on_written=finish,
        )
    except ValidationError as exc:
        job.refresh_from_db()  # drop what a rolled-back finish() set on the instance
        job.mark(FileJob.Status.FAILED, error=" ".join(exc.messages))
        return 0
    except Exception as exc:  # never leave a job running for ever (security.md H6)
        job.mark(FileJob.Status.FAILED, error=type(exc).__name__)
        raise
    if not check.ok:
        job.mark(
            FileJob.Status.PENDING,
            total=check.rows,
            done=check.rows,
            result=check.summary(),
            params={**job.params, "stage": "checked", "changed": True},
        )
        return 0
    # After the commit: a worker lost here leaves the upload to the daily cleanup.
    job.file.delete()
    return check.created


# --- The template -----------------------------------------------------------------------------

EXAMPLE_ROW = {
    "name": f"{EXAMPLE_MARK}：张三（本行为示例，导入时自动跳过）",
    "resident_id": "11010519491231002X",
    "phone": "13800000000",
    "education": "本科",
    "employment_type": "固定期限合同",
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
