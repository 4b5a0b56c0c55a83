"""The demo city for seed_demo: a Yichang-like federation modelled on the seed speech.

Everything here is deterministic (codes come from counters, not randomness) so that running
seed_demo twice gives the same rows.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import services
from .models import FederationLevel, Organisation, OrgKind, Role, RoleName, User
from .validators import uscc_check_char

CITY_REGION = "420500"

COUNTIES = [
    ("西陵区总工会", "西陵区", "420502"),
    ("伍家岗区总工会", "伍家岗区", "420503"),
    ("点军区总工会", "点军区", "420504"),
    ("夷陵区总工会", "夷陵区", "420506"),
    ("宜都市总工会", "宜都市", "420581"),
]
TOWNSHIPS = {
    "420502": ["西陵街道总工会", "学院街道总工会"],
    "420503": ["伍家乡总工会"],
    "420504": ["点军街道总工会"],
    "420506": ["小溪塔街道总工会"],
    "420581": ["陆城街道总工会"],
}
# Grassroots unions under each county: (employer, category, industry, employees, migrants)
COUNTY_UNIONS = {
    "420502": [
        ("宜昌长江电力检修有限公司", "151", "D44", 860, 40),
        ("宜昌市中心人民医院", "400", "Q84", 2300, 0),
        ("宜昌国贸大厦有限公司", "159", "F52", 420, 150),
        ("宜昌三峡旅游度假区开发有限公司", "161", "N78", 310, 90),
        ("宜昌市第一中学", "400", "P83", 260, 0),
    ],
    "420503": [
        ("宜昌兴发物流有限公司", "170", "G54", 380, 210),
        ("宜昌伍家岗港务有限公司", "151", "G55", 520, 160),
        ("宜昌东站商贸城管理有限公司", "170", "F51", 190, 120),
        ("宜昌华强纺织有限公司", "170", "C17", 640, 480),
    ],
    "420504": [
        ("宜昌点军生态农业发展有限公司", "170", "A01", 130, 100),
        ("宜昌江南新材料有限公司", "169", "C30", 450, 260),
        ("宜昌点军区人民医院", "400", "Q84", 350, 0),
    ],
    "420506": [
        ("宜昌夷陵化工股份有限公司", "169", "C26", 1200, 500),
        ("宜昌小溪塔建筑工程有限公司", "170", "E47", 760, 610),
        ("宜昌夷陵柑橘专业合作社", "130", "A01", 90, 80),
        ("宜昌三峡机场有限公司", "161", "G56", 580, 60),
    ],
    "420581": [
        ("宜都东阳光铝业有限公司", "300", "C32", 1500, 700),
        ("宜都陆城水泥有限公司", "159", "C30", 480, 300),
        ("宜都市第一人民医院", "400", "Q84", 900, 0),
    ],
}
TOWNSHIP_UNIONS = {
    "西陵街道总工会": [("西陵街道小微企业联合", "170", "F52", 160, 110)],
    "学院街道总工会": [("宜昌学院路商户联合", "600", "H62", 120, 90)],
    "伍家乡总工会": [("伍家乡农产品加工有限公司", "170", "C13", 140, 120)],
    "点军街道总工会": [("点军街道家政服务联合", "700", "O80", 95, 85)],
    "小溪塔街道总工会": [("小溪塔物业服务有限公司", "170", "K70", 180, 150)],
    "陆城街道总工会": [("陆城商贸联合", "170", "F52", 130, 100)],
}
PARK_UNIONS = [
    ("宜昌高新区光电子产业有限公司", "300", "C39", 980, 420),
    ("宜昌高新区生物医药有限公司", "169", "C27", 650, 200),
    ("宜昌高新区软件园运营有限公司", "159", "I65", 310, 30),
    ("宜昌高新区新能源电池有限公司", "170", "C38", 1400, 900),
]
EXPRESS_UNIONS = [
    ("宜昌顺达快递有限公司", "170", "G60", 420, 380),
    ("宜昌中通快递服务有限公司", "170", "G60", 360, 320),
    ("宜昌同城即时配送有限公司", "170", "G60", 280, 260),
]
TOBACCO_COUNTIES = [
    ("夷陵区", "420506"),
    ("远安县", "420525"),
    ("兴山县", "420526"),
    ("秭归县", "420527"),
    ("长阳土家族自治县", "420528"),
    ("五峰土家族自治县", "420529"),
    ("当阳市", "420582"),
    ("枝江市", "420583"),
]
BRANCHES = ["机关分会", "生产一线分会", "营销服务分会"]


class Codes:
    """Deterministic, valid USCCs: a union's starts 8, an employer's 91."""

    def __init__(self) -> None:
        self.n = 0

    def _make(self, prefix: str, region: str) -> str:
        self.n += 1
        body = f"{prefix}{region}MA{self.n:07d}"
        return body + uscc_check_char(body)

    def union(self, region: str, grassroots: bool = True) -> str:
        return self._make("81" if grassroots else "89", region)

    def employer(self, region: str) -> str:
        return self._make("91", region)


def _ensure(parent: Organisation | None, uscc: str, **fields) -> Organisation:
    existing = Organisation.objects.filter(uscc=uscc).first()
    if existing:
        return existing
    return services.organisation_create(actor=None, parent=parent, uscc=uscc, **fields)


def _term(year: int) -> dict:
    return {"term_start": date(year, 3, 1), "term_end": date(year + 5, 2, 28)}


def _grassroots(parent, codes: Codes, region: str, spec, *, n_branches: int, kind=None):
    employer, category, industry, employees, migrants = spec
    # The demo city's workforce, scaled so the register holds about 20,000 members.
    employees, migrants = employees * 6 // 5, migrants * 6 // 5
    founded = 2000 + (codes.n % 20)
    kind = kind or (OrgKind.JOINT_GRASSROOTS if "联合" in employer else OrgKind.GRASSROOTS)
    org = _ensure(
        parent,
        codes.union(region),
        kind=kind,
        # A joint union covers a few small employers (the service keeps 1 for the others).
        employers_covered=2 + codes.n % 4,
        name=f"{employer}工会委员会" if "联合" not in employer else f"{employer}工会",
        short_name=employer.replace("宜昌", "")[:12],
        employer_name=employer,
        employer_uscc=codes.employer(region),
        employer_category=category,
        industry_code=industry,
        region_code=region,
        employees=employees,
        migrant_employees=migrants,
        founded_on=date(founded, 5, 1),
        has_audit_committee=employees >= 200,
        has_women_committee=True,
        **_term(2022 + codes.n % 3),
    )
    for i, branch in enumerate(BRANCHES[:n_branches]):
        code = codes.union(region)
        if not Organisation.objects.filter(uscc=code).exists():
            _ensure(
                org,
                code,
                kind=OrgKind.BRANCH,
                name=f"{org.short_name}{branch}",
                region_code=region,
                employees=employees // (n_branches + 1) if i else 0,
            )
    return org


@transaction.atomic
def seed_organisations() -> dict[str, Organisation]:
    codes = Codes()
    city = _ensure(
        None,
        codes.union(CITY_REGION, grassroots=False),
        kind=OrgKind.FEDERATION,
        level=FederationLevel.CITY,
        name="宜昌市总工会",
        short_name="市总工会",
        region_code=CITY_REGION,
        founded_on=date(1950, 5, 1),
        **_term(2023),
    )
    made = {"city": city}
    for name, short, region in COUNTIES:
        county = _ensure(
            city,
            codes.union(region, grassroots=False),
            kind=OrgKind.FEDERATION,
            level=FederationLevel.COUNTY,
            name=name,
            short_name=short,
            region_code=region,
            **_term(2023),
        )
        made[region] = county
        for spec in COUNTY_UNIONS[region]:
            org = _grassroots(county, codes, region, spec, n_branches=2)
            made.setdefault(f"{region}-grassroots", org)
        for township_name in TOWNSHIPS[region]:
            township = _ensure(
                county,
                codes.union(region, grassroots=False),
                kind=OrgKind.TOWNSHIP_UNION,
                name=township_name,
                short_name=township_name.replace("总工会", ""),
                region_code=region,
                **_term(2022),
            )
            for spec in TOWNSHIP_UNIONS[township_name]:
                _grassroots(
                    township, codes, region, spec, n_branches=0, kind=OrgKind.JOINT_GRASSROOTS
                )
    park = _ensure(
        city,
        codes.union("420571", grassroots=False),
        kind=OrgKind.PARK_UNION,
        name="宜昌高新区总工会",
        short_name="高新区",
        region_code="420571",
        **_term(2023),
    )
    for spec in PARK_UNIONS:
        _grassroots(park, codes, "420571", spec, n_branches=1)
    tobacco = _ensure(
        city,
        codes.union(CITY_REGION, grassroots=False),
        kind=OrgKind.INDUSTRY_UNION,
        name="宜昌市烟草行业工会",
        short_name="烟草行业工会",
        industry_code="C16",
        region_code=CITY_REGION,
        **_term(2022),
    )
    made["tobacco"] = tobacco
    for county_name, region in TOBACCO_COUNTIES:
        employer = f"宜昌市烟草公司{county_name}分公司"
        _grassroots(tobacco, codes, region, (employer, "151", "F52", 120, 10), n_branches=1)
    express = _ensure(
        city,
        codes.union(CITY_REGION, grassroots=False),
        kind=OrgKind.INDUSTRY_UNION,
        name="宜昌市快递行业工会",
        short_name="快递行业工会",
        industry_code="G60",
        region_code=CITY_REGION,
        **_term(2024),
    )
    for spec in EXPRESS_UNIONS:
        _grassroots(express, codes, CITY_REGION, spec, n_branches=0)
    return made


DEMO_USERS = [
    # username, full name, where (key into the made dict), role
    ("admin", "王建国", "city", RoleName.FEDERATION_ADMIN),
    ("staff", "李秀英", "city", RoleName.FEDERATION_STAFF),
    ("auditor", "张敏", "city", RoleName.AUDITOR),
    ("county", "刘洋", "420502", RoleName.UNION_STAFF),
    ("chair", "陈静", "420502-grassroots", RoleName.BRANCH_CHAIR),
    ("chair2", "杨帆", "420506-grassroots", RoleName.BRANCH_CHAIR),
    ("officer", "赵磊", "420502-grassroots", RoleName.BRANCH_OFFICER),
]


@transaction.atomic
def seed_users(made: dict[str, Organisation]) -> list[User]:
    """The demo accounts, with the published password. With DEBUG off (seed_demo only runs
    so when told to) every demo account still on that password must change it at its first
    login (security.md B4)."""
    users = []
    for username, full_name, where, role in DEMO_USERS:
        org = made[where]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, organisation=org)
            user.set_password(settings.DEMO_PASSWORD)
            user.must_change_password = not settings.DEBUG
            user.save()
        elif not settings.DEBUG and not user.must_change_password:
            if user.check_password(settings.DEMO_PASSWORD):
                user.must_change_password = True
                user.save(update_fields=["must_change_password"])
        if not Role.objects.filter(user=user, organisation=org, role=role).exists():
            # The demo's auditor is in force at once, as the operator command makes the first
            # one (a second administrator confirms later grants, security.md D7).
            Role.objects.create(
                user=user,
                organisation=org,
                role=role,
                active_from=date(2024, 1, 1),
                confirmed_at=timezone.now() if role == RoleName.AUDITOR else None,
            )
        users.append(user)
    return users


def seed_two_step(users: list[User]) -> int:
    """With DEBUG on, enrol the demo accounts that need two-step login with the published
    demo secret (README "Two-step login"), so MFA_ENFORCED=true can be tried at once. With
    DEBUG off they enrol their own phones at the first login."""
    if not settings.DEBUG:
        return 0
    from .mfa import devices, policy

    enrolled = 0
    for user in users:
        if any(r.role in policy.MFA_ROLES for r in user.roles.all()):
            enrolled += devices.enrol_demo(user)
    return enrolled
