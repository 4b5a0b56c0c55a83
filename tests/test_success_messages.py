"""Every successful action shows a message (issue 20 item 7; ux.md: messages under the h1).

Two proofs: a table of the main successful POST actions across the apps, each followed through
its redirect to the page a person sees, which shows a success message in Chinese; and a scan of
every view module: a view that handles a POST and redirects says what it did (messages.success
or, for work left to the background, messages.info), unless it only navigates."""

from __future__ import annotations

import ast
import pathlib

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.urls import reverse

from competitions.models import HonourKind, NominationRound
from tests.competitions.helpers import make_competition
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(settings.BASE_DIR)

HARDSHIP_FORM = {
    "year": 2026,
    "household_size": 3,
    "annual_income": "20000",
    "illness_costs": "0",
    "disability_costs": "0",
    "schooling_costs": "0",
    "causes": "失业",
    "category": "",
}


def success_after(client, url, data, expected):
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, url
    assert response.redirect_chain, f"{url} did not redirect"
    shown = [(m.level, str(m)) for m in response.context["messages"]]
    assert (constants.SUCCESS, expected) in shown, shown
    page = response.content.decode()
    assert 'class="alert alert-success' in page and expected in page


def test_the_hardship_file_journey_says_what_each_step_did(city, chair_a, county_user, as_user):
    member = MemberFactory(organisation=city.union_a)
    chair = as_user(chair_a)
    success_after(
        chair,
        reverse("welfare:file_create"),
        {**HARDSHIP_FORM, "member": member.name},
        "困难职工档案已保存为草稿。",
    )
    hf = member.hardship_files.get()
    status = reverse("welfare:file_status", args=[hf.pk])
    success_after(chair, status, {"to_status": "submitted"}, "困难职工档案已提交审核。")
    county = as_user(county_user)
    success_after(
        county,
        status,
        {"to_status": "reviewed", "income_verification": "民政核对属实"},
        "家庭收入已核对。",
    )
    success_after(county, status, {"to_status": "on_notice"}, "困难职工档案已开始公示。")
    hf.refresh_from_db()
    assert hf.status == "on_notice"


def test_editing_a_hardship_file_says_it_is_saved(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a)
    client = as_user(chair_a)
    client.post(reverse("welfare:file_create"), {**HARDSHIP_FORM, "member": member.name})
    hf = member.hardship_files.get()
    data = {**HARDSHIP_FORM, "causes": "失业，配偶患病"}
    success_after(client, reverse("welfare:file_update", args=[hf.pk]), data, "修改已保存。")


def test_a_campaign_created_says_so(city, staff_user, as_user):
    data = {
        "organisation": city.city.pk,
        "name": "两节送温暖",
        "kind": "winter",
        "year": 2026,
        "budget": "50000",
        "starts_on": "2026-01-10",
        "ends_on": "2026-02-20",
    }
    success_after(as_user(staff_user), reverse("welfare:campaign_create"), data, "帮扶活动已创建。")


def test_competition_set_up_says_what_each_step_did(city, staff_user, as_user):
    competition = make_competition(city.city, criteria=[("实操", 60, 0, 100)])
    UserFactory(username="zhang", organisation=city.city)
    client = as_user(staff_user)

    def url(name, *args):
        return reverse(f"competitions:{name}", args=args)

    success_after(
        client,
        url("criterion_add", competition.pk),
        {"name": "理论", "weight": "40", "min_score": "0", "max_score": "100"},
        "评分标准已添加。",
    )
    success_after(client, url("judge_add", competition.pk), {"username": "zhang"}, "评委已添加。")
    criterion = competition.criteria.get(name="理论")
    success_after(client, url("criterion_remove", criterion.pk), {}, "评分标准已删除。")
    criterion = competition.criteria.create(name="理论", weight=40, min_score=0, max_score=100)
    success_after(client, url("competition_advance", competition.pk), {}, "竞赛已进入下一阶段。")


def test_a_nomination_round_set_up_says_what_each_step_did(city, staff_user, as_user):
    client = as_user(staff_user)
    kind = HonourKind.objects.get(code="may_day_medal")

    def url(name, *args):
        return reverse(f"competitions:{name}", args=args)

    data = {
        "organiser": city.city.pk,
        "kind": kind.pk,
        "level": "city",
        "year": 2026,
        "awarding_body": "宜昌市总工会",
    }
    success_after(client, url("round_create"), data, "推荐评选轮次已创建。")
    round_ = NominationRound.objects.get()
    rule = {"attribute": "frontline", "operator": "gte", "percent": "60"}
    success_after(client, url("rule_add", round_.pk), rule, "规则已添加。")
    added = round_.rules.get(attribute="frontline")
    success_after(client, url("rule_remove", added.pk), {}, "规则已删除。")
    seats = {"organisation": city.union_a.pk, "seats": 2}
    success_after(client, url("quota_set", round_.pk), seats, "推荐名额已保存。")


def test_marking_a_notification_read_says_so(city, chair_a, as_user):
    from tests.reporting.page_helpers import open_period, report_of
    from unionportal.reporting import services
    from unionportal.reporting.models import Notification

    services.notify(report_of(open_period(), city.union_a), "reminder")
    note = Notification.objects.get(recipient=chair_a)
    url = reverse("reporting:notification_read", args=[note.pk])
    success_after(as_user(chair_a), url, {}, "通知已标为已读。")


# A view that handles a POST and redirects without a message only navigates: it leads to the
# page that is the result (the import preview with its counts, the member found).
NAVIGATES = {
    ("members/views/imports.py", "_import_upload"),
    ("members/views/members.py", "member_lookup"),
}
VIEW_MODULES = [
    p
    for pattern in ("*/views/*.py", "*/*/views/*.py", "*/views.py", "*/*/views.py")
    for p in ROOT.glob(pattern)
    if ".venv" not in p.parts and "tests" not in p.parts
]


def silent_post_views() -> list[tuple[str, str]]:
    silent = []
    for path in VIEW_MODULES:
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef):
                continue
            text = ast.get_source_segment(source, node)
            decorators = " ".join(ast.get_source_segment(source, d) for d in node.decorator_list)
            handles_post = "POST" in text or "require_POST" in decorators
            redirects = "redirect(" in text or "HttpResponseRedirect" in text
            says = any(f"messages.{kind}(" in text for kind in ("success", "info")) or any(
                helper in text for helper in ("_act(", "_dated_action(", "_decide(")
            )
            if handles_post and redirects and not says:
                silent.append((str(path.relative_to(ROOT)), node.name))
    return silent


def test_every_post_view_that_redirects_says_what_it_did():
    assert len(VIEW_MODULES) > 30
    assert sorted(set(silent_post_views()) - NAVIGATES) == []


def test_the_scan_sees_a_silent_view(tmp_path, monkeypatch):
    module = tmp_path / "views.py"
    module.write_text(
        "@require_POST\ndef approve(request):\n    do()\n    return redirect('x')\n"
        "@require_POST\ndef said(request):\n    messages.success(request, 'ok')\n"
        "    return redirect('x')\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "VIEW_MODULES", [module])
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "ROOT", tmp_path)
    assert silent_post_views() == [("views.py", "approve")]
