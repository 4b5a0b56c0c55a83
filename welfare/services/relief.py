"""Relief applications (帮扶救助): draft, review, public notice, approval and payment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Member, MemberStatus
from unionportal.core.audit import audit_event
from unionportal.core.money import money_sum
from unionportal.core.steps import long_date

from ..models import (
    Campaign,
    FileStatus,
    HardshipFile,
    ReliefApplication,
    ReliefDecision,
    ReliefPayment,
    ReliefProof,
    VettedCase,
)
from .campaigns import _campaign_charge
from .rules import COUNTED, Conflict, S, _money, _positive, notice_days, relief_cap

# --- Relief applications -------------------------------------------------------------------

# Hardship files and relief are for members at work or retained (domain.md E): not for an
# applicant (not a member yet) nor for someone who left.
HELPED_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RETAINED)


def member_may_be_helped(member: Member) -> None:
    if member.status not in HELPED_STATUSES:
        raise ValidationError(
            {
                "member": _(
                    "Hardship files and relief are for active or retained members; "
                    "%(name)s is %(status)s."
                )
                % {"name": member.name, "status": member.get_status_display()}
            }
        )


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
    member_may_be_helped(member)
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


def four_eyes_problem(actor, app: VettedCase, *, approving: bool) -> str | None:
    """Why `actor` may not decide `app` (its submitter decides nothing, its reviewer does
    not approve it), or None. The detail page asks the same to offer only possible actions.
    Relief applications and hardship files (both VettedCase) share the rule."""
    if actor is None:
        return None
    if app.submitted_by_id == actor.pk:
        return _("You submitted this application: someone else must decide it.")
    if approving and app.reviewed_by_id == actor.pk:
        return _("You reviewed this application: someone else must approve it.")
    return None


def _four_eyes(actor, app: VettedCase, *, approving: bool) -> None:
    problem = four_eyes_problem(actor, app, approving=approving)
    if problem:
        raise ValidationError(problem)


def approval_wait(app: VettedCase, today: date | None = None) -> str | None:
    """Why an application on notice cannot be approved yet (its notice still runs), or None."""
    if app.notice_over(today):
        return None
    return _("The public notice runs until %(day)s: approve after it ends.") % {
        "day": long_date(app.notice_ends) if app.notice_ends else "—"
    }


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
        s=money_sum("amount_approved")
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
    wait = approval_wait(app, today)
    if wait:
        raise ValidationError(wait)
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
