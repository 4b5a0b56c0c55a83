"""The check phase: every row validated and duplicates found in the file and in the
city's register, for the preview and before writing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from unionportal.core.audit import audit_event
from unionportal.core.excel import inspect_xlsx, read_xlsx

from .. import access, crypto
from ..models import Member, Organisation, User
from ..services import members as member_services
from ..services.members import (
    _require_member_org,
)
from ..spreadsheets import (
    COLUMNS_BY_FIELD,
    EXAMPLE_MARK,
    IMPORT_COLUMNS,
)
from .file_checks import (
    KEEP_DISPLAY_ROWS,
    LOOKUP_CHUNK,
    MAX_PREVIEW_BAD_ROWS,
    MAX_ROWS,
    MAX_STORED_ERRORS,
    PREVIEW_ROWS,
    PROGRESS_EVERY,
    Layout,
    Progress,
    _file_error,
    _member_sheet,
    _sheet_layout,
)
from .rows import (
    WRITTEN_FIELDS,
    CellError,
    CleanRow,
    _cell_input,
    _Context,
    _display,
    _RowValidator,
)


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


def _data_rows(rows, layout: Layout) -> Iterator[tuple[int, list, dict]]:
    """(spreadsheet row number, values, marks) for each row holding anything below the
    header, examples skipped; a formula or error cell counts as something."""
    count = 0
    width = layout.width
    for number, values, marks in rows:
        if number < 2:
            continue
        if len(values) < width:
            values = values + [None] * (width - len(values))
        if not marks and all(v is None or (type(v) is str and not v.strip()) for v in values):
            continue
        first = values[0]
        if isinstance(first, str) and first.strip().startswith(EXAMPLE_MARK):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _file_error(
                _("The file has more than %(max)s member rows; split it into smaller files."),
                "too_many_rows",
                max=f"{MAX_ROWS:,}",
            )
        yield number, values, marks


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
    book = read_xlsx(fileobj)
    try:
        sheet = _member_sheet(book)
        rows = book.rows(sheet)
        layout = _sheet_layout(rows, book.last_row(sheet))
        context = _Context(organisation)
        validator = _RowValidator(context)
        check = ImportCheck(organisation=organisation)
        ordered = sorted(layout.columns.items())
        check.headers = [c.header for _, c in ordered]
        total = layout.estimated_rows or 0
        for number, values, marks in _data_rows(rows, layout):
            check.rows += 1
            _check_row(check, context, validator, number, values, marks, ordered)
            if progress is not None and check.rows % PROGRESS_EVERY == 0:
                progress(check.rows, max(total, check.rows))
    finally:
        book.close()
    if check.rows == 0:
        raise _file_error(_("The file holds no member rows below the headers."), "no_rows")
    _check_duplicates(check, actor)
    if progress is not None:
        progress(check.rows, check.rows)
    return check


def _check_row(
    check: ImportCheck,
    context: _Context,
    validator: _RowValidator,
    number: int,
    values: list,
    marks: dict[int, str],
    ordered,
) -> None:
    data: dict[str, Any] = {"organisation": context.target.pk, "status": "active"}
    bad_fields: set[str] = set()
    for index, column in ordered:
        try:
            value = _cell_input(column, values[index], marks.get(index), context)
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
        check.display[number] = [_display(c, values[i]) for i, c in ordered]
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
    # allowed here, done in bulk. A hit in the actor's scope names the union holding the
    # member; one outside it doesn't (security.md: who holds this person), counts against the
    # actor's daily allowance and is written to the audit log.
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
                message = member_services.held_elsewhere_message()
            for r in by_index[index]:
                check.add(r, id_header, message)
    left = member_services.outside_hits_left(actor)
    if left is not None and len(outside) > left:
        # Nothing of the file is reported: the rows would tell which numbers are members.
        raise member_services.too_many_lookups(actor, check.organisation)
    for member in Member.objects.filter(pk__in=outside).select_related("organisation"):
        audit_event(
            member,
            member_services.HIT_EVENT,
            actor=actor,
            asked_for=check.organisation.name,
            via="import",
            outside_scope=True,
        )
    bad = set(check.bad_cells)
    check.clean = [r for r in check.clean if r.row not in bad]
