"""Writes and rule look-ups of the welfare app. Every write is atomic and records its step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Member, Organisation
from unionportal.core.audit import audit_event

from .models import (
    CENT,
    Campaign,
    CondolenceRule,
    CondolenceVisit,
    FileStatus,
    HardshipCategory,
    HardshipFile,
    HouseholdMember,
    NoticeRule,
    PovertyLine,
    ReliefApplication,
    ReliefCap,
    ReliefDecision,
    ReliefPayment,
    ReliefProof,
    ReliefStatus,
)

S = ReliefStatus
COUNTED = [S.APPROVED, S.PAID]  # statuses whose approved amount counts against caps/budgets
REVIEW_MONTHS = 6


class Conflict(ValidationError):
    """Someone else changed the record first (e.g. two approvers at once)."""


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _positive(value, field_name: str) -> Decimal:
    try:
        amount = _money(value)
    except Exception as exc:  # noqa: BLE001
        raise ValidationError({field_name: _("Enter an amount.")}) from exc
    if amount <= 0:
        raise ValidationError({field_name: _("The amount must be more than zero.")})
    return amount


# --- Rules ---------------------------------------------------------------------------------


def notice_days(on: date) -> int:
    rule = NoticeRule.objects.in_force(on).first()
    if rule is None:
        raise ValidationError(_("No public notice rule is in force; ask a federation admin."))
    return rule.days


def relief_cap(kind: str, on: date) -> ReliefCap | None:
    return ReliefCap.objects.in_force(on, kind=kind).first()


def condolence_rule(occasion: str, on: date) -> CondolenceRule | None:
    return CondolenceRule.objects.in_force(on, occasion=occasion).first()


def region_codes(organisation: Organisation) -> list[str]:
    """Region codes from the organisation up to the root, nearest first."""
    ancestors = Organisation.objects.filter(
        path__in=[
            organisation.path[:i]
            for i in range(Organisation.steplen, len(organisation.path) + 1, Organisation.steplen)
        ]
    ).order_by("-depth")
    return [o.region_code for o in ancestors if o.region_code]


def poverty_line(organisation: Organisation, year: int) -> PovertyLine | None:
    """The 低保 line of the organisation's region (or the nearest ancestor's) for the year;
    the city-wide default (empty region) when no region has one."""
    codes = region_codes(organisation)
    lines = list(
        PovertyLine.objects.filter(year=year, region_code__in=[*codes, ""]).order_by(
            "-effective_from", "-pk"
        )
    )
    for code in [*codes, ""]:
        for line in lines:
            if line.region_code == code:
                return line
    return None


def categorise(
    *, net_per_capita: Decimal, line: Decimal, accident: bool = False
) -> HardshipCategory | str:
    """deep: below the line; relative: below twice the line; accidental: otherwise, when a
    disaster, accident or major illness caused the hardship; "" when none applies."""
    if net_per_capita < line:
        return HardshipCategory.DEEP
    if net_per_capita < 2 * line:
        return HardshipCategory.RELATIVE
    if accident:
        return HardshipCategory.ACCIDENTAL
    return ""


def net_per_capita(*, annual_income: Decimal, rigid_costs: Decimal, household_size: int) -> Decimal:
    """Net income per person and month: (income - rigid costs) / people / 12."""
    return _money((annual_income - rigid_costs) / household_size / 12)


@transaction.atomic
def rule_add(*, actor, model, **data):
    """A new row of a rule table (rules change by adding a newer effective-from row)."""
    if actor is not None and not access.can(actor, "rules.edit"):
        raise PermissionDenied
    row = model.objects.create(**data)
    audit_event(row, "welfare.rule_add", actor=actor)
    return row


# --- Hardship files ------------------------------------------------------------------------


def _file_compute(f: HardshipFile) -> None:
    line = poverty_line(f.member.organisation, f.year)
    f.net_per_capita = net_per_capita(
        annual_income=f.annual_income, rigid_costs=f.rigid_costs, household_size=f.household_size
    )
    if line is None:
        f.poverty_line = None
        f.suggested_category = HardshipCategory.ACCIDENTAL if f.accident else ""
    else:
        f.poverty_line = line.monthly_amount
        f.suggested_category = categorise(
            net_per_capita=f.net_per_capita, line=line.monthly_amount, accident=f.accident
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


def _set_household(f: HardshipFile, household: list[dict] | None) -> None:
    """Replace the household rows; with rows, the household income is their sum and the
    size at least their number."""
    if household is None:
        return
    f.household.all().delete()
    rows = [HouseholdMember(hardship_file=f, **row) for row in household]
    HouseholdMember.objects.bulk_create(rows)
    if rows:
        f.annual_income = sum((r.annual_income for r in rows), Decimal("0"))
        f.household_size = max(f.household_size, len(rows))


@transaction.atomic
def file_open(
    *, actor, member: Member, year: int, household: list[dict] | None = None, **data
) -> HardshipFile:
    if HardshipFile.objects.filter(member=member).exclude(status=FileStatus.CLOSED).exists():
        raise ValidationError(_("This member already has an open hardship file."))
    f = HardshipFile(member=member, organisation=member.organisation, year=year, created_by=actor)
    for name in FILE_FIELDS:
        if name in data:
            setattr(f, name, data[name])
    f.save()
    _set_household(f, household)
    _file_compute(f)
    if not f.category:
        f.category = f.suggested_category
    f.save()
    audit_event(f, "hardship_file.open", actor=actor)
    return f


@transaction.atomic
def file_update(
    *, actor, hardship_file: HardshipFile, household: list[dict] | None = None, **data
) -> HardshipFile:
    f = HardshipFile.objects.select_for_update().get(pk=hardship_file.pk)
    if f.status == FileStatus.CLOSED:
        raise ValidationError(_("A closed file cannot be changed."))
    for name in FILE_FIELDS:
        if name in data:
            setattr(f, name, data[name])
    _set_household(f, household)
    _file_compute(f)
    if not f.category:
        f.category = f.suggested_category
    before = f.status
    if before == FileStatus.APPROVED:
        # A changed household or category was not what the approver saw: approve it again.
        f.status = FileStatus.SUBMITTED
    f.save()
    audit_event(
        f,
        "hardship_file.update",
        actor=actor,
        changes={"status": [before, f.status]} if before != f.status else None,
    )
    return f


@transaction.atomic
def file_set_status(
    *, actor, hardship_file: HardshipFile, to_status: str, reason: str = "", today=None
) -> HardshipFile:
    today = today or timezone.localdate()
    f = HardshipFile.objects.select_for_update().get(pk=hardship_file.pk)
    allowed = {
        FileStatus.DRAFT: {FileStatus.SUBMITTED},
        FileStatus.SUBMITTED: {FileStatus.APPROVED, FileStatus.DRAFT},
        FileStatus.APPROVED: {FileStatus.CLOSED},
        FileStatus.CLOSED: set(),
    }
    if to_status not in allowed[f.status]:
        raise ValidationError(_("This file cannot move to that status."))
    if to_status == FileStatus.APPROVED:
        if actor is not None:
            access.require(actor, "relief.approve", f.organisation)
        if not f.category:
            raise ValidationError(_("Choose a category before approving."))
        f.review_due = _add_months(today, REVIEW_MONTHS)
    if to_status == FileStatus.CLOSED:
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for closing the file.")})
        f.closed_on, f.close_reason = today, reason.strip()
    before = f.status
    f.status = to_status
    f.save()
    audit_event(f, "hardship_file.status", actor=actor, changes={"status": [before, to_status]})
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


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError


# --- Relief applications -------------------------------------------------------------------


def _log(app: ReliefApplication, actor, action: str, before: str, comment: str = "") -> None:
    ReliefDecision.objects.create(
        application=app,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=before,
        to_status=app.status,
        comment=comment,
    )
    audit_event(app, f"relief.{action}", actor=actor, changes={"status": [before, app.status]})


def _lock(app: ReliefApplication, *expected: str) -> ReliefApplication:
    locked = ReliefApplication.objects.select_for_update().get(pk=app.pk)
    if locked.status not in expected:
        raise Conflict(
            _("This application is now “%(status)s”: someone else acted on it first.")
            % {"status": locked.get_status_display()},
            code="conflict",
        )
    return locked


def _require(actor, capability: str, app: ReliefApplication) -> None:
    if actor is not None and not access.can(actor, capability, app.organisation):
        raise PermissionDenied


@transaction.atomic
def relief_create(
    *,
    actor,
    member: Member,
    kind: str,
    reason: str,
    amount_requested,
    campaign: Campaign | None = None,
    today=None,
    token=None,
) -> ReliefApplication:
    """Save a draft. `token` is the form's one-time token: posting it again (a double click,
    a replay, two at once) returns the application it already made."""
    if token is not None:
        existing = ReliefApplication.objects.filter(idempotency_key=token).first()
        if existing is not None:
            if existing.member_id != member.pk:
                raise ValidationError(
                    _("This form was already used for another member; open a new form.")
                )
            return existing
    today = today or timezone.localdate()
    amount = _positive(amount_requested, "amount_requested")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the member needs relief.")})
    open_file = HardshipFile.objects.filter(member=member).exclude(status=FileStatus.CLOSED).first()
    try:
        with transaction.atomic():
            app = ReliefApplication.objects.create(
                organisation=member.organisation,
                member=member,
                hardship_file=open_file,
                kind=kind,
                year=today.year,
                reason=reason.strip(),
                amount_requested=amount,
                campaign=campaign,
                created_by=actor,
                idempotency_key=token,
            )
    except IntegrityError:
        # The same token won a race a moment ago: that application is the one.
        existing = ReliefApplication.objects.filter(idempotency_key=token).first()
        if existing is None or existing.member_id != member.pk:
            raise
        return existing
    _log(app, actor, "draft", "")
    return app


@transaction.atomic
def relief_update(
    *, actor, application: ReliefApplication, kind, reason, amount_requested, campaign=None
) -> ReliefApplication:
    app = _lock(application, S.DRAFT)
    app.kind = kind
    app.reason = reason.strip()
    app.amount_requested = _positive(amount_requested, "amount_requested")
    app.campaign = campaign
    app.save()
    audit_event(app, "relief.update", actor=actor)
    return app


@transaction.atomic
def relief_submit(*, actor, application: ReliefApplication, home_visit: str) -> ReliefApplication:
    _require(actor, "relief.submit", application)
    if not home_visit.strip():
        raise ValidationError({"home_visit": _("Record the home visit before submitting.")})
    app = _lock(application, S.DRAFT)
    app.home_visit = home_visit.strip()
    app.status = S.SUBMITTED
    app.submitted_by = actor
    app.save()
    _log(app, actor, "submit", S.DRAFT, app.home_visit)
    return app


def _four_eyes(actor, app: ReliefApplication, *, approving: bool) -> None:
    if actor is None:
        return
    if app.submitted_by_id == actor.pk:
        raise ValidationError(_("You submitted this application: someone else must decide it."))
    if approving and app.reviewed_by_id == actor.pk:
        raise ValidationError(_("You reviewed this application: someone else must approve it."))


@transaction.atomic
def relief_review(
    *, actor, application: ReliefApplication, income_verification: str, comment: str = ""
) -> ReliefApplication:
    _require(actor, "relief.review", application)
    if not income_verification.strip():
        raise ValidationError(
            {"income_verification": _("Record the result of the income verification.")}
        )
    app = _lock(application, S.SUBMITTED)
    _four_eyes(actor, app, approving=False)
    app.income_verification = income_verification.strip()
    app.status = S.REVIEWED
    app.reviewed_by = actor
    app.save()
    _log(app, actor, "review", S.SUBMITTED, comment or app.income_verification)
    return app


@transaction.atomic
def relief_start_notice(*, actor, application: ReliefApplication, today=None) -> ReliefApplication:
    """Put the case on public notice for the number of days the rule table says."""
    today = today or timezone.localdate()
    if actor is not None and not (
        access.can(actor, "relief.review", application.organisation)
        or access.can(actor, "relief.approve", application.organisation)
    ):
        raise PermissionDenied
    app = _lock(application, S.REVIEWED)
    _four_eyes(actor, app, approving=False)
    days = notice_days(today)
    app.notice_starts, app.notice_ends = today, today + timedelta(days=days)
    app.status = S.ON_NOTICE
    app.save()
    _log(app, actor, "notice", S.REVIEWED, f"{app.notice_starts} – {app.notice_ends}")
    return app


@dataclass
class CheckResult:
    """What the approver sees before deciding."""

    cap: Decimal | None = None
    used_this_year: Decimal = Decimal("0")
    over_cap: bool = False
    duplicates: list[dict] = field(default_factory=list)
    needs_file: bool = False
    has_open_file: bool = False
    missing_file: bool = False

    @property
    def needs_override(self) -> bool:
        return self.over_cap or self.missing_file


def relief_checks(
    *, actor, application: ReliefApplication, amount=None, audit: bool = True
) -> CheckResult:
    """The cap for the kind (city-wide, per person and year), the same person helped this
    year anywhere in the city (other unions masked), and the hardship file rule. This is one
    of the reads that cross scopes: it returns the minimum and writes an audit row."""
    app = application
    amount = _money(amount if amount is not None else app.amount_requested)
    rule = relief_cap(app.kind, date(app.year, 12, 31))
    same_person = (
        ReliefApplication.objects.filter(
            member__resident_id_index=app.member.resident_id_index, year=app.year
        )
        .exclude(pk=app.pk)
        .exclude(status__in=[S.DRAFT, S.REJECTED])
        .select_related("organisation")
    )
    result = CheckResult()
    used = same_person.filter(kind=app.kind, status__in=COUNTED).aggregate(
        s=Sum("amount_approved")
    )["s"] or Decimal("0")
    result.used_this_year = used
    if rule is not None:
        result.cap = rule.yearly_cap
        result.over_cap = used + amount > rule.yearly_cap
        result.needs_file = rule.needs_hardship_file
    result.has_open_file = (
        HardshipFile.objects.filter(member__resident_id_index=app.member.resident_id_index)
        .filter(status=FileStatus.APPROVED)
        .exists()
    )
    result.missing_file = result.needs_file and not result.has_open_file
    for other in same_person:
        visible = actor is None or access.can(actor, "view", other.organisation)
        result.duplicates.append(
            {
                "pk": other.pk if visible else None,
                "union": other.organisation.name if visible else _("another union"),
                "resident_id": app.member.resident_id_masked,
                "kind": other.get_kind_display(),
                "status": other.get_status_display(),
                "amount": other.amount_approved or other.amount_requested,
            }
        )
    if audit and result.duplicates:
        audit_event(app, "relief.duplicate_check", actor=actor, found=len(result.duplicates))
    return result


@transaction.atomic
def relief_approve(
    *,
    actor,
    application: ReliefApplication,
    amount_approved,
    comment: str = "",
    override_reason: str = "",
    today=None,
) -> ReliefApplication:
    """Approve after the notice period. Locks the row: of two approvers at once, one wins and
    the other gets a Conflict; exactly one payment row is created."""
    today = today or timezone.localdate()
    _require(actor, "relief.approve", application)
    amount = _positive(amount_approved, "amount_approved")
    app = _lock(application, S.ON_NOTICE)
    _four_eyes(actor, app, approving=True)
    if not app.notice_over(today):
        raise ValidationError(
            _("The public notice runs until %(day)s: approve after it ends.")
            % {"day": app.notice_ends}
        )
    if amount > app.amount_requested:
        raise ValidationError(
            {"amount_approved": _("The approved amount cannot exceed the amount requested.")}
        )
    checks = relief_checks(actor=actor, application=app, amount=amount, audit=False)
    if checks.needs_override and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "This approval breaks a check (the yearly cap or the hardship-file rule): "
                    "give a reason to override it."
                )
            }
        )
    if app.campaign_id:
        _campaign_charge(app.campaign_id, amount)
    app.amount_approved = amount
    app.override_reason = override_reason.strip() if checks.needs_override else ""
    app.status = S.APPROVED
    app.approved_by = actor
    app.save()
    ReliefPayment.objects.create(application=app, amount=amount)
    text = comment
    if app.override_reason:
        text = f"{comment}\n{_('Override')}: {app.override_reason}".strip()
    _log(app, actor, "approve", S.ON_NOTICE, text)
    return app


@transaction.atomic
def relief_reject(*, actor, application: ReliefApplication, reason: str) -> ReliefApplication:
    if actor is not None and not (
        access.can(actor, "relief.review", application.organisation)
        or access.can(actor, "relief.approve", application.organisation)
    ):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    app = _lock(application, S.SUBMITTED, S.REVIEWED, S.ON_NOTICE)
    _four_eyes(actor, app, approving=False)
    before = app.status
    app.status = S.REJECTED
    app.reject_reason = reason.strip()
    app.save()
    _log(app, actor, "reject", before, app.reject_reason)
    return app


@transaction.atomic
def relief_pay(
    *, actor, application: ReliefApplication, paid_on: date, reference: str
) -> ReliefApplication:
    _require(actor, "relief.approve", application)
    if not reference.strip():
        raise ValidationError({"reference": _("Enter the payment reference.")})
    app = _lock(application, S.APPROVED)
    payment = ReliefPayment.objects.select_for_update().get(application=app)
    payment.paid_on, payment.reference, payment.paid_by = paid_on, reference.strip(), actor
    payment.save()
    app.status = S.PAID
    app.save()
    _log(app, actor, "pay", S.APPROVED, f"{payment.amount} {paid_on} {payment.reference}")
    return app


@transaction.atomic
def proof_add(
    *, actor, application: ReliefApplication, title: str, upload, content_type: str
) -> ReliefProof:
    if application.status in (S.REJECTED, S.PAID):
        raise ValidationError(_("A closed case takes no more proofs."))
    proof = ReliefProof(
        application=application, title=title, content_type=content_type, uploaded_by=actor
    )
    proof.file.save(upload.name, upload, save=False)
    proof.save()
    audit_event(application, "relief.proof_add", actor=actor, title=title)
    return proof


def relief_awaiting(user):
    """Applications waiting for this user's review or approval."""
    qs = ReliefApplication.objects.all()
    review = access.scope(user, qs, org_field="organisation", capability="relief.review").filter(
        status=S.SUBMITTED
    )
    approve = access.scope(user, qs, org_field="organisation", capability="relief.approve").filter(
        status=S.ON_NOTICE, notice_ends__lte=timezone.localdate()
    )
    return review, approve


