"""Dues (会费): generation, payment, arrears, lapse candidates and the monthly rollup.

Generation and the rollup are set-based SQL (performance.md): one INSERT ... SELECT for a
month's dues, one upsert for a month's rollup. Both are written in the SQL that PostgreSQL and
SQLite share, and both are idempotent, so a re-run or a retry after a crash gives the same rows
(security.md H5).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core import stale
from unionportal.core.audit import audit_event
from unionportal.core.money import money_sum

from .. import access
from ..dues import add_months, first_of_month, last_day_of_month
from ..models import (
    DuesRecord,
    Member,
    MemberStatus,
    Organisation,
    OrgKind,
    PaidHow,
    User,
    WageBase,
)

__all__ = [
    "LAPSE_MONTHS",
    "Arrears",
    "arrears_for",
    "dues_generate",
    "dues_in_scope",
    "dues_record_member_payment",
    "dues_record_payment",
    "dues_record_union_payment",
    "dues_rollup",
    "lapse_candidates",
    "lapse_window_unpaid",
    "dues_pay_ahead",
    "wage_base_set",
]

# Who owes dues for a month: active members only. Retained members (retired, unemployed) owe
# nothing (domain.md C); applicants are not members yet.
LIABLE_STATUS = MemberStatus.ACTIVE
# 6 months in a row unpaid makes a member a lapse candidate (domain.md C, 章程 Art. 7).
LAPSE_MONTHS = 6
MAX_WAGE_BASE = Decimal("1000000")


# --- Generation ------------------------------------------------------------------------------

# The wage base in force is the latest WageBase from or before the month, else the member's
# own wage_base. The amount is FLOOR(base / 10) * 10 * 0.005 = FLOOR(base / 10) * 0.05: a whole
# number of fen on both databases (members/dues.py monthly_dues gives the same figure).
# ON CONFLICT needs a WHERE in the SELECT on SQLite (a parsing ambiguity); we have one.
GENERATE_SQL = """
INSERT INTO members_duesrecord
    (member_id, organisation_id, month, wage_base, amount, paid_on, paid_how, recorded_by_id)
SELECT b.id, b.organisation_id, %(month)s, b.base, FLOOR(b.base / 10.0) * 0.05, NULL, '', NULL
FROM (
    SELECT m.id, m.organisation_id,
           COALESCE(
               (SELECT wb.amount FROM members_wagebase wb
                 WHERE wb.member_id = m.id AND wb.effective_month <= %(month)s
                 ORDER BY wb.effective_month DESC LIMIT 1),
               m.wage_base) AS base
    FROM members_member m
    WHERE m.status = %(status)s AND m.joined_on <= %(month_end)s
) b
WHERE b.base >= 0
ON CONFLICT (member_id, month) DO NOTHING
"""


def dues_generate(*, month: date) -> int:
    """Create the month's dues record of every liable member, in the union the member belongs
    to now, with the wage base in force and the amount. Runs as the system (no actor); returns
    the rows inserted (0 on a re-run)."""
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError(_("Dues are generated for the current month or earlier."))
    ops = connection.ops
    params = {
        "month": ops.adapt_datefield_value(month),
        "month_end": ops.adapt_datefield_value(last_day_of_month(month)),
        "status": LIABLE_STATUS.value,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(GENERATE_SQL, params)
        return max(cursor.rowcount, 0)


# --- Rollup ----------------------------------------------------------------------------------

# Own figures per organisation from the month's records (the covering index (month,
# organisation) INCLUDE (amount, paid_on) serves this), then subtree figures: every record's
# organisation contributes to each of its ancestors, whose paths are the prefixes of its own
# path (SUBSTR(path, 1, k * steplen) for k = 1..depth) -- an equality join on the indexed path
# instead of a LIKE join over every pair of organisations. Money is summed in whole fen
# (ROUND(amount * 100)), exact on PostgreSQL's numeric and on SQLite's floats alike.
# Every active organisation gets a row, zeros included, so dashboards need no outer joins; a
# dissolved one keeps a row only while its subtree has records that month.
ROLLUP_SQL = """
INSERT INTO members_duesrollup
    (organisation_id, month, members_liable, expected, collected, arrears,
     subtree_members_liable, subtree_expected, subtree_collected, subtree_arrears, computed_at)
