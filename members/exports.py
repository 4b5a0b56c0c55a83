"""The member register as Excel (architecture.md "Excel", security.md F1 and F3).

`member_rows` yields the rows; unionportal.core.excel.write_xlsx writes them (style.md rule 10).
The rows are the register list's, filtered and sorted by the same parameters.
Resident IDs and phones are masked by default: the stored mask needs no decryption. Full
values only for the export_sensitive capability with a written reason, and every export
writes an audit row with its row count and fields.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core.audit import audit_event
from unionportal.core.excel import Column, write_xlsx
from unionportal.core.models import FileJob
from unionportal.core.replica import reads_from_replica

from . import access, crypto
from .filters import MemberFilter
from .models import Organisation, User
from .spreadsheets import (
    EDUCATION_LABELS,
    EMPLOYMENT_LABELS,
    GENDER_LABELS,
    NO,
    STATUS_LABELS,
    YES,
)
from .validators import mask_mobile

SHEET_TITLE = "会员名册"
EXPORT_COLUMNS = [
    Column("所属组织", 30),
    Column("姓名", 14),
    Column("身份证号", 22),
    Column("性别", 6),
    Column("出生日期", 12),
    Column("手机号", 14),
    Column("学历", 16),
    Column("用工形式", 18),
    Column("农民工", 8),
    Column("一线职工", 10),
    Column("管理人员", 10),
    Column("入会日期", 12),
    Column("会员状态", 14),
    Column("缴费工资基数", 14),
]
FULL_FIELDS = ("resident_id", "phone")
INLINE_ROWS = 3_000  # larger exports are built in a Celery task
CHUNK = 2_000
JOB_NAME = "members.export"

Progress = Callable[[int], None]


# The register list's filters (members.filters.MemberFilter), taken over as they are: the
# export is the list the user is looking at, in full.
FILTER_PARAMS = ("q", "union", "status", "is_migrant", "is_frontline", "joined_from", "joined_to")
SORT_PARAM = "sort"


def filter_params(data) -> dict[str, str]:
    """The list's filter and sort parameters from a GET or POST, as plain strings (JSON-safe,
    so a job can keep them)."""
    return {k: str(data.get(k)) for k in (*FILTER_PARAMS, SORT_PARAM) if data.get(k)}


def member_filter(user: User, params: dict) -> MemberFilter:
    """The register's own filter over the members the user may export."""
    members = access.members_in_scope(user, capability="export").select_related("organisation")
    return MemberFilter(params, queryset=members, user=user)


def export_organisation(user: User, member_filter: MemberFilter) -> Organisation | None:
    """The organisation an export is recorded against: the union filtered on, else the top
    of the user's export scope."""
    union = member_filter.form.cleaned_data.get("union") if member_filter.is_valid() else None
    if union is not None:
        return union
    paths = access.scope_paths(user, "export")
    return Organisation.objects.filter(path=paths[0]).first() if paths else None


_COLUMNS = (
    "organisation__name",
    "name",
    "resident_id_masked",
    "resident_id_cipher",
    "gender",
    "birth_date",
    "phone",
    "education",
    "employment_type",
    "is_migrant",
    "is_frontline",
    "is_manager",
    "joined_on",
    "status",
    "wage_base",
)


def member_rows(queryset: QuerySet, *, full_fields: tuple[str, ...] = ()) -> Iterator[tuple]:
    """One row per member, masked unless `full_fields` names resident_id and/or phone. Reads
    plain column values in chunks (no model instances: the writer is the floor, not the ORM);
    the ciphertext is fetched only when full numbers are asked for."""
    full_id = "resident_id" in full_fields
    full_phone = "phone" in full_fields
    columns = [c for c in _COLUMNS if full_id or c != "resident_id_cipher"]
    education, employment = EDUCATION_LABELS, EMPLOYMENT_LABELS
    # The list's order (the filter sorts; name then id by default).
    rows = queryset.values_list(*columns).iterator(chunk_size=CHUNK)
    for r in rows:
        if full_id:
            org, name, _masked, cipher, *rest = r
            number = crypto.decrypt(cipher)
        else:
            org, name, number, *rest = r
        gender, born, phone, edu, emp, migrant, frontline, manager, joined, status, wage = rest
        yield (
            org,
            name,
            number,
            GENDER_LABELS.get(gender, ""),
            born,
            phone if full_phone else mask_mobile(phone),
            education.get(edu, ""),
            employment.get(emp, ""),
            YES if migrant else NO,
            YES if frontline else NO,
            YES if manager else NO,
            joined,
            STATUS_LABELS.get(status, status),
            wage,
        )


