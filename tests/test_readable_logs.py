"""Readable logs (issue 20 item 6): the audit log shows Chinese names of its events, groups
consecutive page views of one account in its display (the stored rows stay), and the job-run
list shows Chinese job names. Every event the code writes has a name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.factories import MemberFactory
from unionportal.core.audit import audit_event
from unionportal.core.labels import EVENT_LABELS, JOB_LABELS
from unionportal.core.models import JobRun

ROOT = Path(__file__).resolve().parent.parent
APPS = ("members", "welfare", "congress", "competitions", "rights", "unionportal", "selfservice")


def written_events() -> tuple[set[str], set[str]]:
    """The event codes passed to audit_event as literals, and the prefixes of f-strings."""
    codes, prefixes = set(), set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and len(node.args) >= 2):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name != "audit_event":
                    continue
                arg = node.args[1]
                if isinstance(arg, ast.Constant):
                    codes.add(arg.value)
                elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                    prefixes.add(arg.values[0].value)
    return codes, prefixes


def test_every_event_the_code_writes_has_a_chinese_name():
    codes, prefixes = written_events()
    assert len(codes) > 60
    assert sorted(codes - set(EVENT_LABELS)) == []
    for prefix in prefixes:  # card.{status}, relief.{action}, transfer.{status}
        assert any(code.startswith(prefix) for code in EVENT_LABELS), prefix


@pytest.mark.django_db
def test_the_audit_log_speaks_chinese_and_groups_consecutive_views(
    city, auditor_user, staff_user, as_user
):
    member = MemberFactory(organisation=city.union_a)
    for _ in range(8):  # eight page views in a row: one line
        audit_event(member, "member.reveal", actor=staff_user)
    audit_event(city.union_a, "report.summary_export", actor=staff_user, rows=3)
    page = as_user(auditor_user).get(reverse("audit_log")).content.decode()
    assert "report.summary_export" not in page and "导出 Excel 汇总" in page
    assert "member.reveal" not in page and "查看完整号码" in page
    assert 'data-testid="grouped">共 8 次<' in page
    assert LogEntry.objects.filter(additional_data__event="member.reveal").count() == 8


@pytest.mark.django_db
def test_job_runs_have_chinese_names(city, admin_user, as_user):
    JobRun.objects.create(task="rollup_stats", argument="2026-11")
    page = as_user(admin_user).get(reverse("job_runs")).content.decode()
    assert str(JOB_LABELS["rollup_stats"]) in page and "统计汇总" in page
