"""One vocabulary (issue 20 item 4): words borrowed from another screen are gone. The relief list's
amounts are 申请金额/批准金额 (not 待接收, a transfer's status), a relief payment's date is 发放日期
(not 缴纳日期, a dues word), a person's name is 姓名 (not 名称, an organisation's), a campaign or a
round named with its year shows the year once, and the proposer's verdict is joined to its comment
with Chinese punctuation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from competitions.models import HonourKind, NominationRound
from congress import services as congress
from congress.models import Verdict
from members.models import Member
from tests.congress.helpers import make_motion, make_session
from tests.factories import MemberFactory
from welfare import services
from welfare.forms import PayForm
from welfare.models import Campaign, CampaignKind, HouseholdMember, ReliefPayment


def test_the_relief_list_heads_its_amounts_as_amounts(as_user, chair_a, city):
    member = MemberFactory(organisation=city.union_a)
    services.relief_create(
        actor=chair_a,
        member=member,
        kind="temporary",
        reason="大病住院",
        amount_requested=Decimal("500"),
        today=date(2026, 3, 2),
    )
    page = as_user(chair_a).get(reverse("welfare:relief_list")).content.decode()
    assert "申请金额" in page and "批准金额" in page
    assert "待接收" not in page


def test_a_relief_payment_is_dated_by_its_payment_not_by_dues_words():
    assert str(PayForm().fields["paid_on"].label) == "发放日期"
    assert str(ReliefPayment._meta.get_field("paid_on").verbose_name) == "发放日期"


def test_a_person_has_a_name_not_a_title(as_user, chair_a, city):
    MemberFactory(organisation=city.union_a)
    assert str(Member._meta.get_field("name").verbose_name) == "姓名"
    assert str(HouseholdMember._meta.get_field("name").verbose_name) == "姓名"
    page = as_user(chair_a).get(reverse("members:member_list")).content.decode()
    head = page[page.index("<thead") : page.index("</thead>")]
    assert "姓名" in head and "名称" not in head


def test_a_campaign_named_with_its_year_shows_the_year_once(city):
    named = Campaign(name="2026年两节送温暖", year=2026, kind=CampaignKind.WINTER)
    bare = Campaign(name="两节送温暖", year=2026, kind=CampaignKind.WINTER)
    assert str(named) == "2026年两节送温暖"
    assert str(bare) == "2026年两节送温暖"


def test_a_round_reads_as_its_year_and_honour(city):
    kind = HonourKind.objects.get(code="may_day_medal")
    assert str(NominationRound(kind=kind, year=2027)) == "2027年五一劳动奖章"


def test_the_verdict_and_its_comment_are_one_chinese_sentence(city, staff_user):
    motion = make_motion(make_session(city.union_a))
    for step in (congress.motion_start_review, congress.motion_file):
        step(actor=staff_user, motion=motion)
    congress.motion_assign(
        actor=staff_user, motion=motion, handling_unit="后勤部", responsible_person="张经理"
    )
    congress.motion_answer(actor=staff_user, motion=motion, answer="已安排")
    congress.motion_verdict(
        actor=staff_user, motion=motion, verdict=Verdict.UNSATISFIED, comment="还要扩大范围"
    )
    event = motion.events.order_by("-pk").first()
    assert event.comment == "不满意。还要扩大范围"


def test_the_seeded_rule_notes_are_chinese_and_older_english_ones_are_turned(as_user, staff_user):
    import importlib
    import re

    from django.apps import apps

    from welfare.models import NoticeRule, PovertyLine

    page = as_user(staff_user).get(reverse("welfare:rules")).content.decode()
    assert "公示期一般为5至7天" in page
    notes = [*NoticeRule.objects.values_list("note", flat=True)]
    notes += [*PovertyLine.objects.values_list("note", flat=True)]
    assert notes and not any(re.search(r"[A-Za-z]", n) for n in notes)

    NoticeRule.objects.update(note="commonly 5-7 days")
    NoticeRule.objects.create(days=5, effective_from=date(2026, 1, 1), note="as typed")
    migration = importlib.import_module("welfare.migrations.0009_rule_notes_in_chinese")
    migration.to_chinese(apps, None)
    assert set(NoticeRule.objects.values_list("note", flat=True)) == {
        "公示期一般为5至7天",
        "as typed",
    }