WITH own AS (
    SELECT r.organisation_id,
           COUNT(*) AS n,
           SUM(ROUND(r.amount * 100)) AS expected,
           SUM(CASE WHEN r.paid_on IS NOT NULL THEN ROUND(r.amount * 100) ELSE 0 END)
               AS collected,
           SUM(CASE WHEN r.paid_on IS NULL THEN ROUND(r.amount * 100) ELSE 0 END) AS arrears
    FROM members_duesrecord r
    WHERE r.month = %(month)s
    GROUP BY r.organisation_id
),
levels AS (
    SELECT DISTINCT depth AS k FROM members_organisation
),
sub AS (
    SELECT SUBSTR(d.path, 1, lv.k * %(steplen)s) AS apath,
           SUM(own.n) AS n,
           SUM(own.expected) AS expected,
           SUM(own.collected) AS collected,
           SUM(own.arrears) AS arrears
    FROM own
    JOIN members_organisation d ON d.id = own.organisation_id
    JOIN levels lv ON lv.k <= d.depth
    GROUP BY SUBSTR(d.path, 1, lv.k * %(steplen)s)
)
SELECT o.id, %(month)s,
       COALESCE(own.n, 0),
       COALESCE(own.expected, 0) / 100.0,
       COALESCE(own.collected, 0) / 100.0,
       COALESCE(own.arrears, 0) / 100.0,
       COALESCE(sub.n, 0),
       COALESCE(sub.expected, 0) / 100.0,
       COALESCE(sub.collected, 0) / 100.0,
       COALESCE(sub.arrears, 0) / 100.0,
       %(now)s
FROM members_organisation o
LEFT JOIN own ON own.organisation_id = o.id
LEFT JOIN sub ON sub.apath = o.path
WHERE o.active OR sub.apath IS NOT NULL
ON CONFLICT (organisation_id, month) DO UPDATE SET
    members_liable = excluded.members_liable,
    expected = excluded.expected,
    collected = excluded.collected,
    arrears = excluded.arrears,
    subtree_members_liable = excluded.subtree_members_liable,
    subtree_expected = excluded.subtree_expected,
    subtree_collected = excluded.subtree_collected,
    subtree_arrears = excluded.subtree_arrears,
    computed_at = excluded.computed_at
"""
# Rows of the month this run did not write belong to organisations that no longer qualify
# (dissolved, no records): drop them, so a re-run leaves exactly the rows a first run would.
ROLLUP_PRUNE_SQL = """
DELETE FROM members_duesrollup WHERE month = %(month)s AND computed_at <> %(now)s
"""


def dues_rollup(*, month: date) -> int:
    """Upsert the month's DuesRollup rows (own and subtree figures) for every organisation.
    One transaction: a failure halfway leaves the previous rows untouched. Returns the rows
    written."""
    month = first_of_month(month)
    ops = connection.ops
    params = {
        "month": ops.adapt_datefield_value(month),
        "now": ops.adapt_datetimefield_value(timezone.now()),
        "steplen": Organisation.steplen,
    }
    # Two runs of the same month at once (beat and a redelivered task) need no lock: the upsert
    # keeps one row per organisation and month, and the later commit wins with whole figures.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ROLLUP_SQL, params)
        written = cursor.rowcount
        cursor.execute(ROLLUP_PRUNE_SQL, params)
    return max(written, 0)


# --- Reading dues ----------------------------------------------------------------------------


def dues_in_scope(user: User, capability: str = "view") -> QuerySet[DuesRecord]:
    """Dues records the user may see, by the union each record belongs to."""
    return access.scope(
        user, DuesRecord.objects.all(), org_field="organisation", capability=capability
    )


@dataclass
class Arrears:
    records: QuerySet[DuesRecord]
    months: int
    total: Decimal


def arrears_for(member: Member) -> Arrears:
    """The member's unpaid months, oldest first, with their count and sum."""
    records = DuesRecord.objects.filter(member=member, paid_on__isnull=True).order_by("month")
    agg = records.aggregate(n=Count("id"), total=money_sum("amount"))
    return Arrears(records=records, months=agg["n"], total=agg["total"] or Decimal("0.00"))


