"""The audit trail shipped off the host (security.md G3; ASVS 16.4.3).

Once a day the new rows of the audit log (django-auditlog) and of the login records
(django-axes) are appended to the trail: a JSON-lines file in settings.AUDIT_EXPORT_DIR, one
line per row, each line hashed together with the hash of the line before it, across files.
A file is written once (a temporary file, then a rename) and never rewritten; the operator
ships the directory off the host. `verify_directory` recomputes the chain and names the first
line that was changed, removed or inserted. The export only reads: it never deletes a row.

A line (keys sorted, no spaces, UTF-8):
    {"hash": H, "id": 17, "prev": P, "row": {...every column...}, "seq": 5,
     "source": "auditlog.logentry"}
where P is the hash of line seq-1 (GENESIS for the first line of the trail) and
H = sha256(P + the same JSON without "hash").

Which rows: per source, those above the id exported last, in id order, up to the first row
that has not settled. An id is taken when a row is inserted, but the row is seen only when its
transaction commits, so a row with a lower id can appear after a higher one was exported; two
hours (longer than any task may run, CELERY_TASK_TIME_LIMIT) after the rows around it were
written, its transaction has ended. Login records wait 12 hours more, because axes writes the
logout time into the row when the session ends (SESSION_ABSOLUTE_SECONDS at the latest).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .models import AuditExport

GENESIS = "0" * 64
FILE_GLOB = "audit-*.jsonl"
SETTLE = timedelta(hours=2)
KEYS = {"seq", "source", "id", "row", "prev", "hash"}


@dataclass(frozen=True)
class Source:
    model: type[models.Model]
    time_field: str
    settle: timedelta

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def sources() -> tuple[Source, ...]:
    """The audited tables, in the order their rows go into a file."""
    login_settle = SETTLE + timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    found = (
        Source(LogEntry, "timestamp", SETTLE),
        Source(AccessLog, "attempt_time", login_settle),
        Source(AccessFailureLog, "attempt_time", SETTLE),
    )
    return tuple(sorted(found, key=lambda s: s.label))


# --- Lines ----------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot write {type(value).__name__} to the audit trail")


def canonical(data: dict) -> str:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )


def line_hash(body: dict) -> str:
    """The hash of a line: its predecessor's hash, then the line without its own hash."""
    return hashlib.sha256((body["prev"] + canonical(body)).encode("utf-8")).hexdigest()


def row_data(obj: models.Model) -> dict:
    """Every column of the row, foreign keys as their ids."""
    return {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields}


# --- Export ---------------------------------------------------------------------------------


class ExportRefused(Exception):
    """The directory does not match the recorded state; an operator has to look."""


def _settled_rows(source: Source, after_id: int, now: datetime) -> Iterator[models.Model]:
    cutoff = now - source.settle
    rows = source.model.objects.filter(pk__gt=after_id).order_by("pk")
    for obj in rows.iterator(chunk_size=2000):
        if getattr(obj, source.time_field) >= cutoff:
            return  # this one and every later id wait for the next run
        yield obj


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def export_audit_rows(now: datetime | None = None) -> AuditExport | None:
    """Append the settled new audit rows to the trail as one new file; None when there are
    none. Idempotent: a second run right after the first writes nothing."""
    now = now or timezone.now()
    directory = Path(settings.AUDIT_EXPORT_DIR)
    directory.mkdir(mode=0o750, parents=True, exist_ok=True)
    with transaction.atomic():
        # Serialises runs; the unique first_seq stops two first runs at once.
        last = AuditExport.objects.select_for_update().order_by("-last_seq").first()
        files = sorted(directory.glob(FILE_GLOB))
        if files and not AuditExport.objects.filter(file_name=files[-1].name).exists():
            raise ExportRefused(
                f"{files[-1]} is not a recorded export (a run that failed after writing it, "
                "or another database's trail); check it and move it away, then run again."
            )
        seq = last.last_seq if last else 0
        prev = last.last_hash if last else GENESIS
        high_water = dict(last.high_water) if last else {}
        name = f"audit-{timezone.localtime(now):%Y%m%d-%H%M%S}-{seq + 1:010d}.jsonl"
        final = directory / name
        temporary = directory / f".{name}.tmp"
        first_seq = seq + 1
        try:
            with open(temporary, "w", encoding="utf-8", newline="\n") as out:
                for source in sources():
                    for obj in _settled_rows(source, high_water.get(source.label, 0), now):
                        seq += 1
                        body = {
                            "seq": seq,
                            "source": source.label,
                            "id": obj.pk,
                            "row": row_data(obj),
                            "prev": prev,
                        }
                        prev = line_hash(body)
                        out.write(canonical({**body, "hash": prev}) + "\n")
                        high_water[source.label] = obj.pk
                out.flush()
                os.fsync(out.fileno())
            if seq < first_seq:
                return None
            if last and name <= last.file_name:
                raise ExportRefused(f"{name} sorts before {last.file_name}: is the clock right?")
            export = AuditExport.objects.create(
                file_name=name,
                created_at=now,
                first_seq=first_seq,
                last_seq=seq,
                last_hash=prev,
                lines=seq - first_seq + 1,
                high_water=high_water,
            )
            os.chmod(temporary, 0o440)
            if final.exists():
                raise ExportRefused(f"{final} exists already; it is never overwritten.")
            os.replace(temporary, final)
            _fsync_directory(directory)
        finally:
            temporary.unlink(missing_ok=True)
    return export