def export_filename(organisation: Organisation, full: bool = False) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    kind = "会员名册（含完整证件号）" if full else "会员名册"
    return f"{kind}-{organisation.short_name or organisation.name}-{stamp}.xlsx"


def member_export(
    *,
    actor: User,
    organisation: Organisation,
    params: dict,
    target,
    full_fields: tuple[str, ...] = (),
    reason: str = "",
    progress: Progress | None = None,
    job: FileJob | None = None,
) -> int:
    """Write the register, filtered by the list's `params`, to `target` (a path or binary
    file) and audit it against `organisation`. Raises PermissionDenied before writing anything
    when the actor may not export there, ValidationError for filters that do not hold."""
    access.require(actor, "export", organisation)
    full_fields = tuple(f for f in FULL_FIELDS if f in full_fields)
    if full_fields:
        access.require(actor, "export.sensitive", organisation)
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for exporting full numbers.")})
    found = member_filter(actor, params)
    if not found.is_valid():
        raise ValidationError(_("The filters are not valid; open the export from the register."))
    union = found.form.cleaned_data.get("union")
    if union is not None and not union.path.startswith(organisation.path):
        raise PermissionDenied
    rows = member_rows(found.qs, full_fields=full_fields)
    written = write_xlsx([(SHEET_TITLE, EXPORT_COLUMNS, rows)], target, progress=progress)
    audit_event(
        organisation,
        "member.export",
        actor=actor,
        rows=written,
        fields=[c.title for c in EXPORT_COLUMNS],
        masked=[f for f in FULL_FIELDS if f not in full_fields],
        filters={k: v for k, v in params.items() if k != "q"},
        job=job.pk if job else None,
    )
    if full_fields:
        audit_event(
            organisation,
            "member.export_sensitive",
            actor=actor,
            rows=written,
            fields=list(full_fields),
            reason=reason.strip(),
            job=job.pk if job else None,
        )
    return written


# --- The job, for exports too large to build while the browser waits ---------------------


def export_job_create(
    *,
    actor: User,
    organisation: Organisation,
    params: dict,
    full_fields: tuple[str, ...],
    reason: str,
) -> FileJob:
    access.require(actor, "export", organisation)
    if full_fields:
        access.require(actor, "export.sensitive", organisation)
    return FileJob.objects.create(
        kind=FileJob.Kind.EXPORT,
        name=JOB_NAME,
        created_by=actor,
        organisation=organisation,
        params={
            "filters": params,
            "full_fields": list(full_fields),
            "reason": reason.strip(),
            "filename": export_filename(organisation, full=bool(full_fields)),
        },
    )


def export_job_run(job: FileJob, *, actor: User) -> int:
    """Build the job's file. The actor is checked again here (security.md D8): a task may run
    long after the request, or be called with ids that were never checked."""
    full_fields = tuple(job.params.get("full_fields", ()))
    try:
        if actor.pk != job.created_by_id or not actor.is_active:
            raise PermissionDenied
        access.require(actor, "export", job.organisation)
        if full_fields:
            access.require(actor, "export.sensitive", job.organisation)
    except PermissionDenied:
        job.mark(FileJob.Status.FAILED, error=_("You may no longer export this union's members."))
        raise
    params = job.params.get("filters", {})
    with reads_from_replica():
        total = member_filter(actor, params).qs.count()
    job.mark(FileJob.Status.RUNNING, total=total, done=0)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        with reads_from_replica():  # the register's rows; the job and the audit on the primary
            written = member_export(
                actor=actor,
                organisation=job.organisation,
                params=params,
                target=path,
                full_fields=full_fields,
                reason=job.params.get("reason", ""),
                progress=lambda n: job.report_progress(n),
                job=job,
            )
        with open(path, "rb") as f:
            job.file.save("export.xlsx", File(f), save=False)
    except Exception as exc:
        job.mark(FileJob.Status.FAILED, error=f"{type(exc).__name__}")
        raise
    finally:
        os.unlink(path)
    job.mark(FileJob.Status.DONE, total=written, done=written, result={"rows": written})
    return written
