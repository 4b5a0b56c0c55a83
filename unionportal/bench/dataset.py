"""The benchmark data set of performance.md, built with COPY and INSERT ... SELECT.

Sizes scale from the full set (1 city, 12 counties, 6 industry unions, 5,000 grassroots
unions, 20,000 branches, 1,000,000 members, 12 months of dues) down to the smoke set.
Built once into its own PostgreSQL database and reused: `build()` returns at once when the
database already holds a set of the asked size.
"""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from members import crypto
from members.models import Member, Organisation
from members.validators import mask_resident_id, resident_id_check_char, uscc_check_char

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4


@dataclass(frozen=True)
class Size:
    counties: int
    industries: int
    unions: int
    branches: int
    members: int
    months: int = 12

    @property
    def label(self) -> str:
        return f"{self.members} members, {self.unions} unions, {self.months} months"


FULL = Size(counties=12, industries=6, unions=5_000, branches=20_000, members=1_000_000)
SMOKE = Size(counties=4, industries=2, unions=50, branches=200, members=10_000)


def _seg(n: int) -> str:
    out = ""
    for _ in range(STEP):
        n, r = divmod(n, len(ALPHABET))
        out = ALPHABET[r] + out
    return out


def _copy(table: str, columns: list[str], rows) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buf
        )


def months_back(n: int, today: date | None = None) -> list[date]:
    first = (today or timezone.localdate()).replace(day=1)
    out = []
    for _ in range(n):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(out)


def existing_size() -> int:
    return Member.objects.count()


def build(size: Size, *, log=print) -> None:
    """The members and dues (once), then whatever the reporting part still lacks."""
    if connection.vendor != "postgresql":
        raise SystemExit("the benchmark data set is built on PostgreSQL (set DATABASE_URL)")
    if existing_size() == size.members:
        log(f"data set present: {size.label}")
    else:
        _build_members(size, log=log)
    log("reporting records:")
    extend(size, log=log)
    # Set the visibility maps as autovacuum would in time, so index-only scans read no heap
    # and every run measures the same state (cheap when nothing changed). Not possible, and
    # not needed, inside a transaction (the tests).
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


@transaction.atomic
def _build_members(size: Size, *, log=print) -> None:
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
    _copy(
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
                f"{rng.randrange(2600, 15000)}.{rng.randrange(100):02d}",
                0,
                now,
                now,
            )

    _copy(
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
            "wage_base",
            "version",
            "created_at",
            "updated_at",
        ],
        member_rows(),
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


# --- the reporting part of the data set (issue 7) -------------------------------------------
# Added to a set that already holds its organisations, members and dues: each step runs only
# when its table is empty, so a data set built before issue 7 is extended, not rebuilt.
# Everything is one INSERT ... SELECT per table (random() seeded, so a rebuild is alike).

FULL_EXTRA = {
    "cards": 600_000,  # 60% of members hold a service card (80% of them activated)
    "hardship": 10_000,
    "relief": 50_000,
    "visits": 100_000,
    "motions": 20_000,
    "suggestions": 30_000,
    "competitions": 2_000,
    "honours": 10_000,
}
DELEGATES_PER_UNION = 4
CRITERIA, JUDGES, ENTRIES = 2, 5, 5  # per competition: 5 entries x 5 judges x 2 = 50 scores
JUDGE_USERS = 50
REPORT_QUARTERS = 4


def scaled(size: Size, what: str) -> int:
    return max(1, round(FULL_EXTRA[what] * size.members / FULL.members))


def window(today: date | None = None) -> tuple[date, date]:
    """The last 12 months: the first day of the month 11 months back, to yesterday."""
    today = today or timezone.localdate()
    return months_back(12, today)[0], today - timedelta(days=1)


def last_quarters(n: int, today: date | None = None) -> list[tuple[int, int]]:
    """The last `n` quarters that have ended, oldest first."""
    from unionportal.reporting.models import finished_quarters

    return finished_quarters(n, today)


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (our own table names)
        return cursor.fetchone()[0]