def run_export() -> int:
    """The scheduled work (tasks.audit_export): the number of lines written."""
    export = export_audit_rows()
    return export.lines if export else 0


# --- Verification ---------------------------------------------------------------------------


@dataclass
class Break:
    file: str
    line: int
    kind: str  # changed, removed or inserted
    detail: str

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.kind}: {self.detail}"


@dataclass
class Verification:
    files: int = 0
    lines: int = 0
    counts: Counter = field(default_factory=Counter)
    last_seq: int = 0
    last_hash: str = GENESIS
    checkpoints: int = 0
    broken: Break | None = None


def _check_line(text: str, seq: int, prev: str) -> tuple[str, str] | None:
    """What is wrong with a line that should be line `seq` following hash `prev`, if anything."""
    if not text.strip():
        return "inserted", "an empty line"
    try:
        line = json.loads(text)
    except ValueError:
        return "changed", "it is not a JSON line any more"
    if not isinstance(line, dict) or set(line) != KEYS:
        return "changed", "its fields are not those of an audit line"
    body = {k: v for k, v in line.items() if k != "hash"}
    if not isinstance(line["prev"], str) or line_hash(body) != line["hash"]:
        return "changed", "its hash does not match its content"
    if not isinstance(line["seq"], int) or line["seq"] > seq:
        return "removed", f"it is line {line['seq']} of the trail where {seq} was due"
    if line["seq"] < seq:
        return "inserted", f"it is line {line['seq']} of the trail again, where {seq} was due"
    if line["prev"] != prev:
        return "removed", "it does not chain to the line before it (replaced or removed)"
    return None


def verify_directory(directory: Path, checkpoints: dict[int, str] | None = None) -> Verification:
    """Recompute the chain over every file of the directory, oldest first. `checkpoints`
    (line number -> hash, from the recorded exports) must all be met: a chain rewritten
    from the start, or one whose last lines or files are gone, fails too."""
    result = Verification()
    pending = dict(checkpoints or {})
    last_file, number = "(no file)", 0
    for path in sorted(Path(directory).glob(FILE_GLOB)):
        result.files += 1
        last_file, number = path.name, 0
        with open(path, encoding="utf-8", newline="\n") as lines:
            for number, text in enumerate(lines, 1):
                wrong = _check_line(text, result.last_seq + 1, result.last_hash)
                line = None if wrong else json.loads(text)
                if line and pending.get(line["seq"], line["hash"]) != line["hash"]:
                    wrong = ("changed", "the export recorded another hash for this line")
                if wrong:
                    result.broken = Break(path.name, number, *wrong)
                    return result
                if pending.pop(line["seq"], None):
                    result.checkpoints += 1
                result.lines += 1
                result.counts[line["source"]] += 1
                result.last_seq, result.last_hash = line["seq"], line["hash"]
    if pending:
        result.broken = Break(
            last_file,
            number + 1,
            "removed",
            f"the trail ends at line {result.last_seq}, but the export wrote up to line "
            f"{max(pending)}",
        )
    return result