def lapse_candidates(org_subtree: Organisation, as_of_month: date) -> QuerySet[Member]:
    """Active members of the subtree whose dues are unpaid for each of the 6 months ending
    with `as_of_month`. One record per member and month (a unique constraint), so 6 unpaid
    records in the 6-month window means all 6 exist and none is paid. A listing only: lapsing
    needs the conversation domain.md C describes and goes through member_change_status."""
    end = first_of_month(as_of_month)
    start = add_months(end, -(LAPSE_MONTHS - 1))
    window = DuesRecord.objects.filter(month__gte=start, month__lte=end, paid_on__isnull=True)
    in_subtree = window.filter(member__organisation__path__startswith=org_subtree.path)
    hit = (
        in_subtree.values("member_id")
        .annotate(n=Count("id"))
        .filter(n=LAPSE_MONTHS)
        .values("member_id")
    )
    unpaid = DuesRecord.objects.filter(member=OuterRef("pk"), paid_on__isnull=True)
    return (
        Member.objects.filter(
            pk__in=hit,
            status=LIABLE_STATUS,
            organisation__path__startswith=org_subtree.path,
        )
        .select_related("organisation")
        .annotate(
            arrears_months=Coalesce(
                Subquery(unpaid.values("member").annotate(c=Count("id")).values("c")[:1]), 0
            ),
            arrears_total=Subquery(
                unpaid.values("member").annotate(s=money_sum("amount")).values("s")[:1]
            ),
            first_unpaid=Subquery(unpaid.order_by("month").values("month")[:1]),
        )
        .order_by("organisation__path", "name", "pk")
    )


def lapse_window_unpaid(member: Member, on: date) -> bool:
    """Whether the member owed dues for each of the LAPSE_MONTHS months before `on`'s month
    and paid none of them (the dues condition of an automatic lapse, domain.md C)."""
    end = add_months(first_of_month(on), -1)
    start = add_months(end, -(LAPSE_MONTHS - 1))
    window = DuesRecord.objects.filter(member=member, month__gte=start, month__lte=end)
    return window.filter(paid_on__isnull=True).count() == LAPSE_MONTHS


# --- Payments --------------------------------------------------------------------------------


ROLLUP_DUES_TASK = "members.tasks.rollup_dues_task"


def _check_payment(paid_on: date, paid_how: str) -> None:
    errors = {}
    if paid_on is None:
        errors["paid_on"] = _("Enter the date the dues were paid.")
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("The payment date cannot be in the future.")
    if paid_how not in PaidHow.values:
        errors["paid_how"] = _("Choose how the dues were paid.")
    if errors:
        raise ValidationError(errors)


def _refresh_rollups(months) -> None:
    """Payments change the month's collected and arrears figures: roll those months up again
    once the payment is committed (a task; it runs in-process when there is no broker).
    The task is looked up by its registered name: members.tasks imports the services, so the
    services do not import it back."""
    task = current_app.tasks[ROLLUP_DUES_TASK]
    for month in sorted(set(months)):
        transaction.on_commit(lambda m=month: task.delay(m.isoformat()))


