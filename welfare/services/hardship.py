"""Hardship files (困难职工档案): opening, updating, status changes and reviews. Opening a
file (建档) goes through the steps relief does (domain.md E): the union submits it, a second
person records the income verification, the file is put on public notice, and once the
notice is over someone who neither opened, submitted nor verified it approves it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Member
from unionportal.core.audit import audit_event
from unionportal.core.templatetags.figures import money_digits

from ..models import (
    FileStatus,
    HardshipCategory,
    HardshipFile,
    HouseholdMember,
)
from .relief import _four_eyes, approval_wait, four_eyes_problem, member_may_be_helped
from .rules import (
    REVIEW_MONTHS,
    _add_months,
    _money,
    categorise,
    net_per_capita_exact,
    notice_days,
    poverty_line,
)

# --- Hardship files ------------------------------------------------------------------------


def _file_compute(f: HardshipFile) -> None:
    line = poverty_line(f.member.organisation, f.year)
    # The category compares the unrounded figure with the line (¥799.995 a month is below
    # ¥800.00); the file keeps the figure rounded to the fen for display.
    exact = net_per_capita_exact(
        annual_income=f.annual_income, rigid_costs=f.rigid_costs, household_size=f.household_size
    )
    f.net_per_capita = _money(exact)
    if line is None:
        f.poverty_line = None
        f.suggested_category = HardshipCategory.ACCIDENTAL if f.accident else ""
    else:
        f.poverty_line = line.monthly_amount
        f.suggested_category = categorise(
            net_per_capita=exact, line=line.monthly_amount, accident=f.accident
        )


FILE_FIELDS = (
    "household_size",
    "annual_income",
    "illness_costs",
    "disability_costs",
    "schooling_costs",
    "household_notes",
    "causes",
    "accident",
    "category",
)


class IncomeFrom:
    """Which figure a file's household income is when household rows are given."""

    TYPED = "typed"  # the 家庭年收入 typed on the form
    ROWS = "rows"  # the sum of the household rows


def _set_household(
    f: HardshipFile, household: list[dict] | None, *, typed: bool, income_from: str = ""
) -> None:
    """Replace the household rows (the size is at least their number). The household income
    is never replaced silently: with no income typed it is the rows' sum; a typed income that
    differs from the rows' sum stands only when the user chose it (or chose the sum)."""
    if household is None:
        return
    rows = [HouseholdMember(hardship_file=f, **row) for row in household]
    total = sum((_money(r.annual_income) for r in rows), Decimal("0.00"))
    if rows:
        if not typed or income_from == IncomeFrom.ROWS:
            f.annual_income = total
        elif _money(f.annual_income) != total and income_from != IncomeFrom.TYPED:
            raise ValidationError(
                {
                    "income_from": _(
                        "The household income typed (¥%(typed)s) and the sum of the household "
                        "rows (¥%(rows)s) differ: choose which one the file uses."
                    )
                    % {"typed": money_digits(_money(f.annual_income)), "rows": money_digits(total)}
                }
            )
        f.household_size = max(f.household_size, len(rows))
    f.household.all().delete()
    HouseholdMember.objects.bulk_create(rows)


def household_income_parts(f: HardshipFile) -> dict:
    """How the file's household income is made up, for the detail page: the figure used,
    the rows' count and sum, and whether the figure is the rows' sum or a typed one."""
    incomes = [p.annual_income for p in f.household.all()]
    total = sum(incomes, Decimal("0.00"))
    return {
        "income": f.annual_income,
        "rows": len(incomes),
        "rows_total": total if incomes else None,
        "typed": not incomes or f.annual_income != total,
    }


@transaction.atomic
def file_open(
    *,
    actor,
    member: Member,
    year: int,
    household: list[dict] | None = None,
    income_from: str = "",
    **data,
) -> HardshipFile:
    member_may_be_helped(member)
    if HardshipFile.objects.filter(member=member).exclude(status=FileStatus.CLOSED).exists():
        raise ValidationError(_("This member already has an open hardship file."))
    f = HardshipFile(member=member, organisation=member.organisation, year=year, created_by=actor)
    for name in FILE_FIELDS:
        if name in data:
            setattr(f, name, data[name])
    f.save()
    _set_household(f, household, typed="annual_income" in data, income_from=income_from)
    _file_compute(f)
    if not f.category:
        f.category = f.suggested_category
    f.save()
    audit_event(f, "hardship_file.open", actor=actor)
    return f


@transaction.atomic
def file_update(
    *,
    actor,
    hardship_file: HardshipFile,
    household: list[dict] | None = None,
    income_from: str = "",
    **data,
) -> HardshipFile:
    f = HardshipFile.objects.select_for_update().get(pk=hardship_file.pk)
    if f.status == FileStatus.CLOSED:
        raise ValidationError(_("A closed file cannot be changed."))
    for name in FILE_FIELDS:
        if name in data:
            setattr(f, name, data[name])
    _set_household(f, household, typed="annual_income" in data, income_from=income_from)
    _file_compute(f)
    if not f.category:
        f.category = f.suggested_category
    before = f.status
    if before in (FileStatus.REVIEWED, FileStatus.ON_NOTICE, FileStatus.APPROVED):
        # A changed household or category is not what was verified, put on notice or
        # approved: the file goes through those steps again.
        f.status = FileStatus.SUBMITTED
        f.income_verification, f.reviewed_by, f.approved_by = "", None, None
        f.notice_starts = f.notice_ends = None
    f.save()
    audit_event(
        f,
        "hardship_file.update",
        actor=actor,
        changes={"status": [before, f.status]} if before != f.status else None,
    )
    return f


