"""The member register as Excel (architecture.md "Excel", security.md F1 and F3).

`member_rows` yields the rows; unionportal.excel.write_xlsx writes them (style.md rule 10).
Resident IDs and phones are masked by default: the stored mask needs no decryption. Full
values only for the export_sensitive capability with a written reason, and every export
writes an audit row with its row count and fields.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.audit import audit_event
from unionportal.excel import Column, write_xlsx
from unionportal.models import FileJob

from . import access, crypto
from .models import CURRENT_STATUSES, Member, Organisation, User
from .spreadsheets import (
    EDUCATION_LABELS,
    EMPLOYMENT_LABELS,
    GENDER_LABELS,
    NO,
    STATUS_LABELS,
    YES,
)
from .validators import mask_mobile, parse_resident_id

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


@dataclass
class ExportFilters:
    """The register list's filters (the same GET parameters): organisation subtree, status
    ("" = current members, "all", or one status), migrant and frontline ("1"/"0"), joined
    from/to, and q (a name, or a full resident ID number)."""

    organisation: Organisation
    status: str = ""
    migrant: str = ""
    frontline: str = ""
    joined_from: date | None = None
    joined_to: date | None = None
    q: str = ""

    def as_params(self) -> dict:
        return {
            "organisation": self.organisation.pk,
            "status": self.status,
            "migrant": self.migrant,
            "frontline": self.frontline,
            "joined_from": self.joined_from.isoformat() if self.joined_from else "",
            "joined_to": self.joined_to.isoformat() if self.joined_to else "",
            "q": self.q,
        }

    @classmethod
    def from_params(cls, params: dict, organisation: Organisation) -> ExportFilters:
        def day(value: str) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(
            organisation=organisation,
            status=params.get("status", ""),
            migrant=params.get("migrant", ""),
            frontline=params.get("frontline", ""),
            joined_from=day(params.get("joined_from", "")),
            joined_to=day(params.get("joined_to", "")),
            q=params.get("q", ""),
        )


def member_export_queryset(user: User, filters: ExportFilters) -> QuerySet:
    """The members the export covers: the user's scope, narrowed by the list's filters."""
    qs = Member.objects.in_scope(user, capability="export").filter(
        organisation__path__startswith=filters.organisation.path
    )
    if filters.status == "all":
        pass
    elif filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status__in=CURRENT_STATUSES)
    if filters.migrant in ("0", "1"):
        qs = qs.filter(is_migrant=filters.migrant == "1")
    if filters.frontline in ("0", "1"):
        qs = qs.filter(is_frontline=filters.frontline == "1")
    if filters.joined_from:
        qs = qs.filter(joined_on__gte=filters.joined_from)
    if filters.joined_to:
        qs = qs.filter(joined_on__lte=filters.joined_to)
    q = filters.q.strip()
    if q:
        try:
            qs = qs.with_resident_id(parse_resident_id(q).number)
        except ValidationError:
            qs = qs.filter(name__icontains=q)
    return qs


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
    rows = (
        queryset.order_by("organisation__path", "name", "id")
        .values_list(*columns)
        .iterator(chunk_size=CHUNK)
    )
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
    filters: ExportFilters,
    target,
    full_fields: tuple[str, ...] = (),
    reason: str = "",
    progress: Progress | None = None,
    job: FileJob | None = None,
) -> int:
    """Write the register to `target` (a path or binary file) and audit it. Raises
    PermissionDenied before writing anything when the actor may not export this scope."""
    organisation = filters.organisation
    access.require(actor, "export", organisation)
    full_fields = tuple(f for f in FULL_FIELDS if f in full_fields)
    if full_fields:
        access.require(actor, "export.sensitive", organisation)
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for exporting full numbers.")})
    rows = member_rows(member_export_queryset(actor, filters), full_fields=full_fields)
    written = write_xlsx([(SHEET_TITLE, EXPORT_COLUMNS, rows)], target, progress=progress)
    fields = [c.title for c in EXPORT_COLUMNS]
    audit_event(
        organisation,
        "member.export",
        actor=actor,
        rows=written,
        fields=fields,
        masked=[f for f in FULL_FIELDS if f not in full_fields],
        filters={k: v for k, v in filters.as_params().items() if v},
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
    *, actor: User, filters: ExportFilters, full_fields: tuple[str, ...], reason: str
) -> FileJob:
    access.require(actor, "export", filters.organisation)
    if full_fields:
        access.require(actor, "export.sensitive", filters.organisation)
    return FileJob.objects.create(
        kind=FileJob.Kind.EXPORT,
        name=JOB_NAME,
        created_by=actor,
        organisation=filters.organisation,
        params={
            "filters": filters.as_params(),
            "full_fields": list(full_fields),
            "reason": reason.strip(),
            "filename": export_filename(filters.organisation, full=bool(full_fields)),
        },
    )


def export_job_run(job: FileJob, *, actor: User) -> int:
    """Build the job's file. The actor is checked again here (security.md D8): a task may run
    long after the request, or be called with ids that were never checked."""
    try:
        if actor.pk != job.created_by_id or not actor.is_active:
            raise PermissionDenied
        access.require(actor, "export", job.organisation)
        full_fields = tuple(job.params.get("full_fields", ()))
        if full_fields:
            access.require(actor, "export.sensitive", job.organisation)
    except PermissionDenied:
        job.mark(FileJob.Status.FAILED, error=_("You may no longer export this union's members."))
        raise
    filters = ExportFilters.from_params(job.params.get("filters", {}), job.organisation)
    total = member_export_queryset(actor, filters).count()
    job.mark(FileJob.Status.RUNNING, total=total, done=0)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        written = member_export(
            actor=actor,
            filters=filters,
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
