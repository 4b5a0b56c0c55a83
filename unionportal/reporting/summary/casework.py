"""The casework sheet (信访与诉求, domain.md K): per union that received cases in the subtree,
the quarter's and the year's figures counted from the records (rights.stats), and the total."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members.models import Organisation
from rights import stats as rights_stats
from unionportal.core.excel import COUNT_FORMAT, PERCENT_FORMAT, Column, TotalsRow

from ..models import ReportPeriod

FIGURES = (
    "petition_visits",
    "petition_people",
    "petition_letters",
    "petition_calls",
    "petition_online",
    "petition_consultations",
    "petitions_accepted",
    "petitions_closed",
    "petitions_closed_on_time",
)


def _labels() -> list[str]:
    return [
        _("Visits (cases)"),
        _("Visits (people)"),
        _("Letters"),
        _("Calls"),
        _("Online requests"),
        _("Consultations answered"),
        _("Requests accepted"),
        _("of which closed"),
        _("of which closed on time"),
    ]


def casework_figures(start: date, end: date, scope: Organisation) -> dict[int, dict[str, int]]:
    """Per receiving union in the subtree: the figures of the window."""
    out: dict[int, dict[str, int]] = {}
    for qs in (
        rights_stats.received(start, end, scope),
        rights_stats.closure(start, end, scope),
    ):
        for row in qs:
            figures = out.setdefault(row["organisation_id"], dict.fromkeys(FIGURES, 0))
            for code in FIGURES:
                if code in row:
                    figures[code] += row[code] or 0
    return out


def closure_rate(figures: dict) -> Decimal | None:
    """办结率 as a fraction for the sheet's percent format; None where nothing was accepted."""
    if not figures["petitions_accepted"]:
        return None
    rate = Decimal(figures["petitions_closed"]) * 100 / Decimal(figures["petitions_accepted"])
    return rate.quantize(Decimal("0.1"), ROUND_HALF_UP) / 100


def casework_sheet(period: ReportPeriod, scope: Organisation):
    quarter = _("This quarter")
    year = _("Year to date")
    labels = _labels()
    headers = [Column(_("Union that received the cases"), 30)]
    for when in (quarter, year):
        headers += [Column(f"{when}：{label}", 12, COUNT_FORMAT) for label in labels]
        headers.append(Column(f"{when}：{_('Closure rate')}", 10, PERCENT_FORMAT))
    no_data = pgettext("rate", "No data")

    def rows() -> Iterator[tuple]:
        q = casework_figures(period.starts_on, period.ends_on, scope)
        y = casework_figures(date(period.ends_on.year, 1, 1), period.ends_on, scope)
        names = dict(Organisation.objects.filter(pk__in=set(q) | set(y)).values_list("pk", "name"))
        order = Organisation.objects.filter(pk__in=names).order_by("path")
        zero = dict.fromkeys(FIGURES, 0)
        totals = {"q": dict(zero), "y": dict(zero)}
        for pk in order.values_list("pk", flat=True):
            row: list = [names[pk]]
            for key, figures in (("q", q.get(pk, zero)), ("y", y.get(pk, zero))):
                row += [figures[c] for c in FIGURES]
                rate = closure_rate(figures)
                row.append(rate if rate is not None else no_data)
                for c in FIGURES:
                    totals[key][c] += figures[c]
            yield tuple(row)
        total: list = [_("Total")]
        for key in ("q", "y"):
            total += [totals[key][c] for c in FIGURES]
            rate = closure_rate(totals[key])
            total.append(rate if rate is not None else no_data)
        yield TotalsRow(tuple(total))

    return _("Casework"), headers, rows()
