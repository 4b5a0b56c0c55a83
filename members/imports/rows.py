"""Reading one row: each cell's value as the register's form would take it, with the
row's errors."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from unionportal.core.excel import FORMULA_MARK, FORMULA_TRIGGERS

from ..forms import MemberForm
from ..models import MEMBER_ORG_KINDS, Organisation
from ..services.members import MEMBER_FIELDS
from ..spreadsheets import (
    NO,
    YES,
    ImportColumn,
)
from ..validators import mask_mobile, mask_resident_id, tidy

# --- Reading cells --------------------------------------------------------------------------


class CellError(Exception):
    pass


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _cell_input(column: ImportColumn, value: Any, mark: str | None, context: _Context) -> Any:
    """The value to give the form for one cell (as python-calamine read it, with the mark the
    sheet's XML gave it: unionportal.core.excel.read_xlsx), or CellError with the reason."""
    if mark == FORMULA_MARK:
        raise CellError(_("Formulas are not accepted; type the value itself."))
    if mark is not None:
        raise CellError(_("The cell shows an Excel error (%(value)s).") % {"value": mark})
    if value is None or (isinstance(value, str) and not value.strip()):
        return {"bool": False, "org": context.target.pk}.get(column.kind, "")
    kind = column.kind
    if kind == "id":
        if type(value) in (int, float):
            # Excel keeps 15 significant digits: an 18-digit number has already lost its last.
            raise CellError(
                _(
                    "Format the resident ID column as text: Excel keeps only 15 significant "
                    "digits, so this number has already lost digits. Type it again as text."
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
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            if isinstance(value, (int, float)):
                raise CellError(_("Enter an amount in yuan.")) from None
            return _text(value)  # the form says what is wrong with the text
        if not amount.is_finite():  # inf, nan: never stored as 0 (security.md E5)
            raise CellError(_("Enter an amount in yuan; this cell holds no number."))
        return amount if isinstance(value, (int, float)) else _text(value)
    if kind == "org":
        return context.org_by_name(_text(value))
    if kind == "text":
        return _plain_text(value)
    return _text(value)


def _plain_text(value: Any) -> str:
    """A text cell's value. Text a spreadsheet would run as a formula when the register is
    exported again ("=1+1", "\t=1+1", "@SUM(...)") is a row error, not stored (security.md E5):
    the user removes the sign, nothing is silently changed."""
    raw = str(value)
    text = _text(value)
    if raw[:1] in ("\t", "\r") or text.startswith(FORMULA_TRIGGERS):
        raise CellError(
            _("This text starts like a formula (= + - @ or a tab); remove that character.")
        )
    return text


def _choice(column: ImportColumn, text: str) -> str:
    for code, label in column.choices.items():
        if text == label or text.lower() == code:
            return code
    if text in column.aliases:
        return column.aliases[text]
    raise CellError(
        _("Choose one of: %(choices)s.") % {"choices": "、".join(column.choices.values())}
    )


def _masked(text: str, keep: int = 4) -> str:
    return "*" * max(0, len(text) - keep) + text[-keep:] if len(text) > keep else "*" * len(text)


def _display(column: ImportColumn, value: Any) -> str:
    """What the preview shows for a cell: IDs and phones masked as everywhere else (a number
    of the wrong length keeps only its last 4 characters), invisible characters made visible,
    long text cut."""
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
