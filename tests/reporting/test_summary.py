"""The Excel summary of a quarter (issue 7 item 7): the workbook's sheets, its totals against
the database, no formulas, the web flow through a file job, and the command."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as t
from openpyxl import load_workbook

from competitions.models import Honour, HonourKind
from congress.models import Motion
from tests.competitions.helpers import add_entry, make_competition
from tests.congress.helpers import make_motion, make_session
from tests.factories import MemberFactory
from tests.members.excel_helpers import private_storage  # noqa: F401 (fixture)
from unionportal.core.models import FileJob
from unionportal.reporting import services, summary
from unionportal.reporting.indicators import INDICATORS, KPIS
from unionportal.reporting.models import QuarterlyReport, ReportStatus, StatSnapshot
from unionportal.reporting.sources import sources
from welfare.models import ReliefApplication, ReliefPayment

pytestmark = [pytest.mark.django_db]

D = Decimal
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
SHEETS = [
    "KPI summary",
    "Unions",
    "Consolidated report",
    "Relief",
    "Motions",
    "Competitions",
    "Honours",
    "Casework",
    "Standard not met",
    "Figures from the records",
]


FORMULA = '=HYPERLINK("http://x/?"&B1,"点击")'


def _pay(union, amount: str, paid_on: date) -> ReliefPayment:
    app = ReliefApplication.objects.create(
        organisation=union,
        member=MemberFactory(organisation=union),
        kind="medical",
        year=paid_on.year,
        reason="大病住院",
        amount_requested=D(amount),
        amount_approved=D(amount),
        status="paid",
    )
    return ReliefPayment.objects.create(application=app, amount=D(amount), paid_on=paid_on)


def _entered(report) -> dict:
    values = {}
    for ind in services.report_indicators(report):
        if not ind.computed:
            values[ind.code] = 0 if ind.part_of else 10
    return values


def _file(report, chair, reviewer=None, **values):
    reasons = {code: "人工核对后更正" for code in values}
    report = services.report_save(
        actor=chair,
        report=report,
        values={**_entered(report), **values},
        reasons=reasons,
        narrative={"work_done": "开展了会员发展工作。"},
    )
    report = services.report_submit(actor=chair, report=report)
    if reviewer is not None:
        report = services.report_review(actor=reviewer, report=report, accept=True)
    return report


@pytest.fixture
def quarter(city, admin_user, staff_user, chair_a, chair_b):
    """2026 Q3 opened; union A's report accepted (members overridden to 42), union B's
    submitted, the counties' still drafts; relief, motions, a competition and an honour in
    and out of the quarter."""
    MemberFactory.create_batch(3, organisation=city.union_a)
    period = services.period_open(actor=admin_user, year=2026, quarter=3)
    report_a = QuarterlyReport.objects.get(period=period, organisation=city.union_a)
    report_b = QuarterlyReport.objects.get(period=period, organisation=city.union_b)
    _file(report_a, chair_a, staff_user, members=42)
    _file(report_b, chair_b)
    _pay(city.union_a, "800.50", date(2026, 8, 3))
    _pay(city.branch_a, "1200.00", date(2026, 9, 30))
    _pay(city.union_b, "300.00", date(2026, 7, 1))
    _pay(city.union_a, "999.00", date(2026, 10, 1))  # next quarter
    session = make_session(city.union_a)
    for i, (submitted, answered, verdict) in enumerate(
        [
            (date(2026, 7, 5), date(2026, 8, 1), "satisfied"),
            (date(2026, 9, 1), None, ""),
            (date(2026, 6, 30), None, ""),  # last quarter
        ]
    ):
        motion = make_motion(session, title=FORMULA if i == 1 else f"提案{i}")
        Motion.objects.filter(pk=motion.pk).update(
            submitted_on=submitted,
            answered_on=answered,
            verdict=verdict,
            status="answered" if answered else "filed",
        )
    competition = make_competition(city.county_a)
    competition.starts_on, competition.ends_on = date(2026, 8, 1), date(2026, 8, 30)
    competition.save()
    add_entry(competition, city.union_a)
    kind = HonourKind.objects.first() or HonourKind.objects.create(code="model", name="劳动模范")
    honour = Honour.objects.create(
        kind=kind,
        level="city",
        year=2026,
        awarding_body="宜昌市总工会",
        organisation=city.union_a,
        member=MemberFactory(organisation=city.union_a),
        awarded_on=date(2026, 8, 15),
    )
    Honour.objects.filter(pk=honour.pk).update(created_at="2026-08-15T10:00:00+08:00")
    return period


def _workbook(period, scope):
    out = BytesIO()
    rows = summary.write_summary(period, scope, out)
    out.seek(0)
    return rows, load_workbook(out)


def _data(ws):
    """The rows below the header, without the totals row."""
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    return rows[:-1], rows[-1]


def _by_path(*orgs):
    return sorted(orgs, key=lambda o: o.path)


def _col(ws, title) -> int:
    headers = [c.value for c in ws[1]]
    return headers.index(title)


def test_the_workbook_has_its_sheets_headers_frozen_and_no_formulas(quarter, city):
    rows, wb = _workbook(quarter, city.city)
    assert wb.sheetnames == [t(name) for name in SHEETS]
    written = 0
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(c.value and c.font.b for c in ws[1])  # a bold header, no empty title
        for row in ws.iter_rows(min_row=2):
            written += 1
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.quotePrefix  # kept as text (security.md F1)
        assert ws.column_dimensions["A"].width >= 10
    assert rows == written
    unions = wb[t("Unions")]
    headers = [c.value for c in unions[1]]
    assert headers[4:] == [str(i.label) for i in INDICATORS]


def test_the_relief_total_equals_the_rows_and_the_database(quarter, city):
    _, wb = _workbook(quarter, city.city)
    ws = wb[t("Relief")]
    rows, totals = _data(ws)
    amount = _col(ws, t("Amount"))
    assert len(rows) == 3
    assert totals[amount] == sum(r[amount] for r in rows)
    expected = ReliefPayment.objects.filter(
        paid_on__range=Q3, application__organisation__path__startswith=city.city.path
    ).aggregate(s=Sum("amount"))["s"]
    assert D(str(totals[amount])) == expected == D("2300.50")
    assert ws.cell(row=2, column=amount + 1).number_format == "#,##0.00"
    assert ws.cell(row=len(rows) + 2, column=amount + 1).font.b  # the totals row is bold
    # Resident IDs are masked
    assert all("*" in r[_col(ws, t("Resident ID"))] for r in rows)


def test_the_scope_limits_every_sheet(quarter, city):
    summary.ensure_snapshots(quarter)
    _, wb = _workbook(quarter, city.county_a)
    relief, totals = _data(wb[t("Relief")])
    assert {r[0] for r in relief} == {city.union_a.name, city.branch_a.name}
    assert D(str(totals[4])) == D("2000.50")
    unions, _ = _data(wb[t("Unions")])
    assert city.union_b.name not in {r[0] for r in unions}
    assert city.union_a.name in {r[0] for r in unions}
    kpi = wb[t("KPI summary")]
    names = [r[0] for r in kpi.iter_rows(min_row=2, values_only=True)]
    assert names == [city.county_a.name, city.union_a.name]


def test_one_row_per_union_shows_the_figures_of_record_and_sums_them(quarter, city):
    _, wb = _workbook(quarter, city.city)
    ws = wb[t("Unions")]
    rows, totals = _data(ws)
    by_name = {r[0]: r for r in rows}
    members = _col(ws, str(next(i for i in INDICATORS if i.code == "members").label))
    report_a = QuarterlyReport.objects.get(period=quarter, organisation=city.union_a)
    report_b = QuarterlyReport.objects.get(period=quarter, organisation=city.union_b)
    assert by_name[city.union_a.name][members] == 42 == services.report_values(report_a)["members"]
    assert by_name[city.union_b.name][members] == services.report_values(report_b)["members"]
    assert by_name[city.union_a.name][1] == ReportStatus.ACCEPTED.label
    assert by_name[city.union_a.name][3].date() == timezone.localtime(report_a.reviewed_at).date()
    # a draft shows its status only
    assert by_name[city.county_b.name][1] == ReportStatus.DRAFT.label
    assert all(v is None for v in by_name[city.county_b.name][2:])
    for i, ind in enumerate(INDICATORS, start=4):
        column = [r[i] for r in rows if r[i] is not None]
        assert totals[i] == sum(column), ind.code
    assert totals[members] == 42 + services.report_values(report_b)["members"]
    row_a = 2 + [r[0] for r in rows].index(city.union_a.name)
    assert ws.cell(row=row_a, column=members + 1).number_format == "#,##0"


def test_the_consolidated_report_sums_counted_reports_and_counts_overrides(quarter, city):
    _, wb = _workbook(quarter, city.city)
    rows = list(wb[t("Consolidated report")].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [str(i.label) for i in INDICATORS]
    by_label = {r[1]: r for r in rows}
    unions_totals = _data(wb[t("Unions")])[1]
    for i, ind in enumerate(INDICATORS, start=4):
        total = by_label[str(ind.label)][3]
        assert D(str(total)) == D(str(unions_totals[i])), ind.code
    members = by_label[str(INDICATORS[0].label)]
    assert members[4] == 2  # two reports counted (A accepted, B submitted)
    assert members[5] == 1  # union A overrode it, with a reason
    employers = next(i for i in INDICATORS if i.code == "employers_without_union")
    assert by_label[str(employers.label)][4] == 0  # the counties' drafts are not counted


def test_motions_competitions_and_honours_of_the_quarter(quarter, city):
    _, wb = _workbook(quarter, city.city)
    motions, counts = _data(wb[t("Motions")])
    assert sorted(r[2] for r in motions) == [FORMULA, "提案0"]
    assert "2" in counts[2] and counts[0] == t("Total")
    competitions, total = _data(wb[t("Competitions")])
    assert len(competitions) == 1 and competitions[0][-1] == 1 == total[-1]
    honours, _ = _data(wb[t("Honours")])
    assert len(honours) == 1 and honours[0][0] == city.union_a.name


def test_the_kpi_sheet_reads_the_snapshot_of_the_quarters_last_month(quarter, city):
    _, wb = _workbook(quarter, city.city)
    rows = list(wb[t("KPI summary")].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and "2026-09" in rows[0][0]  # no snapshot yet: a note row
    assert summary.ensure_snapshots(quarter) is True
    assert summary.ensure_snapshots(quarter) is False  # already there
    _, wb = _workbook(quarter, city.city)
    ws = wb[t("KPI summary")]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [
        o.name for o in (city.city, *_by_path(city.county_a, city.county_b))
    ]
    snap = StatSnapshot.objects.get(organisation=city.city, month=date(2026, 9, 1))
    kpi = KPIS[1]  # membership rate
    col = _col(ws, str(kpi.label))
    assert rows[0][col - 2] == snap.members_counted
    rate = kpi.rate(snap)
    assert rows[0][col] == (pytest.approx(float(rate) / 100) if rate is not None else "暂无数据")
    assert rows[0][col + 1] == snap.unions_without_employees
    assert ws.cell(row=2, column=col + 1).number_format == "0.0%"


def test_the_workbook_costs_the_same_queries_for_more_rows(
    quarter, city, django_assert_max_num_queries
):
    summary.ensure_snapshots(quarter)
    # 16 (the 六有六好 sheet's among them), and one query per source for the sheet of
    # figures counted from the records.
    budget = 16 + len(sources(quarter.starts_on, quarter.ends_on, city.city))
    with django_assert_max_num_queries(budget):
        summary.write_summary(quarter, city.city, BytesIO())
    for day in range(1, 20):
        _pay(city.union_b, "10.00", date(2026, 8, day))
    with django_assert_max_num_queries(budget):
        rows = summary.write_summary(quarter, city.city, BytesIO())
    assert rows >= 19


# --- The web flow ----------------------------------------------------------------------------


@pytest.fixture
def storage(private_storage):  # noqa: F811
    return private_storage


def _audits():
    return LogEntry.objects.filter(additional_data__event="report.summary_export")


def test_staff_export_a_summary_through_a_job_and_download_it(
    quarter, city, staff_user, as_user, storage, django_capture_on_commit_callbacks
):
    client = as_user(staff_user)
    page = client.get(reverse("summary_export"))
    assert page.status_code == 200
    assert city.county_a.name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("summary_export"), {"period": quarter.pk, "organisation": city.county_a.pk}
        )
    job = FileJob.objects.get(created_by=staff_user, name=summary.JOB_NAME)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:job_detail", args=[job.pk])
    assert job.status == FileJob.Status.DONE and job.organisation == city.county_a
    assert client.get(response["Location"]).status_code == 200
    status = client.get(reverse("members:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100
    download = client.get(reverse("members:job_download", args=[job.pk]))
    assert download.status_code == 200
    wb = load_workbook(BytesIO(b"".join(download.streaming_content)))
    relief, totals = _data(wb[t("Relief")])
    assert D(str(totals[4])) == D("2000.50")
    # the task rolled the month up, so the KPI sheet has figures
    kpi_rows = list(wb[t("KPI summary")].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in kpi_rows] == [city.county_a.name, city.union_a.name]
    audit = _audits().get()
    assert audit.actor == staff_user
    assert (
        audit.additional_data["rows"] == job.total and audit.additional_data["period"] == "2026Q3"
    )


def test_a_chair_exports_their_own_union_but_not_another(
    quarter, city, chair_a, as_user, storage, django_capture_on_commit_callbacks
):
    client = as_user(chair_a)
    url = reverse("summary_export")
    assert (
        client.post(url, {"period": quarter.pk, "organisation": city.union_b.pk}).status_code == 404
    )
    assert (
        client.post(url, {"period": quarter.pk, "organisation": city.county_a.pk}).status_code
        == 404
    )
    assert not FileJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"period": quarter.pk, "organisation": city.union_a.pk})
    assert response.status_code == 302
    job = FileJob.objects.get()
    assert job.status == FileJob.Status.DONE
    assert _audits().count() == 1


def test_an_auditor_may_not_export(quarter, auditor_user, as_user):
    client = as_user(auditor_user)
    assert client.get(reverse("summary_export")).status_code == 403
    assert client.post(reverse("summary_export"), {"period": quarter.pk}).status_code == 403


def test_a_bad_period_is_a_form_error(quarter, city, staff_user, as_user):
    client = as_user(staff_user)
    response = client.post(
        reverse("summary_export"), {"period": "99999", "organisation": city.city.pk}
    )
    assert response.status_code == 200
    assert not FileJob.objects.exists()


def test_the_task_checks_the_actor_again(quarter, city, chair_a, storage):
    from django.core.exceptions import PermissionDenied

    from unionportal.reporting.tasks import export_summary_task

    job = FileJob.objects.create(
        kind="export",
        name=summary.JOB_NAME,
        created_by=chair_a,
        organisation=city.union_b,
        params={"period": quarter.pk, "filename": "x.xlsx"},
    )
    with pytest.raises(PermissionDenied):
        export_summary_task(job.pk, chair_a.pk)
    job.refresh_from_db()
    assert job.status == FileJob.Status.FAILED and not job.file
    assert not _audits().exists()


# --- The command -----------------------------------------------------------------------------


def test_the_command_writes_the_workbook_and_audits_it(quarter, city, tmp_path, capsys):
    out = tmp_path / "summary.xlsx"
    call_command("export_summary", period="2026Q3", scope=str(city.county_b.pk), out=str(out))
    wb = load_workbook(out)
    relief, totals = _data(wb[t("Relief")])
    assert len(relief) == 1 and D(str(totals[4])) == D("300.00")
    assert str(out) in capsys.readouterr().out
    audit = _audits().get()
    assert audit.actor is None and audit.additional_data["via"] == "command"


@pytest.mark.parametrize(
    "period,scope,message",
    [
        ("2026-3", "1", "2026Q3"),
        ("2025Q1", "1", "not been opened"),
        ("2026Q3", "abc", "organisation id"),
        ("2026Q3", "999999", "No organisation"),
    ],
)
def test_the_command_refuses_bad_arguments(quarter, city, tmp_path, period, scope, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_summary", period=period, scope=scope, out=str(tmp_path / "x.xlsx"))


def test_the_kpi_sheet_speaks_chinese(quarter, city):
    """Every header of the KPI sheet is translated (issue 13 item 15: five were English)."""
    import re

    from django.utils import translation

    summary.ensure_snapshots(quarter)
    with translation.override("zh-hans"):
        _, wb = _workbook(quarter, city.city)
        headers = [c.value for c in wb[t("KPI summary")][1]]
    assert "应建会单位数" in headers and "有效服务卡" in headers
    assert not [h for h in headers if re.search(r"[A-Za-z]{3,}", h)], headers