@transaction.atomic
def dues_record_payment(
    *, actor: User | None, records: QuerySet[DuesRecord], paid_on: date, paid_how: str
) -> int:
    """Mark the given records paid (those already paid are left alone). The actor needs
    member.edit over every union the records belong to. Returns the records marked."""
    _check_payment(paid_on, paid_how)
    unpaid = list(
        records.filter(paid_on__isnull=True).values_list("pk", "member_id", "month", "organisation")
    )
    if not unpaid:
        return 0
    if actor is not None:
        orgs = Organisation.objects.filter(pk__in={row[3] for row in unpaid})
        for org in orgs:
            access.require(actor, "member.edit", org)
    marked = DuesRecord.objects.filter(
        pk__in=[row[0] for row in unpaid], paid_on__isnull=True
    ).update(paid_on=paid_on, paid_how=paid_how, recorded_by=actor)
    stale.mark_since(paid_on, "dues")
    # .update() bypasses django-auditlog: one explicit audit row per member (security.md G4).
    months_by_member: dict[int, list[str]] = defaultdict(list)
    for _pk, member_id, month, _org in unpaid:
        months_by_member[member_id].append(f"{month:%Y-%m}")
    for member in Member.objects.filter(pk__in=months_by_member):
        audit_event(
            member,
            "dues.paid",
            actor=actor,
            months=sorted(months_by_member[member.pk]),
            paid_on=paid_on.isoformat(),
            paid_how=paid_how,
        )
    _refresh_rollups(row[2] for row in unpaid)
    return marked


def dues_record_member_payment(
    *, actor: User | None, member: Member, months: list[date], paid_on: date, paid_how: str
) -> int:
    """One member pays one or several months (arrears, or a quarter at once)."""
    if not months:
        raise ValidationError({"months": _("Choose at least one month to mark paid.")})
    records = DuesRecord.objects.filter(
        member=member, month__in=[first_of_month(m) for m in months]
    )
    return dues_record_payment(actor=actor, records=records, paid_on=paid_on, paid_how=paid_how)


@transaction.atomic
def dues_record_union_payment(
    *, actor: User | None, organisation: Organisation, month: date, paid_on: date, paid_how: str
) -> int:
    """A whole union-month paid at once (a payroll deduction): every unpaid record of the
    month in the union and its branches and groups, in one UPDATE."""
    if actor is not None:
        access.require(actor, "member.edit", organisation)
    if not organisation.holds_members:
        raise ValidationError(
            _("Dues are paid in a grassroots union or one of its branches, not in %(kind)s.")
            % {"kind": organisation.kind_display()}
        )
    _check_payment(paid_on, paid_how)
    month = first_of_month(month)
    subtree = Organisation.objects.filter(path__startswith=organisation.path).values("pk")
    if not organisation.is_grassroots and organisation.kind not in (OrgKind.BRANCH, OrgKind.GROUP):
        # A township, park or county union pays for the members it holds itself, never for
        # the unions under it.
        subtree = Organisation.objects.filter(pk=organisation.pk).values("pk")
    marked = DuesRecord.objects.filter(
        month=month, paid_on__isnull=True, organisation__in=subtree
    ).update(paid_on=paid_on, paid_how=paid_how, recorded_by=actor)
    stale.mark_since(paid_on, "dues")
    audit_event(
        organisation,
        "dues.union_month_paid",
        actor=actor,
        month=f"{month:%Y-%m}",
        records=marked,
        paid_on=paid_on.isoformat(),
        paid_how=paid_how,
    )
    if marked:
        _refresh_rollups([month])
    return marked


# Dues may be paid up to a year ahead (a member who pays the year at once).
AHEAD_MONTHS = 12


def _base_for(member: Member, month: date) -> Decimal:
    base = (
        WageBase.objects.filter(member=member, effective_month__lte=month)
        .order_by("-effective_month")
        .values_list("amount", flat=True)
        .first()
    )
    return member.wage_base if base is None else base


