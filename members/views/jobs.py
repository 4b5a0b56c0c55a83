"""我的导出与导入: a person's own imports and exports, their progress and their files.

A job is visible only to the person who started it, and only while they still hold a role
over its organisation; anyone else gets 404 (security.md: no leak of existence).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unionportal.core.excel import XLSX_CONTENT_TYPE, content_disposition
from unionportal.core.models import FileJob

from .. import access

JOB_LABELS = {
    "members.import": gettext_lazy("Member import"),
    "members.export": gettext_lazy("Member register export"),
    "reporting.summary": gettext_lazy("Excel summary"),
}


def own_job(request: HttpRequest, pk: int, kind: str | None = None) -> FileJob:
    """The user's own job, or 404."""
    jobs = access.file_jobs_of(request.user).select_related("organisation")
    if kind:
        jobs = jobs.filter(kind=kind)
    job = get_object_or_404(jobs, pk=pk)
    job.label = JOB_LABELS.get(job.name, job.name)
    return job


def job_message(job: FileJob) -> str:
    """The plain sentence under the progress bar (ux.md "Long work")."""
    stage = job.params.get("stage", "")
    counts = {"done": f"{job.done:,}", "total": f"{job.total:,}"}
    if job.status == FileJob.Status.FAILED:
        return _("Failed: %(error)s") % {"error": job.error or _("unknown error")}
    if job.status == FileJob.Status.DONE:  # say what was done, in the job's own words
        if job.kind == FileJob.Kind.EXPORT and job.name == "members.export":
            return _("Finished: exported %(done)s members.") % counts
        if job.kind == FileJob.Kind.IMPORT:
            return _("Finished: imported %(done)s members.") % counts
        return _("Finished: %(done)s rows.") % counts
    if job.kind == FileJob.Kind.IMPORT:
        if stage == "importing" and job.done >= job.total:
            return _("Saving %(total)s members…") % counts
        if job.status == FileJob.Status.PENDING and stage == "checked":
            return _("Checked %(total)s rows.") % counts
        if not job.total:
            return _("Checking the rows…")
        return _("Checking %(done)s / %(total)s rows…") % counts
    if job.status == FileJob.Status.PENDING:
        return _("Waiting to start…")
    return _("Writing %(done)s / %(total)s rows…") % counts


def settled(job: FileJob) -> bool:
    """Nothing more happens without the user: finished, or an import checked and waiting for
    confirmation."""
    checked = job.status == FileJob.Status.PENDING and job.params.get("stage") == "checked"
    return job.finished or checked


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = access.file_jobs_of(request.user).select_related("organisation")
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    for job in page:
        job.label = JOB_LABELS.get(job.name, job.name)
    return render(request, "members/job_list.html", {"page": page})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = own_job(request, pk)
    return render(request, "members/job_detail.html", {"job": job, "message": job_message(job)})


@never_cache
@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by static/js/jobs.js every 1.5 s: counts and a sentence, no personal data."""
    job = own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "stage": job.params.get("stage", ""),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": settled(job),
            "message": job_message(job),
            "url": reverse("members:job_detail", args=[job.pk]),
        }
    )


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = own_job(request, pk, kind=FileJob.Kind.EXPORT)
    if job.status != FileJob.Status.DONE or not job.file:
        raise Http404
    # A file with full numbers stays behind the capability that made it (revocation counts).
    if job.params.get("full_fields"):
        access.require(request.user, "export.sensitive", job.organisation)
    else:
        access.require(request.user, "export", job.organisation)
    response = FileResponse(job.file.open("rb"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(
        job.params.get("filename") or f"export-{job.pk}.xlsx"
    )
    response["Cache-Control"] = "no-store, private"
    return response


urlpatterns = [
    path("jobs/", job_list, name="job_list"),
    path("jobs/<int:pk>/", job_detail, name="job_detail"),
    path("jobs/<int:pk>/status.json", job_status, name="job_status"),
    path("jobs/<int:pk>/download/", job_download, name="job_download"),
]
