"""One row per reporting union, and the consolidated quarterly report of the subtree."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from members.models import GRASSROOTS_KINDS, Organisation
from unionportal.core.excel import (
    COUNT_FORMAT,
    DATE_FORMAT,
    MONEY_FORMAT,
    Column,
    TotalsRow,
)

from ..indicators import INDICATORS
from ..models import QuarterlyReport, ReportPeriod, ReportStatus
from ..services import from_json
from ..sources import TERRITORIAL, figures_for
from .common import CHUNK, COUNTED, _day, _in, _money

# --- Sheet 2: one row per union ----------------------------------------------------------------


NESTED = {i.code for i in INDICATORS if i.nested}


def territories_counted(period: ReportPeriod, scope: Organisation) -> set[str]:
    """The paths of the county, township and park unions in the subtree whose report of the
    period is counted: each carries its whole subtree's casework (indicators.BOTH)."""
    return set(
        QuarterlyReport.objects.filter(period=period, status__in=COUNTED)
        .filter(_in(scope, "organisation__"))
        .filter(organisation__in=Organisation.objects.filter(TERRITORIAL))
        .values_list("organisation__path", flat=True)
    )


def under_territory(path: str, territories: set[str]) -> bool:
    """Whether a counted territorial report lies strictly above `path`: a figure it carries
    for its subtree is then counted there, not again here."""
    step = Organisation.steplen
    return any(path[:k] in territories for k in range(step, len(path), step))


def _indicator_columns() -> list[Column]:
    return [Column(str(i.label), 14, MONEY_FORMAT if i.money else COUNT_FORMAT) for i in INDICATORS]


def reporting_units(scope: Organisation):
    """The organisations in the subtree that file a quarterly report (active grassroots,
    county, township and park unions), ordered by the tree."""
    return (
        Organisation.objects.filter(_in(scope), active=True)
        .filter(Q(kind__in=GRASSROOTS_KINDS) | TERRITORIAL)
        .order_by("path")
    )


def union_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Union name"), 30),
        Column(_("Report status"), 10),
        Column(_("Submitted on"), 12, DATE_FORMAT),
        Column(_("Accepted on"), 12, DATE_FORMAT),
        *_indicator_columns(),
    ]
    labels = dict(ReportStatus.choices)
    codes = [i.code for i in INDICATORS]

    def rows() -> Iterator[tuple]:
        report = QuarterlyReport.objects.filter(period=period, organisation=OuterRef("pk"))
        units = (
            Organisation.objects.filter(_in(scope))
            .filter(
                Q(active=True, kind__in=GRASSROOTS_KINDS)
                | Q(TERRITORIAL, active=True)
                | Q(pk__in=QuarterlyReport.objects.filter(period=period).values("organisation"))
            )
            .order_by("path")
            .annotate(
                r_status=Subquery(report.values("status")[:1]),
                r_submitted=Subquery(report.values("submitted_at")[:1]),
                r_reviewed=Subquery(report.values("reviewed_at")[:1]),
                r_values=Subquery(report.values("values")[:1]),
            )
            .values_list("name", "r_status", "r_submitted", "r_reviewed", "r_values", "path")
        )
        totals = {c: 0 for c in codes}
        count = counted = 0
        territories = territories_counted(period, scope)
        for name, status, submitted, reviewed, values, path in units.iterator(chunk_size=CHUNK):
            count += 1
            row = [name, str(labels[status]) if status in labels else _("No report")]
            if status in COUNTED:
                counted += 1
                if isinstance(values, str):  # a JSON subquery read back as text
                    values = json.loads(values)
                values = values or {}
                figures = [from_json(c, values.get(c)) for c in codes]
                nested_above = under_territory(path, territories)
                for c, v in zip(codes, figures, strict=True):
                    if v is not None and not (nested_above and c in NESTED):
                        totals[c] += v
                accepted = _day(reviewed) if status == ReportStatus.ACCEPTED else None
                yield (*row, _day(submitted), accepted, *figures)
            else:
                yield (*row, None, None)
        yield TotalsRow(
            (
                _("Total: %(count)s unions, %(counted)s reports counted")
                % {"count": f"{count:,}", "counted": f"{counted:,}"},
                None,
                None,
                None,
                *(_money(totals[i.code]) if i.money else totals[i.code] for i in INDICATORS),
            )
        )

    return _("Unions"), headers, rows()


# --- Sheet 3: the consolidated quarterly report -------------------------------------------------


def consolidated_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Section"), 24),
        Column(_("Indicator"), 36),
        Column(_("Unit"), 8),
        Column(_("Total"), 16),
        Column(_("Reports included"), 12, COUNT_FORMAT),
        Column(_("Reports that overrode it"), 14, COUNT_FORMAT),
    ]

    def rows() -> Iterator[tuple]:
        totals: dict[str, int | Decimal] = {i.code: 0 for i in INDICATORS}
        included = dict.fromkeys(totals, 0)
        overridden = dict.fromkeys(totals, 0)
        reports = (
            QuarterlyReport.objects.filter(period=period, status__in=COUNTED)
            .filter(_in(scope, "organisation__"))
            .order_by()
            .values_list("values", "reasons", "organisation__path")
        )
        territories = territories_counted(period, scope)
        for values, reasons, path in reports.iterator(chunk_size=CHUNK):
            nested_above = under_territory(path, territories)
            for code, raw in (values or {}).items():
                if nested_above and code in NESTED:
                    continue  # the territorial report above carries it
                if code in totals and raw is not None:
                    totals[code] += from_json(code, raw)
                    included[code] += 1
            for code in reasons or {}:
                if code in overridden:
                    overridden[code] += 1
        for i in INDICATORS:
            total = _money(totals[i.code]) if i.money else totals[i.code]
            yield (
                str(i.section),
                str(i.label),
                _("yuan") if i.money else _("count"),
                total,
                included[i.code],
                overridden[i.code],
            )

    return _("Consolidated report"), headers, rows()


# --- The quarter's figures counted from the records ---------------------------------------------


def figures_sheet(period: ReportPeriod, scope: Organisation):
    """Every computed indicator of the quarter for the whole subtree of `scope`, counted from
    the records now (sources.figures_for), whether or not its unions have filed: honours by
    kind and level, studios (held at the quarter's end), items reviewed, 送温暖 and the rest."""
    headers = [
        Column(_("Section"), 24),
        Column(_("Indicator"), 40),
        Column(_("Unit"), 8),
        Column(_("Counted from the records"), 18),
    ]

    def rows() -> Iterator[tuple]:
        figures = figures_for(scope, period.starts_on, period.ends_on)
        for i in INDICATORS:
            if i.computed:
                value = _money(figures[i.code]) if i.money else figures[i.code]
                yield (str(i.section), str(i.label), _("yuan") if i.money else _("count"), value)

    return _("Figures from the records"), headers, rows()
