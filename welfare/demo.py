"""Demo welfare data for the demo city (members/demo.py): the three yearly campaigns with
budgets, hardship files in each category, relief applications in every state and visits.
Idempotent: does nothing when relief applications exist."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from members.models import Member, Organisation, User

from . import services
from .models import CampaignKind, FileStatus, ReliefApplication


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def seed(today: date) -> int:
    if ReliefApplication.objects.exists():
        return 0
    chair, county, staff, admin = (_user(u) for u in ("chair", "county", "staff", "admin"))
    if not all((chair, county, staff, admin)):
        return 0
    union = chair.roles.first().organisation
    city = Organisation.get_root_nodes().first()
    people = list(
        Member.objects.filter(organisation__path__startswith=union.path, status="active")
        .select_related("organisation")
        .order_by("pk")[:16]
    )
    if len(people) < 16:
        return 0
    year = today.year
    made = 0
    campaigns = {}
    for kind, name, budget, start, end in (
        (CampaignKind.WINTER, "两节送温暖", "3000000", date(year, 1, 1), date(year, 2, 28)),
        (CampaignKind.EDUCATION, "金秋助学", "1200000", date(year, 8, 1), date(year, 9, 30)),
        (CampaignKind.SUMMER, "夏送清凉", "800000", date(year, 7, 1), date(year, 8, 31)),
    ):
        campaigns[kind] = services.campaign_create(
            actor=None,
            organisation=city,
            name=f"{year}年{name}",
            kind=kind,
            year=year,
            budget=Decimal(budget),
            starts_on=start,
            ends_on=end,
        )
        made += 1

    # Hardship files: deep, relative, accidental (net income against the 800 line).
    files = []
    approver = staff  # federation staff approve files; union staff review (architecture.md)
    for member, size, income, illness, accident, cause in (
        (people[0], 3, "21600", "3600", False, "下岗失业，配偶患病"),
        (people[1], 4, "57600", "6000", False, "子女上学，单职工家庭"),
        (people[2], 3, "86400", "12000", True, "突发车祸，医疗费用高"),
    ):
        f = services.file_open(
            actor=chair,
            member=member,
            year=year,
            household_size=size,
            annual_income=Decimal(income),
            illness_costs=Decimal(illness),
            accident=accident,
            causes=cause,
            household=[
                {"name": member.name, "relation": "本人", "annual_income": Decimal(income)},
                {"name": "家属甲", "relation": "配偶", "annual_income": Decimal("0")},
                {"name": "家属乙", "relation": "子女", "annual_income": Decimal("0")},
            ],
        )
        # 建档 as relief: the union submits, the county verifies the income and puts the file
        # on notice, the federation approves once the notice is over.
        services.file_set_status(actor=chair, hardship_file=f, to_status=FileStatus.SUBMITTED)
        services.file_verify(
            actor=county, hardship_file=f, income_verification="民政核对：家庭收入情况属实"
        )
        services.file_start_notice(actor=county, hardship_file=f, today=today - timedelta(days=30))
        services.file_set_status(
            actor=approver, hardship_file=f, to_status=FileStatus.APPROVED, today=today
        )
        files.append(f)
        made += 1

    start = today - timedelta(days=20)

    def step(member, kind, amount, until, campaign=None, approved=None):
        nonlocal made
        app = services.relief_create(
            actor=chair,
            member=member,
            kind=kind,
            reason="家庭困难，申请帮扶",
            amount_requested=Decimal(amount),
            campaign=campaign,
            today=start,
        )
        made += 1
        if until == "draft":
            return app
        app = services.relief_submit(actor=chair, application=app, home_visit="已入户走访核实")
        if until == "submitted":
            return app
        if until == "rejected":
            return services.relief_reject(actor=county, application=app, reason="家庭收入超过标准")
        app = services.relief_review(
            actor=county, application=app, income_verification="民政核对：收入情况属实"
        )
        if until == "reviewed":
            return app
        notice_day = today - timedelta(days=2) if until == "on_notice" else start
        app = services.relief_start_notice(actor=county, application=app, today=notice_day)
        if until == "on_notice":
            return app
        app = services.relief_approve(
            actor=staff,
            application=app,
            amount_approved=Decimal(approved or amount),
            override_reason="演示数据",
            today=today,
        )
        if until == "approved":
            return app
        return services.relief_pay(
            actor=staff, application=app, paid_on=today, reference=f"YC{year}{app.pk:05d}"
        )

    step(people[0], "living", "3000", "paid")
    step(people[1], "education", "3000", "paid", campaigns[CampaignKind.EDUCATION])
    step(people[2], "medical", "20000", "approved", approved="15000")
    step(people[3], "winter", "800", "paid", campaigns[CampaignKind.WINTER])
    step(people[4], "winter", "800", "on_notice", campaigns[CampaignKind.WINTER])
    step(people[5], "summer", "300", "reviewed", campaigns[CampaignKind.SUMMER])
    step(people[6], "temporary", "2000", "submitted")
    step(people[7], "temporary", "1500", "rejected")
    step(people[8], "medical", "8000", "draft")

    for member, occasion, cash, amount, campaign in (
        (people[9], "illness", True, "800", None),
        (people[10], "bereavement", True, "1000", None),
        (people[11], "festival", False, "500", campaigns[CampaignKind.WINTER]),
        (people[12], "birthday", False, "200", None),
        (people[13], "marriage", False, "800", None),
        (people[14], "birth", True, "500", None),
        (people[15], "retirement", False, "600", None),
    ):
        services.visit_record(
            actor=chair,
            member=member,
            occasion=occasion,
            visited_on=today - timedelta(days=5),
            in_cash=cash,
            amount=Decimal(amount),
            visitors="陈静、赵磊",
            campaign=campaign,
            enterprise=member.organisation.name.removesuffix("工会委员会") if campaign else "",
        )
        made += 1
    return made