# --- Campaigns -----------------------------------------------------------------------------


def campaign_spent(campaign_id: int) -> Decimal:
    relief = ReliefApplication.objects.filter(
        campaign_id=campaign_id, status__in=COUNTED
    ).aggregate(s=Sum("amount_approved"))["s"] or Decimal("0")
    visits = CondolenceVisit.objects.filter(campaign_id=campaign_id).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal("0")
    return relief + visits


def _campaign_charge(campaign_id: int, amount: Decimal) -> Campaign:
    """Lock the campaign and refuse a charge that would overspend its budget."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    spent = campaign_spent(campaign_id)
    if spent + amount > campaign.budget:
        raise ValidationError(
            _(
                "The campaign “%(name)s” has ¥%(left)s left: this would overspend it. "
                "A federation admin can raise the budget."
            )
            % {"name": campaign.name, "left": campaign.budget - spent}
        )
    return campaign


@transaction.atomic
def campaign_create(
    *, actor, organisation, name, kind, year, budget, starts_on, ends_on
) -> Campaign:
    budget = _positive(budget, "budget")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The campaign ends before it starts.")})
    campaign = Campaign.objects.create(
        organisation=organisation,
        name=name,
        kind=kind,
        year=year,
        budget=budget,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_event(campaign, "campaign.create", actor=actor)
    return campaign


@transaction.atomic
def campaign_set_budget(*, actor, campaign: Campaign, budget, reason: str) -> Campaign:
    if actor is not None and not access.can(actor, "campaign.budget", campaign.organisation):
        raise PermissionDenied
    budget = _positive(budget, "budget")
    c = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if budget < campaign_spent(c.pk):
        raise ValidationError({"budget": _("The budget cannot be less than what is spent.")})
    before = c.budget
    c.budget = budget
    c.save(update_fields=["budget"])
    audit_event(
        c,
        "campaign.budget",
        actor=actor,
        changes={"budget": [str(before), str(budget)]},
        reason=reason,
    )
    return c


def campaigns_spent(ids: list[int]) -> dict[int, Decimal]:
    """Spent per campaign in two queries, for lists."""
    spent: dict[int, Decimal] = {}
    relief = (
        ReliefApplication.objects.filter(campaign_id__in=ids, status__in=COUNTED)
        .values("campaign_id")
        .annotate(s=Sum("amount_approved"))
    )
    visits = (
        CondolenceVisit.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(s=Sum("amount"))
    )
    for row in [*relief, *visits]:
        spent[row["campaign_id"]] = spent.get(row["campaign_id"], Decimal("0")) + row["s"]
    return spent


def campaign_figures(campaign: Campaign) -> dict:
    spent = campaign_spent(campaign.pk)
    relief = ReliefApplication.objects.filter(campaign=campaign, status__in=COUNTED)
    visits = CondolenceVisit.objects.filter(campaign=campaign)
    people = set(relief.values_list("member_id", flat=True)) | set(
        visits.values_list("member_id", flat=True)
    )
    orgs = set(relief.values_list("organisation_id", flat=True)) | set(
        visits.values_list("organisation_id", flat=True)
    )
    households = relief.aggregate(n=Count("hardship_file", distinct=True))["n"] + len(
        people - set(relief.exclude(hardship_file=None).values_list("member_id", flat=True))
    )
    return {
        "spent": spent,
        "remaining": campaign.budget - spent,
        "people": len(people),
        "households": households,
        "enterprises": len(orgs),
        "amount": spent,
    }


# --- Condolence visits ---------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor,
    member: Member,
    occasion: str,
    visited_on: date,
    in_cash: bool,
    amount,
    visitors: str,
    note: str = "",
    campaign: Campaign | None = None,
    token=None,
) -> CondolenceVisit:
    # Lock the member first: two visits recorded at once (or one form posted twice) queue here.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if token is not None:
        existing = CondolenceVisit.objects.filter(idempotency_key=token).first()
        if existing is not None:
            if existing.member_id != member.pk:
                raise ValidationError(
                    _("This form was already used for another member; open a new form.")
                )
            return existing
    amount = _positive(amount, "amount")
    rule = condolence_rule(occasion, visited_on)
    if rule is None:
        raise ValidationError(_("No rule for this occasion is in force; ask a federation admin."))
    if in_cash and not rule.cash_allowed:
        raise ValidationError(
            {"in_cash": _("The rules allow gifts in kind only for this occasion, not cash.")}
        )
    used = CondolenceVisit.objects.filter(
        member=member, occasion=occasion, visited_on__year=visited_on.year
    ).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if used + amount > rule.yearly_cap:
        raise ValidationError(
            {
                "amount": _(
                    "The cap for this occasion is ¥%(cap)s per member a year; ¥%(used)s is "
                    "already given this year, so at most ¥%(left)s remains."
                )
                % {"cap": rule.yearly_cap, "used": used, "left": max(rule.yearly_cap - used, 0)}
            }
        )
    if campaign is not None:
        _campaign_charge(campaign.pk, amount)
    visit = CondolenceVisit.objects.create(
        organisation=member.organisation,
        member=member,
        occasion=occasion,
        visited_on=visited_on,
        in_cash=in_cash,
        amount=amount,
        visitors=visitors.strip(),
        note=note,
        campaign=campaign,
        created_by=actor,
        idempotency_key=token,
    )
    audit_event(visit, "visit.record", actor=actor)
    return visit


def scoped(user, qs):
    return access.scope(user, qs, org_field="organisation")


__all__ = [name for name in dir() if not name.startswith("_") and name != "Q"]
