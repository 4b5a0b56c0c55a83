"""Browser journey: a chair fills the quarterly report's entered figures and submits it;
federation staff return it with a reason; the chair, told by the bell, fixes it and submits
again; staff accept it and its figures are frozen."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import Browser, expect

from tests.factories import MemberFactory
from tests.reporting.page_helpers import ENTERED, open_period, report_of
from unionportal.reporting.models import ReportStatus

from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_quarterly_report_from_draft_to_accepted(
    live_server, browser: Browser, city, chair_a, staff_user, admin_user, password
):
    for _ in range(6):
        MemberFactory(organisation=city.union_a)
    period = open_period()
    report = report_of(period, city.union_a)
    base = live_server.url

    def session(username):
        page = browser.new_context().new_page()
        log_in(page, base, username, password)
        return page

    chair = session("chair_a")
    chair.get_by_test_id("nav-reports").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text(re.compile("季度报表|Quarterly"))
    chair.get_by_test_id(f"open-{report.pk}").click()
    # the portal's figure is prefilled
    expect(chair.locator("[name=members]")).to_have_value("6")
    # the reason for a change shows once the figure differs from the portal's count
    reason = chair.locator("[name=reason_members]")
    expect(reason).to_be_hidden()
    chair.locator("[name=members]").fill("7")
    expect(reason).to_be_visible()
    chair.locator("[name=members]").fill("6")
    expect(reason).to_be_hidden()
    for code, value in ENTERED.items():
        chair.locator(f"[name={code}]").fill(str(value))
    chair.locator("[name=work_done]").fill("开展职工之家建设，走访困难职工")
    chair.get_by_test_id("submit").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "submitted")

    staff = session("staff")
    staff.goto(f"{base}/reports/periods/{period.pk}/")
    staff.get_by_test_id("filter-submitted").click()
    staff.get_by_role("link", name="甲公司工会委员会").click()
    expect(staff.get_by_test_id("value-employees")).to_have_text("120")
    staff.locator("[name=reason]").fill("职工人数与劳动合同台账不符，请核实")
    staff.get_by_test_id("return").click()
    expect(staff.get_by_test_id("status")).to_have_attribute("data-status", "returned")

    # the chair's bell shows the return; the notification leads to the report
    chair.goto(f"{base}/")
    expect(chair.get_by_test_id("bell-count")).to_have_text(re.compile(r"^1\D"))
    chair.get_by_test_id("bell").click()
    chair.locator("[data-testid^=open-]").first.click()
    expect(chair.get_by_test_id("return-reason")).to_contain_text("职工人数与劳动合同台账不符")
    chair.locator("[name=employees]").fill("125")
    chair.get_by_test_id("submit").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "submitted")

    staff.goto(f"{base}/reports/{report.pk}/")
    expect(staff.get_by_test_id("value-employees")).to_have_text("125")
    staff.on("dialog", lambda dialog: dialog.accept())
    staff.get_by_test_id("accept").click()
    expect(staff.get_by_test_id("status")).to_have_attribute("data-status", "accepted")
    expect(staff.get_by_test_id("frozen")).to_be_visible()
    expect(staff.get_by_test_id("events")).to_contain_text("职工人数与劳动合同台账不符")

    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.values["employees"] == 125 and report.values["members"] == 6

    # the admin exports the quarter's summary; the workbook holds union A's accepted figures
    admin = session("admin")
    admin.get_by_test_id("nav-summary").click()
    admin.locator("[name=period]").select_option(str(period.pk))
    admin.locator("[name=organisation]").select_option(str(city.city.pk))
    admin.get_by_test_id("summary-form").locator("[type=submit]").click()
    expect(admin.get_by_test_id("job-download")).to_be_visible()
    with admin.expect_download() as download:
        admin.get_by_test_id("job-download").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as fh:
        workbook = openpyxl.load_workbook(io.BytesIO(fh.read()), read_only=True)
    rows = list(workbook["各工会"].iter_rows(values_only=True))
    header, union_a = rows[0], next(r for r in rows if r[0] == "甲公司工会委员会")
    assert union_a[header.index("季末会员数")] == 6
    assert union_a[header.index("职工人数")] == 125
    assert union_a[1] == "已接收"
