"""Demo reporting data: the last two finished quarters opened, with reports in every state
(accepted, submitted, returned, draft and overdue), the counties' employers without a union,
and the statistics rollups of the last 12 months, so the demo dashboard shows trends.

`seed(today)` opens nothing twice: a period that exists is left as it is. The rollups run
every time (they are idempotent upserts). It runs after the other apps' demo data.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from members.models import GRASSROOTS_KINDS, User

from . import services
from .models import QuarterlyReport, ReportEvent, ReportPeriod, ReportStatus, finished_quarters
from .rollup import months_back
from .tasks import rollup_stats_task

NARRATIVE = {
    "work_done": "本季度开展职工入会集中行动，组织夏送清凉慰问一线职工，召开职代会审议职工提案，"
    "开展岗位练兵和技能比武活动。",
    "problems": "部分新就业形态劳动者入会意愿不强；会员服务卡激活率偏低。",
    "requests": "建议市总工会加大对困难职工帮扶资金的支持力度。",
}


def _entered(report: QuarterlyReport, computed: dict, rng: random.Random) -> dict:
    org = report.organisation
    if org.kind not in GRASSROOTS_KINDS:
        return {"employers_without_union": rng.randint(0, 3)}
    employees = max(org.employees or 0, computed.get("members", 0) + rng.randint(5, 40))
    return {
        "employees": employees,
        "women_employees": employees * rng.randint(30, 50) // 100,
        "migrant_employees": min(org.migrant_employees or 0, employees),
    }


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _fill(report, chair, rng, *, state: str, reviewer, period: ReportPeriod) -> None:
    computed = services.live_computed(report)
    values = _entered(report, computed, rng)
    reasons = {}
    if state == ReportStatus.ACCEPTED and "members" in computed and rng.random() < 0.15:
        values["members"] = computed["members"] + rng.randint(1, 3)
        reasons["members"] = "部分新会员入会手续已办、系统尚未录入"
    services.report_save(
        actor=chair, report=report, values=values, reasons=reasons, narrative=NARRATIVE
    )
    if state == ReportStatus.DRAFT:
        return
    submitted_on = period.due_on - timedelta(days=rng.randint(0, 10))
    services.report_submit(actor=chair, report=report)
    if state == ReportStatus.RETURNED:
        services.report_review(
            actor=reviewer,
            report=report,
            accept=False,
            reason="信访件数与办结数不一致，请核实后重新报送。",
        )
    elif state == ReportStatus.ACCEPTED:
        services.report_review(actor=reviewer, report=report, accept=True)
    # The steps happened around the due date, not now.
    QuarterlyReport.objects.filter(pk=report.pk).update(
        submitted_at=_at(submitted_on, 10),
        reviewed_at=_at(submitted_on + timedelta(days=2), 15)
        if state != ReportStatus.SUBMITTED
        else None,
        saved_at=_at(submitted_on, 9),
    )
    for i, event in enumerate(report.events.order_by("pk")):
        ReportEvent.objects.filter(pk=event.pk).update(
            at=_at(submitted_on + timedelta(days=2 * i), 10 + i)
        )


def _state_for(report, i: int, quarter_index: int, named: dict) -> str:
    """The earlier quarter is nearly all accepted; the later one has every state. The demo
    chair's union has the later quarter still to fill (overdue), chair2's was returned."""
    user = named.get(report.organisation_id)
    if quarter_index == 0:
        return ReportStatus.ACCEPTED if i % 10 else ReportStatus.SUBMITTED
    if user == "chair":
        return ReportStatus.DRAFT
    if user == "chair2":
        return ReportStatus.RETURNED
    return (
        ReportStatus.ACCEPTED,
        ReportStatus.SUBMITTED,
        ReportStatus.ACCEPTED,
        ReportStatus.RETURNED,
        ReportStatus.DRAFT,
        ReportStatus.ACCEPTED,
    )[i % 6]


def seed_reports(today: date) -> int:
    if ReportPeriod.objects.exists():
        return 0
    rng = random.Random(7)
    admin = User.objects.filter(username="admin").first()
    staff = User.objects.filter(username="staff").first()
    named = {
        u.roles.first().organisation_id: u.username
        for u in User.objects.filter(username__in=("chair", "chair2", "county"))
        if u.roles.exists()
    }
    users_by_org = {
        u.roles.first().organisation_id: u
        for u in User.objects.filter(username__in=("chair", "chair2", "county"))
        if u.roles.exists()
    }
    made = 0
    with transaction.atomic():
        for qi, (year, quarter) in enumerate(finished_quarters(2, today)):
            period = services.period_open(actor=admin, year=year, quarter=quarter)
            reports = period.reports.select_related("organisation", "period").order_by(
                "organisation__path"
            )
            for i, report in enumerate(reports):
                state = _state_for(report, i, qi, named)
                if state == ReportStatus.DRAFT and named.get(report.organisation_id) == "chair":
                    continue  # left for the demo chair to fill
                _fill(
                    report,
                    users_by_org.get(report.organisation_id),
                    rng,
                    state=state,
                    reviewer=staff,
                    period=period,
                )
                made += 1
    return made


def seed(today: date) -> int:
    made = seed_reports(today)
    for month in months_back(12, today):
        rollup_stats_task(month.isoformat())
    return made
