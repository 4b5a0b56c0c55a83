"""The rules of the 六有六好 assessment: scoring at the pass mark and the area minimum, computed
items equal to their source figures, a reviewer's change needs a reason, four eyes, a round
keeps the standard it was opened with, one assessment per union, no overlapping rounds."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import services, sources
from assessment.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Item,
    Standard,
)
from members.models import OrgKind
from tests.factories import MemberFactory, OrganisationFactory

from .helpers import YEAR, full_marks, open_round, score_all, take_to_confirmed

pytestmark = pytest.mark.django_db


def _standard():
    return {
        "pass_mark": "80",
        "areas": [
            {
                "code": "a",
                "name": "A",
                "min_points": "30",
                "items": [{"code": "a1", "points": "50"}],
            },
            {
                "code": "b",
                "name": "B",
                "min_points": "30",
                "items": [{"code": "b1", "points": "50"}],
            },
        ],
    }


@pytest.mark.parametrize(
    ("a1", "b1", "total", "passed"),
    [
        ("50", "30", D("80"), True),  # the pass mark exactly, B at its minimum
        ("50", "29.5", D("79.5"), False),  # half a point short
        ("50", "50", D("100"), True),
        ("29.5", "50", D("79.5"), False),  # A below its minimum (and below the mark)
        (None, "50", D("50"), False),  # an unscored item counts 0
    ],
)
def test_the_score_is_the_sum_and_passes_at_the_mark_and_every_area_minimum(a1, b1, total, passed):
    result = services.score_result(_standard(), {"a1": a1 and D(a1), "b1": b1 and D(b1)})
    assert result.total == total
    assert result.passed is passed


def test_an_area_below_its_minimum_fails_whatever_the_total():
    std = _standard()
    std["pass_mark"] = "60"
    result = services.score_result(std, {"a1": D("20"), "b1": D("50")})
    assert result.total == D("70") >= D("60")
    assert not result.passed
    assert result.weakest.code == "a"


def test_the_default_standard_has_100_points_over_the_six_areas(city):
    standard = Standard.objects.get()
    areas = list(standard.areas.all())
    assert [a.name for a in areas] == [
        "组织建设",
        "队伍建设",
        "制度建设",
        "活动开展",
        "工作保障",
        "服务平台",
    ]
    assert sum(i.points for i in Item.objects.filter(area__standard=standard)) == 100
    assert standard.pass_mark == 80


def test_a_round_gives_every_active_grassroots_union_one_assessment(city):
    closed = OrganisationFactory(parent=city.county_a, name="已撤销公司工会", active=False)
    joint = OrganisationFactory(
        parent=city.county_b, name="联合工会", kind=OrgKind.JOINT_GRASSROOTS
    )
    round_ = open_round(city)
    unions = set(round_.assessments.values_list("organisation_id", flat=True))
    assert unions == {city.union_a.pk, city.union_b.pk, joint.pk}
    assert closed.pk not in unions
    a = round_.assessments.get(organisation=city.union_a)
    assert a.scores.count() == len(services.items_of(round_)) == 21
    assert AssessmentEvent.objects.filter(assessment=a, to_status="draft").exists()


def test_rounds_over_the_same_unions_never_overlap(city):
    open_round(city)
    with pytest.raises(ValidationError, match="重叠"):
        open_round(
            city,
            organisation=city.county_a,
            starts_on=date(YEAR, 9, 1),
            self_due_on=date(YEAR, 9, 30),
        )
    with pytest.raises(ValidationError, match="重叠"):
        open_round(city, starts_on=date(YEAR, 12, 31), self_due_on=date(YEAR, 12, 31))
    # The next year is fine.
    nxt = open_round(
        city,
        year=YEAR + 1,
        starts_on=date(YEAR + 1, 1, 1),
        ends_on=date(YEAR + 1, 12, 31),
        self_due_on=date(YEAR + 1, 6, 30),
    )
    assert nxt.assessments.count() == 2


def test_county_b_may_not_open_a_round_over_county_a(city, county_user):
    with pytest.raises(PermissionDenied):
        open_round(city, actor=county_user, organisation=city.county_b)


def test_a_standard_edited_after_the_round_started_does_not_change_it(
    city, chair_a, county_user, staff_user
):
    round_ = open_round(city)
    Item.objects.filter(code="home").update(points=20, text="改过的条目")
    Standard.objects.update(pass_mark=99)
    round_.refresh_from_db()
    home = next(i for i in services.items_of(round_) if i["code"] == "home")
    assert (home["points"], home["text"]) == ("5.0", "建成职工之家")
    a = round_.assessments.get(organisation=city.union_a)
    with pytest.raises(ValidationError):  # 20 is above the round's 5 points
        services.self_score_save(actor=chair_a, assessment=a, values={"home": "20"})
    a = take_to_confirmed(a, chair_a, county_user, staff_user, values={"home": "5"})
    assert a.round.pass_mark == D("80")
    # Computed items score 0 here (no records): 100 - 32 computed points = 68, not passed.
    assert a.total == D("68")
    assert a.passed is False


def test_yes_no_items_take_all_or_nothing_and_scales_half_points(city, chair_a):
    a = open_round(city).assessments.get(organisation=city.union_a)
    with pytest.raises(ValidationError, match="只能得0分或5分"):
        services.self_score_save(actor=chair_a, assessment=a, values={"home": "3"})
    with pytest.raises(ValidationError, match="0.5分"):
        services.self_score_save(actor=chair_a, assessment=a, values={"culture": "2.25"})
    with pytest.raises(ValidationError):
        services.self_score_save(actor=chair_a, assessment=a, values={"culture": "abc"})
    services.self_score_save(actor=chair_a, assessment=a, values={"culture": "2.5"})
    assert a.scores.get(item_code="culture").self_score == D("2.5")


def test_submitting_needs_every_item_scored(city, chair_a):
    a = open_round(city).assessments.get(organisation=city.union_a)
    with pytest.raises(ValidationError, match="请先为全部项目评分"):
        services.submit(actor=chair_a, assessment=a)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.DRAFT


def test_a_reviewer_changes_a_score_only_with_a_reason_and_both_are_kept(
    city, chair_a, county_user
):
    a = open_round(city).assessments.get(organisation=city.union_a)
    score_all(a, chair_a)
    with pytest.raises(ValidationError, match="原因"):
        services.review_score(
            actor=county_user, assessment=a, item_code="culture", score="2", reason=" "
        )
    services.review_score(
        actor=county_user, assessment=a, item_code="culture", score="2", reason="活动记录不全"
    )
    row = a.scores.get(item_code="culture")
    assert (row.self_score, row.reviewer_score, row.reviewer_reason) == (
        D("5"),
        D("2"),
        "活动记录不全",
    )
    a.refresh_from_db()
    assert a.self_total - a.total == D("3")


def test_four_eyes_whoever_self_scored_cannot_review_or_confirm(city, chair_a, staff_user):
    from members.models import RoleName
    from tests.factories import RoleFactory

    # The chair also holds a county staff role: still not their own reviewer.
    RoleFactory(user=chair_a, organisation=city.county_a, role=RoleName.UNION_STAFF)
    a = open_round(city).assessments.get(organisation=city.union_a)
    score_all(a, chair_a)
    for step in (
        lambda: services.accept(actor=chair_a, assessment=a),
        lambda: services.review_score(
            actor=chair_a, assessment=a, item_code="home", score="0", reason="x"
        ),
        lambda: services.return_to_union(actor=chair_a, assessment=a, reason="x"),
    ):
        with pytest.raises(ValidationError, match="不能审核"):
            step()
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED


def test_a_chair_cannot_review_and_a_county_cannot_confirm(city, chair_a, chair_b, county_user):
    a = open_round(city).assessments.get(organisation=city.union_a)
    with pytest.raises(PermissionDenied):
        score_all(a, chair_b)
    score_all(a, chair_a)
    with pytest.raises(PermissionDenied):
        services.accept(actor=chair_b, assessment=a)
    services.accept(actor=county_user, assessment=a)
    with pytest.raises(PermissionDenied):
        services.confirm(actor=county_user, assessment=a)


def test_return_then_resubmit_then_confirm_records_every_step(
    city, chair_a, county_user, staff_user
):
    a = open_round(city).assessments.get(organisation=city.union_a)
    score_all(a, chair_a)
    with pytest.raises(ValidationError):
        services.return_to_union(actor=county_user, assessment=a, reason="")
    services.return_to_union(actor=county_user, assessment=a, reason="请补充职工之家照片")
    services.submit(actor=chair_a, assessment=a)
    services.accept(actor=county_user, assessment=a)
    services.confirm(actor=staff_user, assessment=a, today=date(YEAR, 11, 1))
    steps = list(a.events.values_list("from_status", "to_status", "comment"))
    assert steps == [
        ("", "draft", ""),
        ("draft", "submitted", ""),
        ("submitted", "returned", "请补充职工之家照片"),
        ("returned", "submitted", ""),
        ("submitted", "reviewed", ""),
        ("reviewed", "confirmed", ""),
    ]
    with pytest.raises(ValidationError):
        services.confirm(actor=staff_user, assessment=a)


def test_only_a_union_that_passed_can_be_exemplary(city, chair_a, county_user, staff_user):
    a = open_round(city).assessments.get(organisation=city.union_a)
    score_all(a, chair_a)
    services.accept(actor=county_user, assessment=a)
    with pytest.raises(ValidationError, match="典型"):
        services.confirm(actor=staff_user, assessment=a, exemplary=True)


# --- Computed items equal their source figures ---------------------------------------------


def _finding(code, union, end=date(YEAR, 11, 30)):
    return sources.find(code, union, date(YEAR, 1, 1), end)


def test_membership_rate_item_at_its_95_percent_boundary(city):
    from members.models import Organisation

    Organisation.objects.filter(pk=city.union_a.pk).update(employees=20)
    union = Organisation.objects.get(pk=city.union_a.pk)
    for _ in range(18):
        MemberFactory(organisation=union, joined_on=date(2020, 1, 1))
    f = _finding("membership_rate", union)
    assert f.met is False and f.text == "入会率 90.0%（职工 20 人，会员 18 人）"
    MemberFactory(organisation=city.branch_a, joined_on=date(2020, 1, 1))  # a branch counts
    f = _finding("membership_rate", union)
    assert f.met is True and "95.0%" in f.text  # 19 of 20
    Organisation.objects.filter(pk=union.pk).update(employees=None)
    union.refresh_from_db()
    assert _finding("membership_rate", union).met is None


def test_chair_and_committee_items_read_the_organisation_record(city, chair_a):
    from members.models import Organisation, Role

    Role.objects.filter(user=chair_a).update(active_from=date(2024, 5, 1))
    union = city.union_a
    assert _finding("elected_chair", union).met is False  # no term on record
    Organisation.objects.filter(pk=union.pk).update(
        term_start=date(2024, 5, 1),
        term_end=date(2026, 12, 1),
        has_audit_committee=True,
    )
    union.refresh_from_db()
    assert _finding("elected_chair", union).met is True
    # The term ends on 1 December: from that day it is no longer in force.
    assert sources.find("elected_chair", union, date(YEAR, 1, 1), date(2026, 12, 1)).met is False
    assert _finding("audit_committee", union).met is True
    assert _finding("women_committee", union).met is False
    assert _finding("elected_chair", city.union_b).met is False


def test_congress_and_activity_items_count_this_years_records(city):
    from tests.congress.helpers import make_session

    assert _finding("congress_held", city.union_a).met is False
    session = make_session(city.union_a, held_on=date(YEAR, 4, 20))
    assert session.held_on.year == YEAR
    found = _finding("congress_held", city.union_a)
    assert found.met is True and "1" in found.text
    assert _finding("activities", city.union_b).met is False


def test_dues_item_is_no_data_without_dues_and_a_rate_otherwise(city):
    assert _finding("dues_collected", city.union_a).met is None
    from members.models import DuesRecord

    m = MemberFactory(organisation=city.union_a, joined_on=date(2020, 1, 1))
    for month, paid in ((1, True), (2, True), (3, False)):
        DuesRecord.objects.create(
            member=m,
            organisation=city.union_a,
            month=date(YEAR, month, 1),
            wage_base=D("1000.00"),
            amount=D("10.00"),
            paid_on=date(YEAR, month, 20) if paid else None,
        )
    f = _finding("dues_collected", city.union_a)
    assert f.met is False and "66.7%" in f.text


def test_a_computed_item_is_scored_from_its_source_and_cannot_be_typed(city, chair_a):
    from members.models import Organisation

    Organisation.objects.filter(pk=city.union_a.pk).update(has_women_committee=True)
    a = open_round(city).assessments.get(organisation=city.union_a)
    services.self_score_save(
        actor=chair_a, assessment=a, values={**full_marks(a.round), "audit_committee": "3"}
    )
    scores = {s.item_code: s for s in a.scores.all()}
    assert scores["women_committee"].self_score == D("3")
    assert scores["audit_committee"].self_score == D("0")  # typed 3, but the record says no
    assert "未登记经审会" in scores["audit_committee"].computed_text


def test_an_unknown_source_is_scored_by_hand():
    f = sources.find("no_such_source", None, date(YEAR, 1, 1), date(YEAR, 2, 1))
    assert f.met is None


def test_the_contract_register_answers_the_collective_contract_item(city):
    # registered by unionportal.reporting's AppConfig (the floor above both apps)
    f = sources.find("collective_contract", city.union_a, date(YEAR, 1, 1), date(YEAR, 2, 1))
    assert f.met is False and "集体合同" in f.text


def test_one_assessment_per_union_per_round(city):
    from django.db import IntegrityError, transaction

    round_ = open_round(city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(round=round_, organisation=city.union_a)
