"""The shipped audit trail (security.md G3; unionportal.core.audit_export): new audit and login
rows go out daily as hash-chained JSON lines, and verification names the first line changed,
removed or inserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone

from unionportal.core.audit_export import (
    GENESIS,
    ExportRefused,
    canonical,
    export_audit_rows,
    line_hash,
    verify_directory,
)
from unionportal.core.models import AuditExport, JobRun
from unionportal.core.tasks import export_audit_trail

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def trail(settings, tmp_path) -> Path:
    settings.AUDIT_EXPORT_DIR = tmp_path / "audit-export"
    return settings.AUDIT_EXPORT_DIR


def log_entry(name: str, **fields) -> LogEntry:
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(JobRun),
        object_pk="1",
        object_id=1,
        object_repr=name,
        action=LogEntry.Action.ACCESS,
        changes={"note": ["", name]},
        additional_data={"event": "test.event"},
        remote_addr="10.1.2.3",
        **fields,
    )


def login(username: str) -> AccessLog:
    return AccessLog.objects.create(
        user_agent="ua", ip_address="10.0.0.1", username=username, http_accept="*/*", path_info="/"
    )


def failure(username: str) -> AccessFailureLog:
    return AccessFailureLog.objects.create(
        user_agent="ua", ip_address="10.0.0.2", username=username, http_accept="*/*", path_info="/"
    )


def run(days: float) -> AuditExport | None:
    """Run the export as if `days` had passed, so every row so far has settled."""
    return export_audit_rows(now=timezone.now() + timedelta(days=days))


def lines(path: Path) -> list[dict]:
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]


def files(directory: Path) -> list[Path]:
    return sorted(directory.glob("audit-*.jsonl"))


def checkpoints() -> dict[int, str]:
    return dict(AuditExport.objects.values_list("last_seq", "last_hash"))


# --- Export ---------------------------------------------------------------------------------


def test_the_export_writes_one_chained_line_per_new_row_of_each_source(trail):
    first, second = log_entry("run 1"), log_entry("run 2")
    ok, bad = login("chair_a"), failure("chair_b")
    done = run(1)
    [path] = files(trail)
    assert path.name == done.file_name and done.lines == 4
    written = lines(path)
    assert [(line["source"], line["id"]) for line in written] == [
        ("auditlog.logentry", first.pk),
        ("auditlog.logentry", second.pk),
        ("axes.accessfailurelog", bad.pk),
        ("axes.accesslog", ok.pk),
    ]
    assert [line["seq"] for line in written] == [1, 2, 3, 4]
    assert written[0]["prev"] == GENESIS
    for before, line in zip(written, written[1:], strict=False):
        assert line["prev"] == before["hash"]
    for line in written:
        body = {k: v for k, v in line.items() if k != "hash"}
        assert line["hash"] == line_hash(body)
    row = written[1]["row"]
    assert row["object_repr"] == "run 2" and row["changes"] == {"note": ["", "run 2"]}
    assert row["remote_addr"] == "10.1.2.3" and row["content_type_id"] == first.content_type_id
    assert row["timestamp"] == second.timestamp.isoformat()
    assert written[3]["row"]["username"] == "chair_a"
    assert done.high_water == {
        "auditlog.logentry": second.pk,
        "axes.accessfailurelog": bad.pk,
        "axes.accesslog": ok.pk,
    }
    assert not list(trail.glob(".*")), "no temporary file is left behind"
    assert path.read_text(encoding="utf-8").endswith("\n")
    assert all(canonical(line) == text for line, text in zip(written, _texts(path), strict=True))


def _texts(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_a_second_run_writes_nothing(trail):
    log_entry("run 1")
    assert run(1) is not None
    assert run(1) is None
    call_command("export_audit")
    assert len(files(trail)) == 1 and AuditExport.objects.count() == 1


def test_a_new_row_chains_onto_the_previous_file(trail):
    log_entry("run 1")
    failure("chair_a")
    older = run(1)
    entry = log_entry("run 2")
    newer = run(2)
    assert [p.name for p in files(trail)] == [older.file_name, newer.file_name]
    [line] = lines(trail / newer.file_name)
    assert (line["seq"], line["prev"], line["id"]) == (3, older.last_hash, entry.pk)
    assert newer.high_water["axes.accessfailurelog"] == older.high_water["axes.accessfailurelog"]


def test_rows_wait_until_their_transaction_must_have_ended(trail):
    now = timezone.now()
    young = log_entry("young")
    backdated = log_entry("backdated", timestamp=now - timedelta(days=1))
    assert export_audit_rows(now=now + timedelta(hours=1)) is None  # the later id waits too
    done = export_audit_rows(now=now + timedelta(hours=3))
    assert [line["id"] for line in lines(trail / done.file_name)] == [young.pk, backdated.pk]


def test_a_login_goes_out_once_its_session_has_ended_with_its_logout_time(trail):
    session = login("chair_a")
    assert run(0.5) is None  # 12 hours: the session may still end with a logout
    AccessLog.objects.filter(pk=session.pk).update(logout_time=timezone.now())
    [line] = lines(trail / run(1).file_name)
    assert line["id"] == session.pk and line["row"]["logout_time"] is not None


def test_the_scheduled_task_exports_the_settled_rows_and_records_its_run(trail):
    log_entry("settled", timestamp=timezone.now() - timedelta(days=1))
    log_entry("just now")
    export_audit_trail.delay()
    run = JobRun.objects.get(task="audit_export")
    assert (run.status, run.rows) == (JobRun.Status.DONE, 1)
    [path] = files(trail)
    assert [line["row"]["object_repr"] for line in lines(path)] == ["settled"]


def test_the_export_refuses_when_the_newest_file_is_not_a_recorded_one(trail):
    log_entry("run 1")
    run(1)
    (trail / "audit-29990101-000000-0000000099.jsonl").write_text("", encoding="utf-8")
    log_entry("run 2")
    with pytest.raises(ExportRefused, match="not a recorded export"):
        run(2)
    with pytest.raises(CommandError, match="not a recorded export"):
        call_command("export_audit")
    assert JobRun.objects.get(task="audit_export").status == JobRun.Status.FAILED
    assert AuditExport.objects.count() == 1


# --- Verification ---------------------------------------------------------------------------


@pytest.fixture
def three_files(trail) -> list[Path]:
    """A trail of three files: lines 1-3, 4-5 and 6."""
    log_entry("run 1")
    login("chair_a")
    failure("chair_b")
    run(1)
    log_entry("run 2")
    log_entry("run 3")
    run(2)
    failure("chair_c")
    run(3)
    found = files(trail)
    assert [len(lines(p)) for p in found] == [3, 2, 1]
    return found


def test_an_intact_trail_verifies(three_files, trail, capsys):
    result = verify_directory(trail, checkpoints())
    assert result.broken is None
    assert (result.files, result.lines, result.checkpoints) == (3, 6, 3)
    call_command("verify_audit_export", str(trail))
    out = capsys.readouterr().out
    assert out.startswith("OK: 3 files, 6 lines") and "3 recorded exports matched" in out


def _rewrite(path: Path, change) -> None:
    texts = _texts(path)
    path.chmod(0o640)
    path.write_text("".join(t + "\n" for t in change(texts)), encoding="utf-8")


def _edit_second_line(texts):
    texts[1] = texts[1].replace('"username":"chair_b"', '"username":"chair_x"')
    return texts


@pytest.mark.parametrize(
    ("tamper", "file_index", "line", "kind"),
    [
        ("edit a line", 0, 2, "changed"),
        ("delete a line", 0, 2, "removed"),
        ("swap two lines", 0, 2, "removed"),
        ("repeat a line", 0, 2, "inserted"),
        ("delete the middle file", 2, 1, "removed"),
        ("delete the last file", 1, 3, "removed"),
        ("truncate the last line", 2, 1, "changed"),
    ],
)
def test_tampering_is_found_at_the_first_broken_line(
    three_files, trail, tamper, file_index, line, kind
):
    first, middle, last = three_files
    if tamper == "edit a line":
        before = _texts(first)
        _rewrite(first, _edit_second_line)
        assert _texts(first)[1] != before[1] and _texts(first)[0] == before[0]
    elif tamper == "delete a line":
        _rewrite(first, lambda t: [t[0], t[2]])
    elif tamper == "swap two lines":
        _rewrite(first, lambda t: [t[0], t[2], t[1]])
    elif tamper == "repeat a line":
        _rewrite(first, lambda t: [t[0], t[0], t[1], t[2]])
    elif tamper == "delete the middle file":
        middle.unlink()
    elif tamper == "delete the last file":
        last.unlink()
    elif tamper == "truncate the last line":
        _rewrite(last, lambda t: [t[0][:-20]])
    result = verify_directory(trail, checkpoints())
    names = [p.name for p in three_files]
    assert result.broken is not None, tamper
    assert (result.broken.file, result.broken.line, result.broken.kind) == (
        names[file_index],
        line,
        kind,
    ), str(result.broken)
    with pytest.raises(CommandError, match=f"BROKEN: {names[file_index]} line {line}: {kind}"):
        call_command("verify_audit_export", str(trail))


def test_a_chain_rewritten_from_the_start_passes_alone_but_not_against_the_recorded_exports(
    three_files, trail
):
    prev = GENESIS
    for path in three_files:
        rehashed = []
        for line in lines(path):
            body = {k: v for k, v in line.items() if k != "hash"}
            body["prev"] = prev
            if body["row"].get("username") == "chair_a":
                body["row"]["username"] = "someone_else"
            prev = line_hash(body)
            rehashed.append(canonical({**body, "hash": prev}))
        _rewrite(path, lambda _t, rehashed=rehashed: rehashed)
    assert verify_directory(trail).broken is None
    broken = verify_directory(trail, checkpoints()).broken
    assert (broken.file, broken.line, broken.kind) == (three_files[0].name, 3, "changed")


def test_the_command_exits_non_zero_on_a_broken_trail(three_files, trail):
    def verify() -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "",
        }
        return subprocess.run(
            [sys.executable, "manage.py", "verify_audit_export", str(trail), "--files-only"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert verify().returncode == 0
    three_files[1].unlink()
    done = verify()
    assert done.returncode != 0
    assert f"{three_files[2].name} line 1: removed" in done.stderr