def _run(sql: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.rowcount


# A random day of the window, per row: %(start)s + a random number of days.
DAY = "(%(start)s::date + floor(random() * (%(end)s::date - %(start)s::date + 1))::int)"
# A random moment of a day expression, as a timestamp in the portal's time zone.
MOMENT = "(({d})::timestamp + interval '9 hours' + random() * interval '8 hours') AT TIME ZONE 'Asia/Shanghai'"  # noqa: E501


def _picked_members(n_param: str) -> str:
    """n distinct random active members (id, organisation_id, rn)."""
    return f"""
        SELECT id, organisation_id, row_number() OVER () AS rn FROM (
            SELECT id, organisation_id FROM members_member WHERE status = 'active'
            ORDER BY random() LIMIT %({n_param})s
        ) p"""


def _cards(p: dict) -> int:
    return _run(
        f"""
        INSERT INTO members_servicecard
            (number, issued_on, activated_on, status, member_id, organisation_id)
        SELECT 'BC' || lpad(m.id::text, 14, '0'), d.issued, d.activated,
               CASE WHEN d.activated IS NULL THEN 'issued' ELSE 'active' END,
               m.id, m.organisation_id
        FROM ({_picked_members("cards")}) m
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


def _hardship(p: dict) -> int:
    return _run(
        f"""
        INSERT INTO welfare_hardshipfile
            (year, household_size, annual_income, illness_costs, disability_costs,
             schooling_costs, household_notes, causes, accident, poverty_line, net_per_capita,
             suggested_category, category, status, review_due, closed_on, close_reason,
             created_at, member_id, organisation_id)
        SELECT EXTRACT(year FROM c.day)::int, 1 + floor(random() * 5)::int,
               round((12000 + random() * 30000)::numeric, 2), round((random() * 20000)::numeric, 2),
               0, round((random() * 8000)::numeric, 2), '', '基准困难档案', random() < 0.2,
               780.00, round((400 + random() * 600)::numeric, 2), c.cat, c.cat,
               CASE WHEN m.rn %% 10 = 0 THEN 'closed' WHEN m.rn %% 10 = 1 THEN 'submitted'
                    ELSE 'approved' END,
               c.day + 365,
               CASE WHEN m.rn %% 10 = 0 THEN LEAST(c.day + 90, %(end)s::date) END,
               CASE WHEN m.rn %% 10 = 0 THEN '基准：脱困' ELSE '' END,
               {MOMENT.format(d="c.day")}, m.id, m.organisation_id
        FROM ({_picked_members("hardship")}) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - (m.rn * 0)::int AS day,
                   (ARRAY['deep', 'relative', 'accidental'])[1 + (m.rn %% 3)] AS cat
        ) c
        """,
        p,
    )


def _relief(p: dict) -> int:
    # Applications (all paid), then one payment each, paid 10-40 days after the application,
    # within the window.
    n = _run(
        f"""
        INSERT INTO welfare_reliefapplication
            (kind, year, reason, amount_requested, amount_approved, status, home_visit,
             income_verification, notice_starts, notice_ends, override_reason, reject_reason,
             created_at, member_id, organisation_id)
        SELECT a.kind, EXTRACT(year FROM a.day)::int, '基准救助申请', a.amount + 200, a.amount,
               'paid', '已入户走访', '收入已核实', a.day + 3, a.day + 10, '', '',
               {MOMENT.format(d="a.day")}, m.id, m.organisation_id
        FROM ({_picked_members("relief")}) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - 25 - (m.rn * 0)::int AS day,
                   (ARRAY['living', 'medical', 'education', 'winter', 'summer',
                          'temporary'])[1 + (m.rn %% 6)] AS kind,
                   (300 + 100 * floor(random() * 28))::numeric(12, 2) AS amount
        ) a
        """,
        p,
    )
    _run(
        """
        INSERT INTO welfare_reliefpayment (amount, paid_on, reference, application_id)
        SELECT a.amount_approved,
               LEAST(GREATEST(a.created_at::date + 10 + floor(random() * 30)::int,
                              %(start)s::date), %(end)s::date),
               'BENCH' || a.id, a.id
        FROM welfare_reliefapplication a WHERE a.status = 'paid'
        """,
        p,
    )
    return n


def _visits(p: dict) -> int:
    return _run(
        f"""
        INSERT INTO welfare_condolencevisit
            (occasion, visited_on, in_cash, amount, visitors, note, created_at, member_id,
             organisation_id)
        SELECT v.occasion, v.day, v.occasion IN ('illness', 'bereavement'),
               (100 * (1 + floor(random() * 10)))::numeric(12, 2), '基准慰问组', '',
               {MOMENT.format(d="v.day")}, m.id, m.organisation_id
        FROM (SELECT id, organisation_id, row_number() OVER () AS rn FROM (
                SELECT id, organisation_id FROM members_member WHERE status = 'active'
                ORDER BY random() LIMIT %(visits)s) q) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - (m.rn * 0)::int AS day,
                   (ARRAY['illness', 'bereavement', 'festival', 'birthday', 'birth',
                          'marriage', 'retirement'])[1 + (m.rn %% 7)] AS occasion
        ) v
        """,
        p,
    )


def _congress(p: dict) -> int:
    """A session (term 1, session 1) for every grassroots union, 4 delegates each, motions
    spread over the sessions (some answered, with verdicts) and suggestions."""
    _run(
        f"""
        INSERT INTO congress_congresssession
            (term, session_number, kind, held_on, collection_opens, collection_closes,
             delegates_expected, delegates_present, created_at, organisation_id)
        SELECT 1, 1, 'congress', s.day, s.day - 40, s.day - 10, 40, 30 + floor(random() * 11)::int,
               {MOMENT.format(d="s.day - 45")}, o.id
        FROM members_organisation o
        CROSS JOIN LATERAL (SELECT {DAY} + (o.id * 0)::int AS day) s
        WHERE o.kind = 'grassroots'
        """,
        p,
    )
    _run(
        f"""
        INSERT INTO congress_delegate
            (term, is_frontline, is_manager, is_female, chosen_on, member_id, organisation_id)
        SELECT 1, m.is_frontline, m.is_manager, m.gender = 'F', %(start)s::date - 60, m.id,
               m.organisation_id
        FROM (SELECT id, organisation_id, is_frontline, is_manager, gender,
                     row_number() OVER (PARTITION BY organisation_id ORDER BY id) AS rn
              FROM members_member
              WHERE status = 'active' AND organisation_id IN (
                  SELECT id FROM members_organisation WHERE kind = 'grassroots')) m
        WHERE m.rn <= {DELEGATES_PER_UNION}
        """,
        p,
    )
    n = _run(
        """
        INSERT INTO congress_motion
            (number, title, body, category, status, review_reason, handling_unit,
             responsible_person, due_on, answer, answered_on, verdict, submitted_on, version,
             organisation_id, proposer_id, session_id)
        SELECT x.number, '基准提案' || x.number, '提案内容', x.category, x.status, '',
               CASE WHEN x.status IN ('assigned', 'answered', 'closed') THEN '人力资源部' ELSE ''
               END,
               CASE WHEN x.status IN ('assigned', 'answered', 'closed') THEN '张经理' ELSE ''
               END,
               CASE WHEN x.status IN ('assigned', 'answered', 'closed') THEN x.submitted + 45 END,
               CASE WHEN x.answered IS NOT NULL THEN '已答复' ELSE '' END,
               x.answered,
               CASE WHEN x.answered IS NULL THEN ''
                    WHEN x.r2 < 0.6 THEN 'satisfied' WHEN x.r2 < 0.85 THEN 'basically'
                    WHEN x.r2 < 0.95 THEN 'unsatisfied' ELSE '' END,
               x.submitted, 0, x.organisation_id, x.proposer_id, x.session_id
        FROM (
            SELECT y.*,
                   CASE WHEN y.r1 < 0.1 THEN 'rejected' WHEN y.r1 < 0.2 THEN 'filed'
                        WHEN y.r1 < 0.35 THEN 'assigned' WHEN y.r1 < 0.7 THEN 'answered'
                        ELSE 'closed' END AS status,
                   CASE WHEN y.r1 >= 0.35 THEN LEAST(y.submitted + 10 + floor(y.r2 * 30)::int,
                                                     %(end)s::date) END AS answered
            FROM (
                SELECT s.id AS session_id, s.organisation_id, k AS number, d.id AS proposer_id,
                       (ARRAY['production', 'pay', 'safety', 'welfare', 'management',
                              'other'])[1 + (k %% 6)] AS category,
                       s.collection_opens + (k * 7) %% 30 AS submitted,
                       random() AS r1, random() AS r2
                FROM congress_congresssession s
                CROSS JOIN generate_series(1, %(per_session)s) k
                JOIN LATERAL (
                    SELECT id FROM congress_delegate dd
                    WHERE dd.organisation_id = s.organisation_id
                    ORDER BY id OFFSET (k - 1) %% %(delegates)s LIMIT 1) d ON true
            ) y
        ) x
        """,
        p,
    )
    _run(
        f"""
        INSERT INTO congress_suggestion
            (title, body, received_on, status, reason, benefit, organisation_id, submitter_id)
        SELECT '基准建议' || m.rn, '建议内容', x.day, x.status,
               CASE WHEN x.status = 'not_adopted' THEN '暂不具备条件' ELSE '' END,
               CASE WHEN x.status = 'adopted' THEN round((random() * 50000)::numeric, 2) END,
               m.organisation_id, m.id
        FROM ({_picked_members("suggestions")}) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - (m.rn * 0)::int AS day,
                   CASE m.rn %% 10 WHEN 0 THEN 'received' WHEN 1 THEN 'received'
                        WHEN 2 THEN 'received' WHEN 3 THEN 'not_adopted'
                        WHEN 4 THEN 'not_adopted' WHEN 5 THEN 'not_adopted'
                        ELSE 'adopted' END AS status
        ) x
        """,
        p,
    )
    return n


def _competitions(p: dict) -> int:
    """Competitions organised by grassroots unions (one in ten by a county), with criteria,
    judges (bench judge users), entries of members, and every judge's score of every
    entry on every criterion."""
    _run(
        """
        INSERT INTO members_user
            (password, is_superuser, username, first_name, last_name, email, is_staff,
             is_active, date_joined, full_name, must_change_password, organisation_id)
        SELECT '!', false, 'bench-judge-' || g, '', '', '', false, true, now(),
               '基准评委' || g, false, (SELECT id FROM members_organisation WHERE depth = 1)
        FROM generate_series(1, %(judge_users)s) g
        ON CONFLICT (username) DO NOTHING
        """,
        p,
    )
    n = _run(
        f"""
        INSERT INTO competitions_competition
            (name, field, kind, starts_on, ends_on, registration_opens, registration_closes,
             status, trim_extremes, published_at, created_at, organiser_id)
        SELECT '基准竞赛' || c.g, c.field, c.kind, c.day, c.day + 30, c.day - 30, c.day - 1,
               CASE WHEN c.day + 30 < %(end)s::date THEN 'published' ELSE 'judging' END,
               c.g %% 2 = 0,
               CASE WHEN c.day + 30 < %(end)s::date THEN {MOMENT.format(d="c.day + 31")} END,
               {MOMENT.format(d="c.day - 40")}, c.organiser
        FROM (
            SELECT g, {DAY} - 30 + (g * 0)::int AS day,
                   (ARRAY['innovation', 'key_projects', 'vocational', 'services'])[1 + g %% 4]
                       AS field,
                   (ARRAY['labour', 'skills', 'technical'])[1 + g %% 3] AS kind,
                   CASE WHEN g %% 10 = 0
                        THEN (SELECT id FROM members_organisation WHERE depth = 2
                              ORDER BY path OFFSET (g / 10) %% %(uppers)s LIMIT 1)
                        ELSE (SELECT id FROM members_organisation WHERE kind = 'grassroots'
                              ORDER BY path OFFSET g %% %(unions)s LIMIT 1) END AS organiser
            FROM generate_series(1, %(competitions)s) g
        ) c
        """,
        p,
    )
    _run(
        f"""
        INSERT INTO competitions_criterion (name, weight, min_score, max_score, competition_id)
        SELECT (ARRAY['技能操作', '理论知识', '创新成果'])[k], 100.0 / {CRITERIA}, 0, 100, c.id
        FROM competitions_competition c CROSS JOIN generate_series(1, {CRITERIA}) k
        """,
        p,
    )
    _run(
        f"""
        INSERT INTO competitions_judge (competition_id, user_id)
        SELECT c.id, u.id
        FROM competitions_competition c CROSS JOIN generate_series(0, {JUDGES - 1}) k
        JOIN LATERAL (SELECT id FROM members_user WHERE username LIKE 'bench-judge-%%'
                      ORDER BY id OFFSET (c.id * {JUDGES} + k) %% %(judge_users)s LIMIT 1) u
             ON true
        """,
        p,
    )
    _run(
        f"""
        INSERT INTO competitions_entry
            (team_name, registered_on, competition_id, member_id, organisation_id)
        SELECT '', c.registration_opens + (m.rn %% 30)::int, c.id, m.id, m.organisation_id
        FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i,
                     registration_opens FROM competitions_competition) c
        JOIN ({_picked_members("entries")}) m ON (m.rn - 1) / {ENTRIES} = c.i
        """,
        p,
    )
    _run(
        """
        INSERT INTO competitions_score (value, scored_at, criterion_id, entry_id, judge_id)
        SELECT round((60 + random() * 40)::numeric, 2),
               (c.starts_on + 20)::timestamp AT TIME ZONE 'Asia/Shanghai', cr.id, e.id, j.id
        FROM competitions_entry e
        JOIN competitions_competition c ON c.id = e.competition_id
        JOIN competitions_judge j ON j.competition_id = c.id
        JOIN competitions_criterion cr ON cr.competition_id = c.id
        """,
        p,
    )
    return n


def _honours(p: dict) -> int:
    return _run(
        f"""
        INSERT INTO competitions_honour
            (level, year, awarding_body, team_name, created_at, member_id, organisation_id,
             kind_id)
        SELECT h.level, EXTRACT(year FROM h.day)::int, '基准市总工会', '',
               {MOMENT.format(d="h.day")}, m.id, m.organisation_id, h.kind_id
        FROM ({_picked_members("honours")}) m
        CROSS JOIN LATERAL (
            SELECT {DAY} - (m.rn * 0)::int AS day,
                   (ARRAY['national', 'provincial', 'city', 'county', 'county',
                          'city'])[1 + m.rn %% 6] AS level,
                   (SELECT id FROM competitions_honourkind WHERE recipient = 'member'
                    ORDER BY id OFFSET m.rn %% 10 LIMIT 1) AS kind_id
        ) h
        """,
        p,
    )


def _report_values_sql() -> tuple[str, str]:
    """jsonb_build_object(...) of plausible figures for every union indicator (`values`) and
    the computed ones (`computed`), from the per-row randoms r1..r4 and the union's members
    estimate m: parts never exceed wholes, money as "1234.50" strings."""
    from unionportal.reporting.indicators import UNION, indicators_for

    money = "to_char(({})::numeric, 'FM999999999990.00')"
    figures = {
        "members": "v.m",
        "women_members": "floor(v.m * (0.3 + 0.2 * v.r1))::int",
        "migrant_members": "floor(v.m * (0.2 + 0.2 * v.r2))::int",
        "new_members": "floor(v.m * 0.03 * v.r3)::int",
        "retained_members": "floor(v.m * 0.08)::int",
        "cards_issued": "floor(v.m * 0.05 * v.r1)::int",
        "cards_activated": "floor(v.m * 0.04 * v.r1)::int",
        "dues_expected": money.format("v.m * 3 * 28.5"),
        "dues_collected": money.format("v.m * 3 * 28.5 * (0.9 + 0.1 * v.r2)"),
        "hardship_files": "floor(v.r3 * 4)::int",
        "relief_count": "floor(v.r4 * 6)::int",
        "relief_amount": money.format("floor(v.r4 * 6) * 1150"),
        "visits_count": "floor(v.r1 * 12)::int",
        "visits_amount": money.format("floor(v.r1 * 12) * 500"),
        "congress_sessions": "(v.r2 < 0.3)::int",
        "motions_filed": "floor(v.r3 * 6)::int",
        "motions_answered": "floor(v.r3 * 6 * v.r4)::int",
        "suggestions": "floor(v.r2 * 10)::int",
        "suggestions_adopted": "floor(v.r2 * 10 * 0.6)::int",
        "competitions": "(v.r4 < 0.1)::int",
        "competition_entries": "floor(v.r4 * 3)::int",
        "honours": "(v.r1 < 0.2)::int",
        "employees": "v.e",
        "women_employees": "floor(v.e * (0.3 + 0.2 * v.r1))::int",
        "migrant_employees": "floor(v.e * 0.3)::int",
        "contracts": "1 + (v.r2 < 0.3)::int",
        "contract_workers": "floor(v.e * (0.7 + 0.3 * v.r3))::int",
        "disputes_mediated": "floor(v.r4 * 4)::int",
        "petition_visits": "floor(v.r1 * 3)::int",
        "petition_people": "floor(v.r1 * 3) + floor(v.r2 * 4)::int",
        "petition_letters": "floor(v.r2 * 3)::int",
        "petition_calls": "floor(v.r3 * 5)::int",
        "petitions_closed": "floor((floor(v.r1 * 3) + floor(v.r2 * 3) + floor(v.r3 * 5)) * 0.8)::int",  # noqa: E501
    }
    wanted = indicators_for(UNION)
    missing = [i.code for i in wanted if i.code not in figures]
    assert not missing, f"no bench figure for {missing}"

    def obj(inds) -> str:
        return (
            "jsonb_build_object(" + ", ".join(f"'{i.code}', {figures[i.code]}" for i in inds) + ")"
        )

    return obj(wanted), obj([i for i in wanted if i.computed])


def _reports(p: dict) -> int:
    """Report periods for the last 4 quarters that have ended; a report for every grassroots
    union in each (most accepted, some submitted, some drafts; the latest quarter has more
    open ones), and the counties' reports of employers without a union."""
    from unionportal.reporting.models import ReportPeriod, quarter_bounds

    for year, quarter in last_quarters(REPORT_QUARTERS):
        starts, ends = quarter_bounds(year, quarter)
        _run(
            """
            INSERT INTO reporting_reportperiod (year, quarter, starts_on, ends_on, due_on,
                                                opened_at)
            VALUES (%(y)s, %(q)s, %(s)s, %(e)s, %(due)s, %(opened)s)
            ON CONFLICT (year, quarter) DO NOTHING
            """,
            {
                "y": year,
                "q": quarter,
                "s": starts,
                "e": ends,
                "due": ReportPeriod.default_due(year, quarter),
                "opened": timezone.make_aware(datetime.combine(ends + timedelta(days=1), time.min)),
            },
        )
    values, computed = _report_values_sql()
    latest = max(last_quarters(REPORT_QUARTERS))
    n = _run(
        f"""
        INSERT INTO reporting_quarterlyreport
            (status, computed, "values", reasons, work_done, problems, requests,
             employers_without_union, saved_at, submitted_at, reviewed_at, return_reason,
             version, organisation_id, period_id)
        SELECT v.status, {computed}, {values}, '{{}}'::jsonb,
               '本季度开展了职工之家建设和困难职工帮扶。', '部分职工参会率不高。',
               '希望上级工会加大帮扶资金支持。', NULL,
               v.saved, CASE WHEN v.status <> 'draft' THEN v.saved + interval '1 hour' END,
               CASE WHEN v.status = 'accepted' THEN v.saved + interval '3 days' END, '', 1,
               v.org_id, v.period_id
        FROM (
            SELECT o.id AS org_id, rp.id AS period_id,
                   150 + floor(random() * 100)::int + (o.id * 0) AS m,
                   o.employees AS e, random() AS r1, random() AS r2, random() AS r3,
                   random() AS r4,
                   (rp.ends_on + 5)::timestamp AT TIME ZONE 'Asia/Shanghai' AS saved,
                   -- every state appears even among a handful of unions (the tests' tiny set)
                   CASE WHEN (rp.year, rp.quarter) = (%(ly)s, %(lq)s) THEN
                        (ARRAY['accepted', 'submitted', 'draft', 'accepted', 'submitted',
                               'draft', 'accepted', 'accepted', 'submitted', 'draft'])
                            [1 + (ROW_NUMBER() OVER w %% 10)::int]
                   ELSE (ARRAY['accepted', 'accepted', 'submitted', 'accepted', 'accepted',
                               'draft', 'accepted', 'accepted', 'accepted', 'accepted'])
                            [1 + (ROW_NUMBER() OVER w %% 10)::int] END AS status
            FROM members_organisation o CROSS JOIN reporting_reportperiod rp
            WHERE o.kind = 'grassroots' AND o.active
            WINDOW w AS (PARTITION BY rp.id ORDER BY o.id)
        ) v
        """,
        {**p, "ly": latest[0], "lq": latest[1]},
    )
    _run(
        """
        INSERT INTO reporting_quarterlyreport
            (status, computed, "values", reasons, work_done, problems, requests,
             employers_without_union, saved_at, submitted_at, reviewed_at, return_reason,
             version, organisation_id, period_id)
        SELECT 'accepted', '{}'::jsonb, jsonb_build_object('employers_without_union', v.ewu),
               '{}'::jsonb, '', '', '', v.ewu, v.saved, v.saved, v.saved + interval '3 days', '',
               1, v.org_id, v.period_id
        FROM (SELECT o.id AS org_id, rp.id AS period_id, 20 + floor(random() * 40)::int AS ewu,
                     (rp.ends_on + 5)::timestamp AT TIME ZONE 'Asia/Shanghai' AS saved
              FROM members_organisation o CROSS JOIN reporting_reportperiod rp
              WHERE o.kind = 'federation' AND o.level = 'county' AND o.active) v
        """,
        p,
    )
    return n


