"""Demo members for seed_demo: about 20,000 people with realistic names and valid IDs.

Deterministic (a seeded random generator), written in bulk, and idempotent: a union that
already has members is left alone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from .history import rebuild_spells
from .models import (
    Education,
    EmploymentType,
    Member,
    MembershipSpell,
    MemberStatus,
    MemberStatusChange,
    Organisation,
    OrgKind,
    RetainedReason,
    Transfer,
    WageBase,
)
from .validators import parse_resident_id, resident_id_check_char

HISTORY_MODELS = {
    "Member": Member,
    "MemberStatusChange": MemberStatusChange,
    "Transfer": Transfer,
    "MembershipSpell": MembershipSpell,
}

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋"
    "蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
    "覃向易田"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯晨婷雪琳欣怡"
    "佳俊子涵梓轩宏志云飞海燕晓东春梅秋菊冬梅振华永红德胜金凤立新卫东爱民小兵"
)
REGIONS = {
    "420502",
    "420503",
    "420504",
    "420506",
    "420581",
    "420571",
    "420525",
    "420526",
    "420527",
    "420528",
    "420529",
    "420582",
    "420583",
    "420500",
}
MEMBERSHIP_SHARE = Decimal("0.9")  # members per employee in the demo unions


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, region: str, female: bool) -> str:
        while True:
            born = date(1966, 1, 1) + timedelta(days=self.rng.randrange(0, 38 * 365))
            seq = self.rng.randrange(0, 500) * 2 + (0 if female else 1)
            body = f"{region}{born:%Y%m%d}{seq:03d}"
            number = body + resident_id_check_char(body)
            if number not in self.used:
                self.used.add(number)
                return number


def _status(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.08:
        return MemberStatus.RETAINED
    if r < 0.10:
        return MemberStatus.APPLIED
    if r < 0.115:
        return MemberStatus.WITHDRAWN
    if r < 0.125:
        return MemberStatus.LAPSED
    return MemberStatus.ACTIVE


@transaction.atomic
def seed_members(today: date) -> int:
    rng = random.Random(20261124)
    ids = _Ids(rng)
    unions = Organisation.objects.filter(
        kind__in=[OrgKind.GROUP, OrgKind.GRASSROOTS, OrgKind.JOINT_GRASSROOTS], active=True
    ).order_by("path")
    created = 0
    for union in unions:
        branches = list(union.get_children().filter(kind=OrgKind.BRANCH, active=True))
        homes = [union, *branches]
        if Member.objects.filter(organisation__in=homes).exists():
            continue
        region = union.region_code if union.region_code in REGIONS else "420500"
        n = int((union.employees or 0) * MEMBERSHIP_SHARE)
        migrants = union.migrant_employees or 0
        migrant_share = migrants / union.employees if union.employees else 0
        founded = union.founded_on or date(2005, 1, 1)
        members, changes, wages = [], [], []
        for _ in range(n):
            female = rng.random() < 0.45
            rid = parse_resident_id(ids.make(region, female))
            joined = founded + timedelta(days=rng.randrange(0, max(1, (today - founded).days)))
            status = _status(rng)
            # Leavers and retained members left on a day of the last 15 months (after they
            # joined), so the figures of past months differ from today's register; applicants
            # applied in the last two months and are not members yet.
            changed = joined
            if status == MemberStatus.APPLIED:
                joined = changed = today - timedelta(days=rng.randrange(0, 60))
            elif status != MemberStatus.ACTIVE:
                changed = max(joined, today - timedelta(days=rng.randrange(0, 460)))
            member = Member(
                organisation=rng.choice(homes) if branches and rng.random() < 0.6 else union,
                name=_name(rng),
                gender=rid.gender,
                birth_date=rid.birth_date,
                phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                education=rng.choice(list(Education.values)),
                employment_type=rng.choice(list(EmploymentType.values)),
                is_migrant=rng.random() < migrant_share * 0.8,
                is_frontline=rng.random() < 0.62,
                is_manager=rng.random() < 0.08,
                joined_on=joined,
                applied_on=joined if status == MemberStatus.APPLIED else None,
                status=status,
                status_changed_on=changed,
                retained_reason=(
                    rng.choice([RetainedReason.RETIRED, RetainedReason.UNEMPLOYED])
                    if status == MemberStatus.RETAINED
                    else ""
                ),
                wage_base=Decimal(rng.randrange(2600, 15000)) + Decimal(rng.randrange(100)) / 100,
            )
            member.set_resident_id(rid.number)
            members.append(member)
        Member.objects.bulk_create(members, batch_size=2000)
        for m in members:
            first = MemberStatus.APPLIED if m.status == MemberStatus.APPLIED else "active"
            changes.append(
                MemberStatusChange(
                    member=m,
                    organisation=m.organisation,
                    from_status="",
                    to_status=first,
                    changed_on=m.joined_on,
                    reason="演示数据",
                )
            )
            if m.status != first:
                changes.append(
                    MemberStatusChange(
                        member=m,
                        organisation=m.organisation,
                        from_status=first,
                        to_status=m.status,
                        changed_on=m.status_changed_on,
                        category=m.retained_reason,
                        reason="演示数据：退休" if m.retained_reason else "演示数据",
                    )
                )
            wages.append(
                WageBase(member=m, effective_month=m.joined_on.replace(day=1), amount=m.wage_base)
            )
        MemberStatusChange.objects.bulk_create(changes, batch_size=2000)
        WageBase.objects.bulk_create(wages, batch_size=2000)
        rebuild_spells(HISTORY_MODELS, [m.pk for m in members])
        created += len(members)
    return created


@transaction.atomic
def seed_cards(today: date) -> int:
    """Service cards for most current members; most of them activated. Bulk, idempotent."""
    from .models import CardStatus, ServiceCard

    if ServiceCard.objects.exists():
        return 0
    rng = random.Random(7)
    cards = []
    members = (
        Member.objects.current().order_by("id").values_list("id", "organisation_id", "joined_on")
    )
    for pk, org, joined in members.iterator(chunk_size=5000):
        if rng.random() > 0.72:
            continue
        issued = max(joined, date(2019, 1, 1)) + timedelta(days=rng.randrange(0, 300))
        issued = min(issued, today)
        activated = rng.random() < 0.81
        cards.append(
            ServiceCard(
                member_id=pk,
                organisation_id=org,
                number=f"6217{pk:012d}",
                issued_on=issued,
                activated_on=min(issued + timedelta(days=rng.randrange(1, 60)), today)
                if activated
                else None,
                status=CardStatus.ACTIVE if activated else CardStatus.ISSUED,
            )
        )
    ServiceCard.objects.bulk_create(cards, batch_size=5000)
    return len(cards)


def seed_transfers(made: dict) -> int:
    """A few transfers in every state, through the services (as the system)."""
    from . import services
    from .models import Transfer

    if Transfer.objects.exists():
        return 0
    here, there = made["420502-grassroots"], made["420506-grassroots"]
    movers = list(Member.objects.active().filter(organisation=here).order_by("id")[:8])
    back = list(Member.objects.active().filter(organisation=there).order_by("id")[:4])
    plan = [
        (movers[0], there, "accept", "调动到夷陵化工工作"),
        (movers[1], there, "accept", "劳动关系转入新单位"),
        (movers[2], there, "reject", "本单位尚未接收其劳动关系"),
        (movers[3], there, "cancel", "本人暂缓调动"),
        (movers[4], there, None, "随劳动关系转移会籍"),
        (movers[5], there, None, "跨区调动"),
        (back[0], here, None, "调入长江电力检修"),
        (back[1], here, "accept", "调入长江电力检修"),
    ]
    for member, to, outcome, reason in plan:
        transfer = services.transfer_request(
            actor=None, member=member, to_organisation=to, reason=reason, side="sending"
        )
        if outcome == "accept":
            services.transfer_accept(actor=None, transfer=transfer)
        elif outcome == "reject":
            services.transfer_reject(actor=None, transfer=transfer, reason="暂不接收")
        elif outcome == "cancel":
            services.transfer_cancel(actor=None, transfer=transfer, reason="转出方撤回")
    return len(plan)


def seed_dues(today: date, months: int = 12) -> int:
    """Twelve months of dues through the real set-based generation, then payments (most paid,
    the current month partly, a few members six months behind) and the rollups."""
    from django.db.models import F, Q
    from django.db.models.functions import Mod

    from .models import DuesRecord
    from .services.dues import dues_generate, dues_rollup

    if DuesRecord.objects.exists():
        return 0
    month = today.replace(day=1)
    wanted = []
    for _ in range(months):
        wanted.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    rows = 0
    for month in sorted(wanted):
        rows += dues_generate(month=month)
    current = today.replace(day=1)
    seventh_last = sorted(wanted)[-7]
    for month in wanted:
        # Paid by payroll on the 20th, except: one member in 20 late that month, the current
        # month only two thirds so far, and one member in 97 unpaid for the last 7 months
        # (lapse candidates, never lapsed automatically).
        unpaid = Q(late=0)
        if month == current:
            unpaid |= Q(third=0)
        if month >= seventh_last:
            unpaid |= Q(behind=0)
        (
            DuesRecord.objects.filter(month=month)
            .alias(
                late=Mod(F("member_id") + month.month, 20),
                third=Mod(F("member_id"), 3),
                behind=Mod(F("member_id"), 97),
            )
            .exclude(unpaid)
            .update(paid_on=min(month + timedelta(days=19), today), paid_how="payroll")
        )
    for month in sorted(wanted):
        dues_rollup(month=month)
    return rows


def seed_funds(today: date, made: dict) -> int:
    """The tobacco industry union's own rule (50% upward, the seed's complaint) and a year of
    payroll and levy records for every grassroots union."""
    from decimal import Decimal

    from . import services
    from .models import GRASSROOTS_KINDS, FundRecord, RemittanceRule, RemittanceShare

    if FundRecord.objects.exists():
        return 0
    tobacco = made["tobacco"]
    if not RemittanceRule.objects.filter(organisation=tobacco).exists():
        services.remittance_rule_save(
            actor=None,
            organisation=tobacco,
            effective_from=date(2020, 1, 1),
            retained_percent=Decimal("50"),
            note="烟草行业：基层留成 50%，其余上缴市总工会及省总、全总",
            shares=[
                {"level": 2, "percent": Decimal("40"), "label": "市总工会"},
                {
                    "level": RemittanceShare.LEVEL_OUTSIDE,
                    "percent": Decimal("10"),
                    "label": "省总工会及全总",
                },
            ],
        )
    count = 0
    month = today.replace(day=1)
    months = []
    for _ in range(12):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    for union in Organisation.objects.filter(kind__in=GRASSROOTS_KINDS, active=True):
        for month in months:
            payroll = Decimal((union.employees or 0) * 6500 + (month.month * 1000))
            services.fund_record(actor=None, organisation=union, month=month, payroll=payroll)
            count += 1
    return count
