"""Organisations, members and their dues (built once, by COPY); members' service cards."""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from members import crypto
from members.models import Member, Organisation
from members.validators import mask_resident_id, resident_id_check_char, uscc_check_char

from .sizes import Size, months_back
from .sql import copy_rows, picked_members, run_sql

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4


def _seg(n: int) -> str:
    out = ""
    for _ in range(STEP):
        n, r = divmod(n, len(ALPHABET))
        out = ALPHABET[r] + out
    return out


def existing_size() -> int:
    return Member.objects.count()


@transaction.atomic
def build_members(size: Size, *, log=print) -> None:
    have = existing_size()
    if have:
        raise SystemExit(
            f"the database holds {have} members, not {size.members}: use an "
            "empty database for this size"
        )
    rng = random.Random(1)
    log(f"building: {size.label}")
    # --- organisations: city > counties/industries > unions > branches ------------------
    orgs = []  # (path, depth, numchild, kind, level, name, region)
    city_path = _seg(1)
    uppers = size.counties + size.industries
    orgs.append([city_path, 1, uppers, "federation", "city", "基准市总工会", "420500"])
    upper_paths = []
    for i in range(uppers):
        kind, level = ("federation", "county") if i < size.counties else ("industry_union", "")
        path = city_path + _seg(i + 1)
        upper_paths.append(path)
        orgs.append([path, 2, 0, kind, level, f"基准上级工会{i + 1}", f"4205{i % 90 + 10:02d}"])
    union_paths = []
    for u in range(size.unions):
        parent = u % uppers
        orgs[1 + parent][2] += 1
        path = upper_paths[parent] + _seg(orgs[1 + parent][2])
        union_paths.append(path)
        orgs.append([path, 3, 0, "grassroots", "", f"基准基层工会{u + 1}", "420502"])
    base = 1 + uppers
    for b in range(size.branches):
        union = b % size.unions
        orgs[base + union][2] += 1
        path = union_paths[union] + _seg(orgs[base + union][2])
        orgs.append([path, 4, 0, "branch", "", f"基准分会{b + 1}", "420502"])
    now = timezone.now().isoformat()
    copy_rows(
        "members_organisation",
        [
            "path",
            "depth",
            "numchild",
            "kind",
            "level",
            "name",
            "short_name",
            "uscc",
            "employer_name",
            "employer_uscc",
            "employer_category",
            "industry_code",
            "region_code",
            "employees",
            "migrant_employees",
            "employers_covered",
            "has_audit_committee",
            "has_women_committee",
            "active",
            "dissolved_reason",
            "version",
        ],
        (
            [
                p,
                d,
                n,
                k,
                lv,
                name,
                "",
                _uscc(i) if k == "grassroots" else "",
                "",
                "",
                "",
                "",
                reg,
                250 if k == "grassroots" else 0,
                75 if k == "grassroots" else 0,
                1,
                "f",
                "f",
                "t",
                "",
                0,
            ]
            for i, (p, d, n, k, lv, name, reg) in enumerate(orgs)
        ),
    )
    log(f"  organisations: {len(orgs)}")
    # --- members ----------------------------------------------------------------------
    homes = list(
        Organisation.objects.filter(kind__in=["grassroots", "branch"]).values_list("id", flat=True)
    )
    today = timezone.localdate()
    used: set[str] = set()

    def member_rows():
        for n in range(size.members):
            while True:
                born = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 38 * 365))
                body = f"420502{born:%Y%m%d}{rng.randrange(1000):03d}"
                number = body + resident_id_check_char(body)
                if number not in used:
                    used.add(number)
                    break
            r = rng.random()
            status = "retained" if r < 0.08 else "active"
            joined = today - timedelta(days=rng.randrange(400, 9000))
            yield (
                homes[n % len(homes)],
                f"会员{n}",
                crypto.encrypt(number),
                crypto.blind_index(number),
                mask_resident_id(number),
                "M" if int(number[16]) % 2 else "F",
                born,
                f"13{n % 10**9:09d}",
                "",
                "",
                "t" if rng.random() < 0.3 else "f",
                "t" if rng.random() < 0.6 else "f",
                "f",
                joined,
                status,
                joined,
                "retired" if status == "retained" else "",
                f"{rng.randrange(2600, 15000)}.{rng.randrange(100):02d}",
                0,
                now,
                now,
            )

    copy_rows(
        "members_member",
        [
            "organisation_id",
            "name",
            "resident_id_cipher",
            "resident_id_index",
            "resident_id_masked",
            "gender",
            "birth_date",
            "phone",
            "education",
            "employment_type",
            "is_migrant",
            "is_frontline",
            "is_manager",
            "joined_on",
            "status",
            "status_changed_on",
            "retained_reason",
            "wage_base",
            "version",
            "created_at",
            "updated_at",
        ],
        member_rows(),
    )
    with connection.cursor() as cursor:
        # Each member's membership history: one spell from joining, as the import writes it.
        cursor.execute(
            """
            INSERT INTO members_membershipspell
                (member_id, organisation_id, status, retained_reason, gender, is_migrant,
                 is_frontline, valid_from, valid_to, started_by, created_at)
            SELECT m.id, m.organisation_id, m.status, m.retained_reason, m.gender,
                   m.is_migrant, m.is_frontline, m.joined_on, NULL, 'join', now()
            FROM members_member m WHERE m.status IN ('active', 'retained')
            """
        )
    log(f"  members: {size.members}")
    # --- dues: 12 months for every active member, 95% paid ------------------------------
    with connection.cursor() as cursor:
        # Twelve months ending last month: the current month is left for the generation run.
        for month in months_back(size.months, today.replace(day=1) - timedelta(days=1)):
            cursor.execute(
                """
                INSERT INTO members_duesrecord
                    (member_id, organisation_id, month, wage_base, amount, paid_on, paid_how)
                SELECT m.id, m.organisation_id, %s, m.wage_base,
                       FLOOR(m.wage_base / 10) * 10 * 0.005,
                       CASE WHEN (m.id + %s) %% 20 <> 0 THEN %s::date + 20 END,
                       CASE WHEN (m.id + %s) %% 20 <> 0 THEN 'payroll' ELSE '' END
                FROM members_member m WHERE m.status = 'active'
                """,
                [month, month.month, month, month.month],
            )
        cursor.execute("ANALYZE")
    log(f"  dues: {size.months} months")


def _uscc(n: int) -> str:
    body = f"81420502BM{n:07d}"
    return body + uscc_check_char(body)


def add_cards(p: dict) -> int:
    return run_sql(
        f"""
        INSERT INTO members_servicecard
            (number, issued_on, activated_on, status, member_id, organisation_id)
        SELECT 'BC' || lpad(m.id::text, 14, '0'), d.issued, d.activated,
               CASE WHEN d.activated IS NULL THEN 'issued' ELSE 'active' END,
               m.id, m.organisation_id
        FROM ({picked_members("cards")}) m
        CROSS JOIN LATERAL (
            SELECT i.issued, CASE WHEN random() < 0.8 THEN
                       LEAST(i.issued + 7 + floor(random() * 60)::int, %(end)s::date) END
                       AS activated
            FROM (SELECT %(end)s::date - floor(random() * 1000)::int - (m.rn * 0)::int
                         AS issued) i
        ) d
        """,
        p,
    )
