"""Imports as file jobs: created from an upload, checked and run inline or in a Celery task."""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import ValidationError

from unionportal.core.models import FileJob

from .. import access
from ..models import Organisation, User
from .file_checks import INLINE_ROWS, Layout, Progress
from .validation import ImportCheck, member_import_check
from .writing import member_import

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
