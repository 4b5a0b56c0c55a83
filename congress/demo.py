"""Demo congress data: sessions of several unions with delegates, motions in every state (some
overdue), reviewed items and the year's suggestions (200+ collected, 170+ adopted).

`seed(today)` does nothing when sessions exist. It runs after members/demo_people.py."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from members.models import Member, MemberStatus, Organisation, OrgKind, Role

from . import services
from .models import (
    CongressRule,
    CongressSession,
    Delegate,
    Motion,
    MotionStatus,
    Suggestion,
    SuggestionStatus,
    Verdict,
    organisation_workers,
)

MOTIONS = [
    ("夜班职工就餐难，建议食堂增加夜间供餐", "welfare"),
    ("建议增开厂区至城区的职工通勤班车", "welfare"),
    ("关于提高高温岗位津贴标准的建议", "pay"),
    ("建议更新一车间老旧除尘设备", "safety"),
    ("关于完善一线职工带薪休假安排的建议", "management"),
    ("建议设立职工心理咨询室", "welfare"),
    ("关于规范劳务派遣人员同工同酬的建议", "pay"),
    ("建议增加技能培训和岗位练兵频次", "production"),
    ("关于改善仓库照明和通风条件的建议", "safety"),
    ("建议建立合理化建议奖励兑现台账", "management"),
    ("关于增设女职工哺乳室的建议", "welfare"),
    ("建议优化倒班制度减少连续夜班", "management"),
    ("关于职工体检增加专项检查项目的建议", "welfare"),
    ("建议修缮职工宿舍热水系统", "welfare"),
]
UNITS = [
    ("后勤保障部", "周主任"),
    ("人力资源部", "吴部长"),
    ("安全环保部", "郑经理"),
    ("生产技术部", "孙工"),
]
ITEMS = [
    ("年度工作报告", "plan", 26, 1, 0),
    ("集体合同（草案）", "pay", 25, 1, 1),
    ("安全生产责任制修订方案", "safety", 24, 2, 1),
    ("薪酬制度改革方案", "reform", 14, 8, 5),
]
SUGGESTION_TITLES = [
    "包装材料循环使用",
    "优化物料摆放减少搬运",
    "改进设备点检表",
    "夜间照明分区控制节电",
    "推行班组交接班电子化",
    "冷却水回收利用",
    "减少纸质单据流转",
    "改进工装夹具提高效率",
]


def _unions() -> list[Organisation]:
    """The two chairs' unions first, then the largest other grassroots unions."""
    chosen: list[Organisation] = []
    for username in ("chair", "chair2"):
        role = Role.objects.filter(user__username=username).select_related("organisation").first()
        if role and role.organisation not in chosen:
            chosen.append(role.organisation)
    others = (
        Organisation.objects.filter(kind=OrgKind.GRASSROOTS, active=True)
        .exclude(pk__in=[o.pk for o in chosen])
        .order_by(F("employees").desc(nulls_last=True), "path")[:2]
    )
    return [*chosen, *others]