# The one table of allowed file transitions.
FILE_TRANSITIONS: dict[str, set[str]] = {
    FileStatus.DRAFT: {FileStatus.SUBMITTED},
    FileStatus.SUBMITTED: {FileStatus.REVIEWED, FileStatus.DRAFT},
    FileStatus.REVIEWED: {FileStatus.ON_NOTICE, FileStatus.DRAFT},
    FileStatus.ON_NOTICE: {FileStatus.APPROVED, FileStatus.DRAFT},
    FileStatus.APPROVED: {FileStatus.CLOSED},
    FileStatus.CLOSED: set(),
}


def file_status_problem(f: HardshipFile, to_status: str, *, actor=None, today=None) -> str | None:
    """Why the file cannot move to `to_status` now (for `actor`, when given), or None. The
    detail page asks the same to offer only the steps that would be taken."""
    if to_status not in FILE_TRANSITIONS[f.status]:
        return _("This file cannot move to that status.")
    if to_status == FileStatus.APPROVED:
        if not f.category:
            return _("Choose a category before approving.")
        if actor is not None and f.created_by_id == actor.pk:
            return _("You opened this hardship file: someone else must approve it.")
        return four_eyes_problem(actor, f, approving=True) or approval_wait(f, today)
    if to_status in (FileStatus.REVIEWED, FileStatus.ON_NOTICE):
        return four_eyes_problem(actor, f, approving=False)
    return None


@transaction.atomic
def file_set_status(
    *, actor, hardship_file: HardshipFile, to_status: str, reason: str = "", today=None
) -> HardshipFile:
    today = today or timezone.localdate()
    f = HardshipFile.objects.select_for_update().get(pk=hardship_file.pk)
    if to_status not in FILE_TRANSITIONS[f.status]:
        raise ValidationError(_("This file cannot move to that status."))
    if to_status in (FileStatus.REVIEWED, FileStatus.ON_NOTICE):
        raise ValidationError(_("Record the income verification or start the notice instead."))
    if to_status == FileStatus.APPROVED and actor is not None:
        access.require(actor, "relief.approve", f.organisation)
    problem = file_status_problem(f, to_status, actor=actor, today=today)
    if problem:
        raise ValidationError(problem)
    if to_status == FileStatus.SUBMITTED:
        f.submitted_by = actor if getattr(actor, "pk", None) else None
    if to_status == FileStatus.DRAFT:
        # Sent back: the verification and notice were of the file as it was.
        f.income_verification, f.reviewed_by = "", None
        f.notice_starts = f.notice_ends = None
    if to_status == FileStatus.APPROVED:
        f.review_due = _add_months(today, REVIEW_MONTHS)
        f.approved_by = actor if getattr(actor, "pk", None) else None
    if to_status == FileStatus.CLOSED:
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for closing the file.")})
        f.closed_on, f.close_reason = today, reason.strip()
    before = f.status
    f.status = to_status
    f.save()
    audit_event(f, "hardship_file.status", actor=actor, changes={"status": [before, to_status]})
    return f


def _require_reviewer(actor, f: HardshipFile) -> None:
    if actor is not None and not (
        access.can(actor, "relief.review", f.organisation)
        or access.can(actor, "relief.approve", f.organisation)
    ):
        raise PermissionDenied


@transaction.atomic
def file_verify(*, actor, hardship_file: HardshipFile, income_verification: str) -> HardshipFile:
    """The household's income is verified (the 民政 check) by someone other than the
    submitter, as a relief application's review is."""
    _require_reviewer(actor, hardship_file)
    if not income_verification.strip():
        raise ValidationError(
            {"income_verification": _("Record the result of the income verification.")}
        )
    f = HardshipFile.objects.select_for_update().get(pk=hardship_file.pk)
    if f.status != FileStatus.SUBMITTED:
        raise ValidationError(_("This file cannot move to that status."))
    _four_eyes(actor, f, approving=False)
    f.income_verification = income_verification.strip()
    f.reviewed_by = actor if getattr(actor, "pk", None) else None
    f.status = FileStatus.REVIEWED
    f.save()
    audit_event(
        f, "hardship_file.verify", actor=actor, changes={"status": [FileStatus.SUBMITTED, f.status]}
    )
    return f


@transaction.atomic
def file_start_notice(*, actor, hardship_file: HardshipFile, today=None) -> HardshipFile:
    """Put the verified file on public notice for the days the rule table says."""
    today = today or timezone.localdate()
    _require_reviewer(actor, hardship_file)
    f = HardshipFile.objects.select_for_update().get(pk=hardship_file.pk)
    if f.status != FileStatus.REVIEWED:
        raise ValidationError(_("This file cannot move to that status."))
    _four_eyes(actor, f, approving=False)
    f.notice_starts, f.notice_ends = today, today + timedelta(days=notice_days(today))
    f.status = FileStatus.ON_NOTICE
    f.save()
    audit_event(
        f, "hardship_file.notice", actor=actor, changes={"status": [FileStatus.REVIEWED, f.status]}
    )
    return f


@transaction.atomic
def file_reviewed(*, actor, hardship_file: HardshipFile, today=None) -> HardshipFile:
    """The periodic review is done: the next one is due in six months."""
    today = today or timezone.localdate()
    f = HardshipFile.objects.select_for_update().get(pk=hardship_file.pk)
    if f.status != FileStatus.APPROVED:
        raise ValidationError(_("Only approved files are reviewed."))
    f.review_due = _add_months(today, REVIEW_MONTHS)
    f.save(update_fields=["review_due"])
    audit_event(f, "hardship_file.reviewed", actor=actor)
    return f


def files_due_for_review(user, today=None):
    today = today or timezone.localdate()
    qs = HardshipFile.objects.filter(status=FileStatus.APPROVED, review_due__lte=today)
    return access.scope(user, qs, org_field="organisation")
