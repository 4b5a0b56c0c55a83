"""Shared infrastructure records: job runs of periodic and slow work, file jobs (imports
and exports people start and come back to) and the files of the audit-trail export."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a periodic or slow task (architecture.md: every task records its run)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    task = models.CharField(_("task"), max_length=100)
    argument = models.CharField(_("argument"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["task", "-started_at"], name="jobrun_task_started")]

    def __str__(self) -> str:
        return f"{self.task} {self.argument} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None


def _job_file_name(instance: FileJob, filename: str) -> str:
    """Stored names are generated here, never taken from the upload (security.md E6)."""
    return f"jobs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class FileJob(models.Model):
    """An import or export that may take a while: its progress, its file and its result.

    Only the person who started a job sees it ("我的导出与导入"). The file lives in private
    storage (settings.PRIVATE_MEDIA_ROOT) under a random name and is served only by the job's
    download view.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("task"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="file_jobs",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=_job_file_name, blank=True, max_length=200)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file job")
        verbose_name_plural = _("file jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="filejob_user_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="filejob_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("members:job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def report_progress(self, done: int, total: int | None = None) -> None:
        """Write the counts straight to the row: the page polling it reads them at once when
        the job runs outside a transaction (a Celery task)."""
        if total is not None:
            self.total = total
        self.done = min(done, self.total) if self.total else done
        FileJob.objects.filter(pk=self.pk).update(done=self.done, total=self.total)

    def mark(self, status: str, *, error: str = "", **fields) -> None:
        self.status = status
        self.error = error[:4000]
        for key, value in fields.items():
            setattr(self, key, value)
        if status in (self.Status.DONE, self.Status.FAILED):
            self.finished_at = timezone.now()
        self.save()


class AuditExport(models.Model):
    """One file of the shipped audit trail (unionportal.core.audit_export): the lines it holds,
    where the hash chain stood at its end, and the last row id of each source exported so far.

    The latest row is the export's state; every row is also a checkpoint that
    verify_audit_export holds the files against (a rewritten or cut-off chain fails).
    """

    file_name = models.CharField(_("file"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Unique: two runs at once cannot both start the chain's next line.
    first_seq = models.PositiveBigIntegerField(_("first line"), unique=True)
    last_seq = models.PositiveBigIntegerField(_("last line"))
    last_hash = models.CharField(_("hash of the last line"), max_length=64)
    lines = models.PositiveIntegerField(_("lines"))
    # {"auditlog.logentry": 1234, "axes.accesslog": 56, ...}: exported up to this id.
    high_water = models.JSONField(_("exported up to"), default=dict)

    class Meta:
        verbose_name = _("audit export")
        verbose_name_plural = _("audit exports")
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return self.file_name


class StaleMonth(models.Model):
    """A month whose statistics must be computed again: a record dated in it (or before it,
    still in force in it) was added or corrected after the month's snapshots were taken. The
    apps mark months (core/stale.py), the nightly statistics rollup recomputes and clears
    them."""

    month = models.DateField(unique=True)  # always the 1st
    marked_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("month to recompute")
        verbose_name_plural = _("months to recompute")
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
