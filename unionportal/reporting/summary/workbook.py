"""The whole workbook: its sheets in order, the file name, and the file job that writes it."""

from __future__ import annotations

import os
import tempfile
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions import stats as competition_stats
from congress import stats as congress_stats
from members import access
from members.models import Organisation, User
from unionportal.core.audit import audit_event
from unionportal.core.excel import (
    Progress,
    write_xlsx,
)
from unionportal.core.models import FileJob
from unionportal.core.replica import reads_from_replica
from welfare import stats as welfare_stats

from ..indicators import INDICATORS
from ..models import ReportPeriod
from .activities import competition_sheet, honour_sheet, motion_sheet, relief_sheet
from .casework import casework_figures, casework_sheet
from .common import ensure_snapshots
from .kpis import kpi_sheet
from .standards import standard_rows, standard_sheet
from .unions import consolidated_sheet, figures_sheet, reporting_units, union_sheet

JOB_NAME = "reporting.summary"


SHEETS = (
    kpi_sheet,
    union_sheet,
    consolidated_sheet,
    relief_sheet,
    motion_sheet,
    competition_sheet,
    honour_sheet,
    casework_sheet,
    standard_sheet,
    figures_sheet,
)


def write_summary(
    period: ReportPeriod, scope: Organisation, target, *, progress: Progress | None = None
) -> int:
    """Write the period's summary for the subtree of `scope` to `target` (a path or a binary
    file). Returns the rows written (data, totals and note rows; headers not counted);
    `progress(rows_so_far)` as in unionportal.core.excel.write_xlsx."""
    sheets = (make(period, scope) for make in SHEETS)
    return write_xlsx(sheets, target, progress=progress)


def summary_total(period: ReportPeriod, scope: Organisation) -> int:
    """About how many rows write_summary will write: the progress bar's 100%."""
    start, end = period.starts_on, period.ends_on
    children = Organisation.objects.filter(
        path__startswith=scope.path, depth=scope.depth + 1, active=True
    ).count()
    return (
        1
        + children
        + reporting_units(scope).count()
        + 1
        + len(INDICATORS)
        + welfare_stats.relief_payment_rows(start, end, scope).count()
        + 1
        + congress_stats.motion_rows(start, end, scope).count()
        + 1
        + competition_stats.competition_rows(start, end, scope).count()
        + 1
        + competition_stats.honour_rows(start, end, scope).count()
        + 1
        + len(casework_figures(date(end.year, 1, 1), end, scope))
        + 1
        + standard_rows(period, scope)
        + sum(1 for i in INDICATORS if i.computed)
    )


def summary_filename(period: ReportPeriod, scope: Organisation) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"统计汇总-{period.code}-{scope.short_name or scope.name}-{stamp}.xlsx"


# --- The job, built in a Celery task (reporting.tasks.export_summary_task) ----------------------


def summary_job_create(*, actor: User, period: ReportPeriod, organisation: Organisation) -> FileJob:
    access.require(actor, "export", organisation)
    return FileJob.objects.create(
        kind=FileJob.Kind.EXPORT,
        name=JOB_NAME,
        created_by=actor,
        organisation=organisation,
        params={"period": period.pk, "filename": summary_filename(period, organisation)},
    )


def audit_summary(scope: Organisation, *, actor, period: ReportPeriod, rows: int, **data):
    audit_event(
        scope,
        "report.summary_export",
        actor=actor,
        period=period.code,
        rows=rows,
        **data,
    )


def summary_job_run(job: FileJob, *, actor: User) -> int:
    """Build the job's workbook. The actor is checked again here (security.md D8): a task may
    run long after the request, or be called with ids that were never checked."""
    try:
        if actor.pk != job.created_by_id or not actor.is_active:
            raise PermissionDenied
        access.require(actor, "export", job.organisation)
    except PermissionDenied:
        job.mark(FileJob.Status.FAILED, error=_("You may no longer export this summary."))
        raise
    scope = job.organisation
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        period = ReportPeriod.objects.get(pk=job.params.get("period"))
        ensure_snapshots(period)
        # The workbook's reads go to the replica when it is fresh (the job's own rows, the
        # snapshots it may have just written and its progress stay on the primary).
        with reads_from_replica(caught_up=True):
            total = summary_total(period, scope)
        job.mark(FileJob.Status.RUNNING, total=total, done=0)
        with reads_from_replica():
            written = write_summary(period, scope, path, progress=job.report_progress)
        with open(path, "rb") as f:
            job.file.save("summary.xlsx", File(f), save=False)
    except Exception as exc:
        job.mark(FileJob.Status.FAILED, error=f"{type(exc).__name__}")
        raise
    finally:
        os.unlink(path)
    audit_summary(scope, actor=actor, period=period, rows=written, job=job.pk)
    job.mark(FileJob.Status.DONE, total=written, done=written, result={"rows": written})
    return written