def _snapshots(p: dict) -> int:
    """The statistics rollup for the 12 months (the dashboard reads these)."""
    from unionportal.reporting.rollup import months_back as rollup_months
    from unionportal.reporting.rollup import stats_rollup

    return sum(stats_rollup(month=m) for m in rollup_months(12))


EXTEND_STEPS = (
    ("service cards", "members_servicecard", _cards),
    ("hardship files", "welfare_hardshipfile", _hardship),
    ("relief applications (paid)", "welfare_reliefapplication", _relief),
    ("condolence visits", "welfare_condolencevisit", _visits),
    ("congress sessions and motions", "congress_motion", _congress),
    ("competitions, entries and scores", "competitions_competition", _competitions),
    ("honours", "competitions_honour", _honours),
    ("quarterly reports", "reporting_quarterlyreport", _reports),
    ("statistics snapshots, 12 months", "reporting_statsnapshot", _snapshots),
)


def extend(size: Size, *, log=print) -> dict[str, float]:
    """Add the reporting part of the data set: each step only when its table is empty.
    Returns the seconds each step took."""
    from time import perf_counter

    start, end = window()
    uppers = size.counties + size.industries
    params = {
        "start": start,
        "end": end,
        "unions": size.unions,
        "uppers": uppers,
        "per_session": round(scaled(size, "motions") / size.unions),
        "delegates": DELEGATES_PER_UNION,
        "judge_users": JUDGE_USERS,
        "entries": scaled(size, "competitions") * ENTRIES,
        **{k: scaled(size, k) for k in FULL_EXTRA},
    }
    took: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7)")
    for label, table, step in EXTEND_STEPS:
        have = _count(table)
        if have:
            log(f"  {label}: {have} present")
            continue
        began = perf_counter()
        with transaction.atomic():
            rows = step(params)
        if table != "reporting_statsnapshot":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        took[label] = perf_counter() - began
        log(f"  {label}: {rows} rows in {took[label]:.1f} s")
    return took
