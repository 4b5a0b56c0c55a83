"""The 六有六好 sheet: the grassroots unions of the subtree that do not meet the standard at the
quarter's end (their latest confirmed assessment failed, or none is confirmed), with the
weakest area of a failed one."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from assessment import stats as assessment_stats
from members.models import Organisation
from unionportal.core.excel import Column

from ..models import ReportPeriod


def standard_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Union"), 34),
        Column(_("Assessment round"), 26),
        Column(_("Score"), 10, "0.0"),
        Column(_("Pass mark"), 10, "0.0"),
        Column(_("Weakest area"), 16),
        Column(_("Points in that area"), 18),
        Column(_("Result"), 16),
    ]

    def rows() -> Iterator[tuple]:
        for union, assessment in assessment_stats.not_passed(period.ends_on, scope):
            if assessment is None:
                yield (union.name, None, None, None, None, None, _("Not assessed"))
                continue
            weakest = assessment.result.weakest
            yield (
                union.name,
                assessment.round.name,
                assessment.result.total,
                assessment.result.pass_mark,
                weakest.name if weakest else None,
                f"{weakest.score} / {weakest.points}" if weakest else None,
                _("Does not meet the standard"),
            )

    return _("Standard not met"), headers, rows()


def standard_rows(period: ReportPeriod, scope: Organisation) -> int:
    return len(assessment_stats.not_passed(period.ends_on, scope))
