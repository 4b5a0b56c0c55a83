"""Excel pages of the register: the import (template → upload → preview → confirm → result)
and the export (ux.md "Import" and "Long work"; security.md E and F)."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from unionportal.core.excel import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE, content_disposition
from unionportal.core.lookup import search_text
from unionportal.core.models import FileJob
from unionportal.core.replica import reads_from_replica

from .. import access, exports, imports
from ..excel_forms import MemberExportForm, MemberImportForm
from ..tasks import export_members_task, import_check_task, import_members_task
from .jobs import job_message, own_job

# --- Import ---------------------------------------------------------------------------------


class CappedUploadHandler(FileUploadHandler):
    """Stops storing an upload once it passes the cap, so a 1 GB file never reaches the disk;
    the form then says the file is too big (security.md E1: a form error, never a 500)."""

    def __init__(self, request, cap: int):
        super().__init__(request)
        self.cap = cap

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.cap:
            self.request.upload_too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int):
        return None  # the next handler (Django's own) builds the file


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "member.edit")
    response = HttpResponse(imports.build_import_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition("会员导入模板.xlsx")
    return response


@csrf_exempt  # checked below, once the upload handler is in place (Django's documented way)
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    request.upload_handlers.insert(0, CappedUploadHandler(request, MAX_UPLOAD_BYTES))
    return _import_upload(request)


@csrf_protect
def _import_upload(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "member.edit")
    if request.method == "POST":
        form = MemberImportForm(
            request.POST,
            request.FILES,
            user=user,
            too_big=getattr(request, "upload_too_big", False),
        )
        if form.is_valid():
            job = imports.import_job_create(
                actor=user,
                organisation=form.cleaned_data["union"],
                upload=form.cleaned_data["file"],
                layout=form.layout,
            )
            if imports.runs_inline(job):
                imports.import_job_check(job, actor=user)
            else:
                job.mark(FileJob.Status.RUNNING)
                transaction.on_commit(lambda: import_check_task.delay(job.pk, user.pk), robust=True)
            return redirect("members:import_preview", job_pk=job.pk)
    else:
        form = MemberImportForm(user=user)
    return render(request, "members/import_upload.html", {"form": form})


@login_required
@require_GET
def import_preview(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = own_job(request, job_pk, kind=FileJob.Kind.IMPORT)
    result = job.result or {}
    context = {
        "job": job,
        "result": result,
        "message": job_message(job),
        "stage": job.params.get("stage", ""),
        "can_commit": (
            bool(job.file)
            and job.status == FileJob.Status.PENDING
            and job.params.get("stage") == "checked"
            and result.get("rows", 0) > 0
            and not result.get("bad_rows")
        ),
        "more_errors": max(0, result.get("errors_total", 0) - len(result.get("errors", []))),
    }
    return render(request, "members/import_preview.html", context)


@login_required
@require_POST
def import_commit(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = own_job(request, job_pk, kind=FileJob.Kind.IMPORT)
    access.require(request.user, "member.edit", job.organisation)
    # Lock the job: a double click or a second tab must not import the file twice.
    job = FileJob.objects.select_for_update().select_related("organisation").get(pk=job.pk)
    if job.status != FileJob.Status.PENDING or job.params.get("stage") != "checked":
        messages.info(request, _("This file has already been imported or is being imported."))
        return redirect("members:import_preview", job_pk=job.pk)
    if (job.result or {}).get("bad_rows") or not job.file:
        messages.error(request, _("Correct the rows with errors and upload the file again."))
        return redirect("members:import_preview", job_pk=job.pk)
    user = request.user
    if imports.runs_inline(job):
        imported = imports.import_job_run(job, actor=user)
        if imported:
            messages.success(
                request, _("%(n)s members have been imported.") % {"n": f"{imported:,}"}
            )
        elif job.status == FileJob.Status.PENDING:
            messages.error(
                request,
                _("The register has changed since the check: correct the rows below."),
            )
    else:
        job.mark(FileJob.Status.RUNNING, done=0, params={**job.params, "stage": "importing"})
        transaction.on_commit(lambda: import_members_task.delay(job.pk, user.pk), robust=True)
    return redirect("members:import_preview", job_pk=job.pk)


# --- Export ---------------------------------------------------------------------------------


@sensitive_post_parameters("reason")
@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    """The register list's export button leads here with the list's filters in the query
    string; the page shows what they match and posts them back to start the export."""
    user = request.user
    access.require(user, "export")
    if request.method != "POST":
        _text, back = search_text(request)  # an ID or phone in ?q= is sent away
        if back:
            return back
    data = request.POST if request.method == "POST" else request.GET
    params = exports.filter_params(data)
    found = exports.member_filter(user, params)
    form = MemberExportForm(request.POST if request.method == "POST" else None, user=user)
    valid = found.is_valid()
    count = found.qs.count() if valid else None
    if request.method == "POST":
        if request.POST.getlist("full_fields") and not form.sensitive:
            raise PermissionDenied
        if valid and form.is_valid():
            organisation = exports.export_organisation(user, found)
            if organisation is None:
                raise PermissionDenied
            full_fields = form.chosen_full_fields()
            if full_fields:
                access.require(user, "export.sensitive", organisation)
            reason = form.cleaned_data.get("reason", "")
            if count <= exports.INLINE_ROWS:
                return _export_now(request, organisation, params, full_fields, reason)
            job = exports.export_job_create(
                actor=user,
                organisation=organisation,
                params=params,
                full_fields=full_fields,
                reason=reason,
            )
            transaction.on_commit(lambda: export_members_task.delay(job.pk, user.pk), robust=True)
            messages.info(
                request,
                _(
                    "The export of %(n)s members is being prepared. You can leave this page and "
                    "find the file later under My exports and imports."
                )
                % {"n": f"{count:,}"},
            )
            return redirect("members:job_detail", pk=job.pk)
    return render(
        request,
        "members/member_export.html",
        {"filter": found, "form": form, "count": count, "inline_rows": exports.INLINE_ROWS},
    )


def _export_now(request, organisation, params, full_fields, reason) -> HttpResponse:
    out = BytesIO()
    with reads_from_replica():  # the register's rows; the audit rows go to the primary
        exports.member_export(
            actor=request.user,
            organisation=organisation,
            params=params,
            target=out,
            full_fields=full_fields,
            reason=reason,
        )
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(
        exports.export_filename(organisation, full=bool(full_fields))
    )
    response["Cache-Control"] = "no-store, private"
    return response


urlpatterns = [
    path("members/import/", import_upload, name="import_upload"),
    path("members/import/template.xlsx", import_template, name="import_template"),
    path("members/import/<int:job_pk>/", import_preview, name="import_preview"),
    path("members/import/<int:job_pk>/commit/", import_commit, name="import_commit"),
    path("members/export/", member_export, name="member_export"),
]