@transaction.atomic
def dues_pay_ahead(
    *, actor: User | None, member: Member, through: date, paid_on: date, paid_how: str
) -> int:
    """The member pays every month from next month through `through` (at most a year ahead):
    the months' dues records are created now, with the wage base in force for each and
    marked paid; the monthly generation later finds them and leaves them alone, and the
    rollups count them in their own months. Months already recorded are left as they are.
    Returns the months paid."""
    from ..dues import monthly_dues

    locked = Member.objects.select_for_update().get(pk=member.pk)
    if actor is not None:
        access.require(actor, "member.edit", locked.organisation)
    if locked.status != LIABLE_STATUS:
        raise ValidationError(_("Only an active member pays dues."))
    _check_payment(paid_on, paid_how)
    this_month = first_of_month(timezone.localdate())
    through = first_of_month(through)
    if through <= this_month:
        raise ValidationError(
            {"through": _("Choose a month after this one; this month's dues are paid as usual.")}
        )
    if through > add_months(this_month, AHEAD_MONTHS):
        raise ValidationError(
            {"through": _("Dues can be paid at most %(n)d months ahead.") % {"n": AHEAD_MONTHS}}
        )
    months, month = [], add_months(this_month, 1)
    while month <= through:
        months.append(month)
        month = add_months(month, 1)
    have = set(
        DuesRecord.objects.filter(member=locked, month__in=months).values_list("month", flat=True)
    )
    new = []
    for month in months:
        if month in have:
            continue
        base = _base_for(locked, month)
        new.append(
            DuesRecord(
                member=locked,
                organisation_id=locked.organisation_id,
                month=month,
                wage_base=base,
                amount=monthly_dues(base),
                paid_on=paid_on,
                paid_how=paid_how,
                recorded_by=actor,
            )
        )
    DuesRecord.objects.bulk_create(new)
    if new:
        audit_event(
            locked,
            "dues.paid_ahead",
            actor=actor,
            months=[f"{r.month:%Y-%m}" for r in new],
            paid_on=paid_on.isoformat(),
            paid_how=paid_how,
        )
        _refresh_rollups(r.month for r in new)
    return len(new)


# --- Wage bases ------------------------------------------------------------------------------


@transaction.atomic
def wage_base_set(*, actor: User | None, member: Member, month: date, amount: Decimal) -> WageBase:
    """Set the member's wage base from `month` on. Dues already generated keep the base they
    were generated with; the new base applies to the months generated afterwards. The
    member's wage_base field follows the base in force this month."""
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if actor is not None:
        access.require(actor, "member.edit", locked.organisation)
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"amount": _("Enter the monthly wage base in yuan.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({"amount": _("The wage base cannot be negative.")})
    if amount > MAX_WAGE_BASE:
        raise ValidationError(
            {"amount": _("A monthly wage base above ¥1,000,000 is not plausible; check it.")}
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("Give the wage base to the fen (two decimals).")})
    month = first_of_month(month)
    this_month = first_of_month(timezone.localdate())
    if month > add_months(this_month, 12):
        raise ValidationError({"month": _("A wage base can be set at most a year ahead.")})
    if month < first_of_month(locked.joined_on):
        raise ValidationError({"month": _("The member had not joined yet in that month.")})
    base, _created = WageBase.objects.update_or_create(
        member=locked, effective_month=month, defaults={"amount": amount}
    )
    in_force = (
        WageBase.objects.filter(member=locked, effective_month__lte=this_month)
        .order_by("-effective_month")
        .values_list("amount", flat=True)
        .first()
    )
    if in_force is not None and in_force != locked.wage_base:
        locked.wage_base = in_force
        locked.version += 1
        locked.save(update_fields=["wage_base", "version", "updated_at"])
    audit_event(
        locked,
        "dues.wage_base_set",
        actor=actor,
        month=f"{month:%Y-%m}",
        amount=str(amount),
    )
    return base