def _pick_delegates(rng: random.Random, union: Organisation, n: int) -> list[Member]:
    """n active members (delegates are never applicants, retained members or leavers), in the
    proportions of 17 frontline, 5 managers and 8 women in 30."""
    members = list(
        Member.objects.filter(
            organisation__path__startswith=union.path, status=MemberStatus.ACTIVE
        ).order_by("pk")[: max(600, 3 * n)]
    )
    rng.shuffle(members)
    frontline = [m for m in members if m.is_frontline and not m.is_manager]
    managers = [m for m in members if m.is_manager]
    women = [m for m in members if m.gender == "F" and not m.is_manager]
    picked: list[Member] = []
    shares = ((frontline, n * 17 // 30), (managers, n * 5 // 30), (women, n * 8 // 30))
    for pool, k in (*shares, (members, n)):
        for m in pool:
            if len(picked) >= n or k <= 0:
                break
            if m not in picked and not (m.is_manager and pool is not managers):
                picked.append(m)
                k -= 1
    return picked[:n]


def _advance(motion: Motion, target: str, rng: random.Random, today: date, into=None) -> None:
    S = MotionStatus
    services.motion_start_review(actor=None, motion=motion)
    if target == S.UNDER_REVIEW:
        return
    if target == S.REJECTED:
        services.motion_reject(
            actor=None, motion=motion, reason="不属于职代会职权范围，转有关部门参考"
        )
        return
    if target == S.CONVERTED:
        services.motion_convert(
            actor=None, motion=motion, comment="内容具体可行，转为合理化建议办理"
        )
        return
    if target == S.MERGED:
        services.motion_merge(actor=None, motion=motion, into=into, comment="与同类提案合并办理")
        return
    services.motion_file(actor=None, motion=motion, comment="符合一事一案要求，予以立案")
    if target == S.FILED:
        return
    unit, person = rng.choice(UNITS)
    services.motion_assign(actor=None, motion=motion, handling_unit=unit, responsible_person=person)
    if target == "overdue":
        Motion.objects.filter(pk=motion.pk).update(
            due_on=today - timedelta(days=rng.randint(3, 20))
        )
        return
    if target == S.ASSIGNED:
        return
    services.motion_answer(actor=None, motion=motion, answer=f"{unit}已研究落实，具体措施见附件。")
    if target == S.ANSWERED:
        return
    if target in (S.REOPENED, "reopened_overdue"):
        services.motion_verdict(
            actor=None, motion=motion, verdict=Verdict.UNSATISFIED, comment="落实进度慢"
        )
        if target == "reopened_overdue":
            Motion.objects.filter(pk=motion.pk).update(due_on=today - timedelta(days=5))
        return
    verdict = Verdict.SATISFIED if rng.random() < 0.7 else Verdict.BASICALLY
    services.motion_verdict(actor=None, motion=motion, verdict=verdict)


TARGETS = [
    MotionStatus.CLOSED,
    MotionStatus.CLOSED,
    MotionStatus.CLOSED,
    MotionStatus.ANSWERED,
    MotionStatus.ASSIGNED,
    "overdue",
    MotionStatus.REOPENED,
    "reopened_overdue",
    MotionStatus.FILED,
    MotionStatus.UNDER_REVIEW,
    MotionStatus.REJECTED,
    MotionStatus.CONVERTED,
    MotionStatus.MERGED,
    MotionStatus.SUBMITTED,
]


@transaction.atomic
def seed(today: date) -> int:
    if CongressSession.objects.exists():
        return 0
    rng = random.Random(20261124)
    created = 0
    all_delegates: list[Delegate] = []
    for i, union in enumerate(_unions()):
        required = CongressRule.current(today).delegates_required(organisation_workers(union))
        if required is None:
            continue  # an all-worker assembly, or a workforce not reported: no delegates
        people = _pick_delegates(rng, union, required)
        if len(people) < required:
            continue
        past = services.session_create(
            actor=None,
            organisation=union,
            term=3,
            session_number=1,
            held_on=today - timedelta(days=120 + 10 * i),
            delegates_expected=len(people),
        )
        coming = services.session_create(
            actor=None,
            organisation=union,
            term=3,
            session_number=2,
            held_on=today + timedelta(days=20),
            collection_opens=today - timedelta(days=10),
            delegates_expected=len(people),
        )
        delegates = [
            services.delegate_add(
                actor=None, session=past, member=m, chosen_on=past.held_on - timedelta(days=60)
            )
            for m in people
        ]
        all_delegates.extend(delegates)
        services.session_record_attendance(
            actor=None, session=past, present=len(people) - rng.randint(0, 1)
        )
        n_motions = len(TARGETS) if i < 2 else 6
        motions = []
        for k in range(n_motions):
            title, category = MOTIONS[(k + i) % len(MOTIONS)]
            proposer = delegates[k % len(delegates)]
            cosigners = [delegates[(k + 1) % len(delegates)], delegates[(k + 2) % len(delegates)]]
            motion = services.motion_submit(
                actor=None,
                session=past,
                proposer=proposer,
                cosigners=cosigners,
                title=title,
                body=f"{title}。具体情况：职工反映较多，建议有关部门研究解决。",
                category=category,
                today=past.collection_opens + timedelta(days=k % 20),
            )
            motions.append(motion)
            _advance(motion, TARGETS[k], rng, today, into=motions[0])
            created += 1
        for k in range(2):
            title, category = MOTIONS[(k + 7 + i) % len(MOTIONS)]
            services.motion_submit(
                actor=None,
                session=coming,
                proposer=delegates[k + 3],
                cosigners=[delegates[k + 4], delegates[k + 5]],
                title=title,
                body=f"{title}。",
                category=category,
                today=today,
            )
            created += 1
        for title, kind, yes, no, abstain in ITEMS:
            scale = len(people) / 30
            services.reviewed_item_record(
                actor=None,
                session=past,
                title=title,
                kind=kind,
                votes_for=int(yes * scale),
                votes_against=int(no * scale),
                votes_abstain=int(abstain * scale),
            )
    created += _seed_suggestions(rng, today, [d.member for d in all_delegates])
    return created


def _seed_suggestions(rng: random.Random, today: date, people: list[Member]) -> int:
    if not people:
        return 0
    start = date(today.year, 1, 1)
    span = max(1, (today - start).days)
    rows = []
    existing = Suggestion.objects.count()
    to_adopt = 176 - Suggestion.objects.filter(status=SuggestionStatus.ADOPTED).count()
    for k in range(max(0, 212 - existing)):
        member = rng.choice(people)
        adopted = k < to_adopt
        received = start + timedelta(days=rng.randrange(span))
        evaluated = k < 205
        rows.append(
            Suggestion(
                organisation=member.organisation,
                submitter=member,
                title=rng.choice(SUGGESTION_TITLES),
                body="在日常工作中发现可以改进的地方，建议采纳。",
                received_on=received,
                status=(
                    SuggestionStatus.ADOPTED
                    if adopted
                    else SuggestionStatus.NOT_ADOPTED
                    if evaluated
                    else SuggestionStatus.RECEIVED
                ),
                reason=("效果明显，予以采纳" if adopted else "暂不具备实施条件")
                if evaluated
                else "",
                benefit=Decimal(rng.randrange(500, 50000)) if adopted else None,
            )
        )
    Suggestion.objects.bulk_create(rows)
    return len(rows)
