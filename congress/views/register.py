"""A session's motion register (提案登记表): the page and its Excel export."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from members import access
from unionportal.core.audit import audit_event
from unionportal.core.excel import XLSX_CONTENT_TYPE, Column, content_disposition, write_xlsx

from ..models import CongressSession, Delegate
from .common import _session

# --- Register -------------------------------------------------------------------------------

REGISTER_COLUMNS = [
    Column("序号", 6),
    Column("提案标题", 36),
    Column("类别", 12),
    Column("提案人", 12),
    Column("附议人", 24),
    Column("提交日期", 12),
    Column("状态", 12),
    Column("承办部门", 18),
    Column("责任人", 10),
    Column("答复期限", 12),
    Column("答复日期", 12),
    Column("答复内容", 40),
    Column("提案人意见", 12),
    Column("是否超期", 8),
]


def _register_motions(session: CongressSession):
    return session.motions.select_related("proposer__member").prefetch_related(
        Prefetch("cosigners", queryset=Delegate.objects.select_related("member"))
    )


@login_required
@require_GET
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return render(
        request,
        "congress/session_register.html",
        {
            "session": session,
            "motions": _register_motions(session),
            "today": timezone.localdate(),
            "can_export": access.can(request.user, "export", session.organisation),
        },
    )


@login_required
@require_GET
def session_register_export(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, capability="export")
    today = timezone.localdate()

    def rows():
        for m in _register_motions(session):
            yield [
                m.number,
                m.title,
                m.get_category_display(),
                m.proposer.member.name,
                "、".join(c.member.name for c in m.cosigners.all()),
                m.submitted_on,
                m.get_status_display(),
                m.handling_unit,
                m.responsible_person,
                m.due_on,
                m.answered_on,
                m.answer,
                m.get_verdict_display() if m.verdict else "",
                "是" if m.is_overdue(today) else "",
            ]

    buffer = io.BytesIO()
    n = write_xlsx([("提案登记表", REGISTER_COLUMNS, rows())], buffer)
    audit_event(session, "congress.register_export", actor=request.user, rows=n)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    name = (
        f"{session.organisation.name}第{session.term}届第{session.session_number}次提案登记表.xlsx"
    )
    response["Content-Disposition"] = content_disposition(name)
    return response
