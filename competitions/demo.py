"""Demo data for competitions and honours (seed_demo calls `seed(today)`): competitions in
every state with judges and scores, the seed's honours, a nomination round and 40 studios."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from members.models import GRASSROOTS_KINDS, Member, Organisation, User

from . import nominations, services
from .models import (
    Competition,
    Field,
    Honour,
    HonourKind,
    InnovationStudio,
    Judge,
    StudioLevel,
)

D = Decimal

COMPETITIONS = [
    # name, field, kind, target status, criteria (name, weight, low, high)
    ("宜昌市职工技术创新成果评选", Field.INNOVATION, "technical", "published",
     [("创新性", 40, 0, 100), ("经济效益", 40, 0, 100), ("推广价值", 20, 0, 100)]),
    ("重点项目劳动竞赛", Field.KEY_PROJECTS, "labour", "judging",
     [("进度", 50, 0, 100), ("质量安全", 50, 0, 100)]),
    ("宜昌市职工职业技能大赛（焊工）", Field.VOCATIONAL, "skills", "registering",
     [("实操", 70, 0, 100), ("理论", 30, 0, 100)]),
    ("服务业岗位技能比武", Field.SERVICES, "skills", "planned",
     [("服务规范", 60, 0, 10), ("顾客评价", 40, 0, 10)]),
]  # fmt: skip


def _unions(n: int) -> list[Organisation]:
    return list(
        Organisation.objects.filter(kind__in=GRASSROOTS_KINDS, active=True, members__isnull=False)
        .distinct()
        .order_by("path")[:n]
    )


def _members(union: Organisation, n: int, **flags) -> list[Member]:
    return list(Member.objects.current().filter(organisation=union, **flags).order_by("pk")[:n])


def _seed_competitions(today: date, city: Organisation, rng: random.Random) -> int:
    judge_users = list(User.objects.filter(username__in=["staff", "admin", "chair2"]))
    unions = _unions(8)
    if not judge_users or not unions:
        return 0
    made = 0
    for name, field, kind, target, criteria in COMPETITIONS:
        competition = services.competition_create(
            actor=None, organiser=city, name=name, field=field, kind=kind,
            starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=60),
            registration_opens=today - timedelta(days=30),
            registration_closes=today + timedelta(days=30),
        )  # fmt: skip
        for cname, weight, low, high in criteria:
            services.criterion_add(
                actor=None, competition=competition, name=cname, weight=D(weight),
                min_score=D(low), max_score=D(high),
            )  # fmt: skip
        for user in judge_users:
            services.judge_add(actor=None, competition=competition, user=user)
        made += 1
        if target == "planned":
            continue
        competition = services.competition_advance(actor=None, competition=competition)
        for union in unions:
            for member in _members(union, 1):
                services.entry_register(
                    actor=None, competition=competition, organisation=union, member=member,
                    today=today,
                )  # fmt: skip
        if target == "registering":
            continue
        competition = services.competition_advance(actor=None, competition=competition)
        crits = list(competition.criteria.all())
        for judge in Judge.objects.filter(competition=competition):
            for row in services.judge_sheet(judge=judge):
                if row["recused"] or (target == "judging" and rng.random() < 0.4):
                    continue
                values = {
                    c.pk: D(rng.randint(int(c.min_score * 6 + c.max_score * 4) // 10,
                                        int(c.max_score)))
                    for c in crits
                }  # fmt: skip
                services.score_entry(
                    actor=judge.user, judge=judge, entry=row["entry"], values=values
                )
        if target == "published":
            services.competition_publish(actor=None, competition=competition)
    return made


def _seed_honours(today: date, city: Organisation) -> int:
    kinds = {k.code: k for k in HonourKind.objects.all()}
    frontline = list(
        Member.objects.current()
        .filter(is_frontline=True)
        .select_related("organisation")
        .order_by("pk")[:200]
    )
    # Awarded at the 五一 conferences (28 April), the medals of this year only if that has come.
    last_may_day = date(today.year if today >= date(today.year, 4, 28) else today.year - 1, 4, 28)
    plan = [
        ("national_model_worker", "national", today.year - 1, "中共中央、国务院", 7),
        ("provincial_model_worker", "provincial", today.year - 1, "湖北省人民政府", 26),
        ("may_day_medal", "city", last_may_day.year, "宜昌市总工会", 50),
    ]
    honours, i = [], 0
    for code, level, year, body, n in plan:
        for member in frontline[i : i + n]:
            honours.append(
                Honour(
                    kind=kinds[code],
                    level=level,
                    year=year,
                    awarded_on=date(year, 4, 28),
                    awarding_body=body,
                    organisation=member.organisation,
                    member=member,
                )  # fmt: skip
            )
        i += n
    for union in _unions(25):
        honours.append(
            Honour(
                kind=kinds["may_day_award"],
                level="city",
                year=last_may_day.year,
                awarded_on=last_may_day,
                awarding_body="宜昌市总工会",
                organisation=union,
            )  # fmt: skip
        )
    Honour.objects.bulk_create(honours)
    return len(honours)


def _seed_round(today: date, city: Organisation) -> int:
    """A 五一 medal round with the default quota rules of the kind and a city-specific one."""
    round_ = nominations.round_create(
        actor=None, organiser=city, kind=HonourKind.objects.get(code="may_day_medal"),
        level="city", year=today.year + 1, awarding_body="宜昌市总工会", today=today,
    )  # fmt: skip
    nominations.rule_add(
        actor=None, round_=round_, attribute="women", operator="gte", percent=D(20)
    )
    i = 0
    for union in _unions(5):
        nominations.quota_set(actor=None, round_=round_, organisation=union, seats=3)
        for member in _members(union, 2):
            nominations.nominate(
                actor=None, round_=round_, organisation=union, member=member,
                is_industrial_worker=member.is_frontline and i % 2 == 0,
                is_science_education=i % 5 == 1, is_non_public=i % 3 != 2,
                is_key_industry=i % 2 == 0,
            )  # fmt: skip
            i += 1
    return 1


def _seed_studios(today: date, rng: random.Random) -> int:
    unions = _unions(40)
    fields = list(Field.values)
    # 28 city-level studios, 9 provincial, 3 national; 10 of them (city and provincial) named
    # exemplary (示范) a year after they were recognised.
    levels = [StudioLevel.CITY] * 28 + [StudioLevel.PROVINCIAL] * 9 + [StudioLevel.NATIONAL] * 3
    studios = []
    for i, union in enumerate(unions * (40 // max(len(unions), 1) + 1)):
        if len(studios) == 40:
            break
        leader = _members(union, 1, is_frontline=True) or _members(union, 1)
        leader = leader[0] if leader else None
        name = f"{leader.name if leader else union.short_name or union.name}劳模创新工作室"
        studios.append(
            InnovationStudio(
                name=name,
                organisation=union,
                leader=leader,
                field=fields[i % len(fields)],
                level=levels[len(studios)],
                recognised_on=date(today.year - 1 - i % 6, 4, 28),
                exemplary_on=min(date(today.year - i % 6, 4, 28), today)
                if len(studios) % 4 == 0
                else None,
                achievements="技术革新成果若干项，创造经济效益。",
            )  # fmt: skip
        )
    InnovationStudio.objects.bulk_create(studios)
    return len(studios)


def seed(today: date) -> int:
    """Idempotent: does nothing once competitions exist. Returns the rows it made."""
    if Competition.objects.exists():
        return 0
    city = Organisation.objects.filter(depth=1).order_by("path").first()
    if city is None:
        return 0
    rng = random.Random(20260501)
    made = _seed_competitions(today, city, rng)
    made += _seed_honours(today, city)
    made += _seed_round(today, city)
    made += _seed_studios(today, rng)
    return made
