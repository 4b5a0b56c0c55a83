"""Members: registering, editing and the status lifecycle (domain.md C)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core.audit import audit_event

from .. import access, history
from ..models import (
    GRASSROOTS_KINDS,
    REASON_REQUIRED,
    TRANSITIONS,
    ExpulsionReason,
    Member,
    MemberStatus,
    MemberStatusChange,
    Organisation,
    RetainedReason,
    SpellStart,
    User,
    WageBase,
)
from ..validators import parse_resident_id

MEMBER_FIELDS = (
    "name",
    "phone",
    "education",
    "employment_type",
    "is_migrant",
    "is_frontline",
    "is_manager",
    "joined_on",
    "applied_on",
    "wage_base",
)
TRANSFER_TOKEN_SALT = "members.transfer-request"


def transfer_token(member: Member) -> str:
    """A signed reference to a member held by another union, so a union that hit the
    one-membership check can request the transfer without seeing that union's records."""
    return signing.dumps(member.pk, salt=TRANSFER_TOKEN_SALT)


def member_from_transfer_token(token: str, max_age: int = 24 * 3600) -> Member:
    try:
        pk = signing.loads(token, salt=TRANSFER_TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        raise ValidationError(
            _("The transfer link has expired; search the ID number again.")
        ) from None
    return Member.objects.select_related("organisation").get(pk=pk)


# How many people held by unions outside the user's scope one user may run into in 24 hours
# (form and import together). Each hit tells that a resident ID is a member somewhere in the
# city, so a file of 100,000 numbers must not test them all.
OUTSIDE_HITS_PER_DAY = 50
HIT_EVENT = "member.one_membership_hit"


def held_elsewhere_message() -> str:
    return _(
        "This person is registered with another union. Please contact the higher-level union "
        "to arrange the transfer."
    )


def outside_hits_left(actor: User | None) -> int | None:
    """How many more out-of-scope hits `actor` may meet today (None: no limit, for system
    runs). Counted from the audit rows the hits write, so every process agrees."""
    if actor is None or not getattr(actor, "pk", None):
        return None
    from auditlog.models import LogEntry

    since = timezone.now() - timedelta(hours=24)
    used = LogEntry.objects.filter(
        actor=actor,
        timestamp__gte=since,
        additional_data__event=HIT_EVENT,
        additional_data__outside_scope=True,
    ).count()
    return max(0, OUTSIDE_HITS_PER_DAY - used)


def too_many_lookups(actor: User | None, asked_for) -> ValidationError:
    audit_event(actor, "member.one_membership_limit", actor=actor, asked_for=str(asked_for or ""))
    return ValidationError(
        _(
            "You have checked too many people registered with other unions today. Try again "
            "tomorrow, or ask the higher-level union."
        ),
        code="lookup_limit",
    )


def check_one_membership(
    *,
    actor: User | None,
    number: str,
    exclude: Member | None = None,
    for_organisation: Organisation | None = None,
) -> None:
    """One person, one membership, city-wide. The one cross-scope read allowed here: a hit in
    the user's own scope names the union that holds the member; one outside it only says
    another union holds them (ask the higher-level union), is rate-limited per user and, like
    every hit, written to the audit log."""
    hits = Member.objects.current().with_resident_id(number).select_related("organisation")
    if exclude is not None:
        hits = hits.exclude(pk=exclude.pk)
    hit = hits.first()
    if hit is None:
        return
    visible = actor is None or access.can(actor, "view", hit.organisation)
    if not visible and outside_hits_left(actor) == 0:
        raise ValidationError({"resident_id": too_many_lookups(actor, for_organisation)})
    audit_event(
        hit,
        HIT_EVENT,
        actor=actor,
        asked_for=str(for_organisation or ""),
        outside_scope=not visible,
    )
    if visible:
        message = _(
            "This person is already a member of %(union)s. A person holds one "
            "membership in the city: request a transfer from that union instead."
        ) % {"union": hit.organisation.name}
        params = {"token": transfer_token(hit), "union": hit.organisation.name}
    else:
        message = held_elsewhere_message()
        params = {"token": transfer_token(hit)}
    raise ValidationError(
        {"resident_id": ValidationError(message, code="duplicate_membership", params=params)}
    )


def _require_member_org(org: Organisation) -> None:
    if not org.holds_members:
        raise ValidationError(
            {
                "organisation": _(
                    "Members are registered in a grassroots union or one of its branches, "
                    "or held by a township, park or county union, not in %(kind)s."
                )
                % {"kind": org.kind_display()}
            }
        )
    if not org.active:
        raise ValidationError({"organisation": _("That union has been dissolved.")})


def grassroots_of(org: Organisation) -> Organisation:
    """The grassroots union a branch or group belongs to (itself for a grassroots union)."""
    if org.kind in GRASSROOTS_KINDS:
        return org
    return next((a for a in reversed(org.get_ancestors()) if a.kind in GRASSROOTS_KINDS), org)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def _record_status(
    member: Member,
    *,
    actor: User | None,
    from_status: str,
    on: date,
    reason: str = "",
    category: str = "",
    filed_with: Organisation | None = None,
) -> MemberStatusChange:
    return MemberStatusChange.objects.create(
        member=member,
        organisation=member.organisation,
        from_status=from_status,
        to_status=member.status,
        changed_on=on,
        reason=reason,
        category=category,
        filed_with=filed_with,
        changed_by=actor,
    )


def _check_application_date(member: Member) -> None:
    """An applicant's joining date is the application date until approval; a member's
    application comes before the approval."""
    if member.status == MemberStatus.APPLIED:
        member.applied_on = member.applied_on or member.joined_on
        member.joined_on = member.applied_on
    elif member.applied_on and member.joined_on and member.applied_on > member.joined_on:
        raise ValidationError(
            {"applied_on": _("The application date must not be after the approval date.")}
        )


def _set_wage_base(member: Member, amount: Decimal, month: date) -> None:
    WageBase.objects.update_or_create(
        member=member, effective_month=first_of_month(month), defaults={"amount": amount}
    )


def member_register(
    *,
    actor: User | None,
    organisation: Organisation,
    resident_id: str,
    status: str = MemberStatus.ACTIVE,
    **fields,
) -> Member:
    if actor is not None:
        access.require(actor, "member.edit", organisation)
    _require_member_org(organisation)
    if status not in (MemberStatus.APPLIED, MemberStatus.ACTIVE):
        raise ValidationError({"status": _("A new member is either applying or active.")})
    rid = parse_resident_id(resident_id)
    # The city-wide check runs before the write's transaction: a refusal rolls that back, and
    # the audit row of the hit must survive the refusal (security.md G1).
    check_one_membership(actor=actor, number=rid.number, for_organisation=organisation)
    member = Member(
        organisation=organisation,
        status=status,
        gender=rid.gender,
        birth_date=rid.birth_date,
        **{k: v for k, v in fields.items() if k in MEMBER_FIELDS},
    )
    member.set_resident_id(rid.number)
    _check_application_date(member)
    member.status_changed_on = member.joined_on
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
            _record_status(
                member, actor=actor, from_status="", on=member.joined_on, reason=_("Registered")
            )
            history.record_state(member, on=member.joined_on, started_by=SpellStart.JOIN)
            if member.wage_base:
                _set_wage_base(member, member.wage_base, member.joined_on)
    except IntegrityError:
        # Someone registered the same person a moment ago: the constraint is the last word.
        check_one_membership(actor=actor, number=rid.number, for_organisation=organisation)
        raise
    return member


def member_update(
    *,
    actor: User | None,
    member: Member,
    version: int | None = None,
    resident_id: str = "",
    organisation: Organisation | None = None,
    **fields,
) -> Member:
    if resident_id and member.is_current:
        # Before the write's transaction, so the audit row of a hit survives the refusal.
        if actor is not None:
            access.require(actor, "member.edit", member.organisation)
        number = parse_resident_id(resident_id).number
        check_one_membership(actor=actor, number=number, exclude=member)
    return _member_update(
        actor=actor,
        member=member,
        version=version,
        resident_id=resident_id,
        organisation=organisation,
        **fields,
    )


@transaction.atomic
def _member_update(
    *,
    actor: User | None,
    member: Member,
    version: int | None = None,
    resident_id: str = "",
    organisation: Organisation | None = None,
    **fields,
) -> Member:
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if actor is not None:
        access.require(actor, "member.edit", locked.organisation)
    if version is not None and locked.version != version:
        raise ValidationError(
            _(
                "Someone else saved this member after you opened the form. Reload the page, "
                "check their changes and save again."
            )
        )
    if organisation is not None and organisation.pk != locked.organisation_id:
        # Moving between unions is a transfer, except within one's own union's subtree.
        if actor is not None:
            access.require(actor, "member.edit", organisation)
        _require_member_org(organisation)
        home = grassroots_of(locked.organisation)
        # Within a grassroots union's own subtree only: a township, park or county union
        # that holds members passes them on by transfer.
        if home.kind not in GRASSROOTS_KINDS or not organisation.path.startswith(home.path):
            raise ValidationError(
                {
                    "organisation": _(
                        "Moving a member to another union is a transfer; start one "
                        "from the member's page."
                    )
                }
            )
        locked.organisation = organisation
    if resident_id:
        rid = parse_resident_id(resident_id)
        if locked.is_current:
            check_one_membership(actor=actor, number=rid.number, exclude=locked)
        locked.set_resident_id(rid.number)
        locked.gender, locked.birth_date = rid.gender, rid.birth_date
    old_wage, old_joined, old_state = (
        locked.wage_base,
        locked.joined_on,
        history.counted_state(locked),
    )
    for key, value in fields.items():
        if key in MEMBER_FIELDS:
            setattr(locked, key, value)
    if locked.status == MemberStatus.APPLIED:
        # Until approval the joining date is the application date.
        locked.applied_on = fields.get("applied_on") or fields.get("joined_on") or locked.applied_on
    _check_application_date(locked)
    locked.full_clean(validate_constraints=False)
    locked.version += 1
    locked.save()
    if locked.joined_on != old_joined and locked.status != MemberStatus.APPLIED:
        # A correction of the record: the history moves with it (and the months it touches
        # are recomputed).
        history.correct_start(locked, old_joined, locked.joined_on)
    if history.counted_state(locked) != old_state:
        # A change of the member's details counts from today: past periods keep the details
        # the records held then.
        history.record_state(locked, on=timezone.localdate())
    if locked.wage_base != old_wage:
        _set_wage_base(locked, locked.wage_base, timezone.localdate())
    return locked


def member_change_status(
    *,
    actor: User | None,
    member: Member,
    to_status: str,
    on: date | None = None,
    reason: str = "",
    category: str = "",
) -> Member:
    if to_status == MemberStatus.APPLIED and to_status in TRANSITIONS.get(member.status, ()):
        # Rejoining: checked before the write's transaction, so the audit row of a hit
        # survives the refusal; the check inside repeats it under the lock.
        if actor is not None:
            access.require(actor, "member.edit", member.organisation)
        check_one_membership(
            actor=actor,
            number=member.resident_id,
            exclude=member,
            for_organisation=member.organisation,
        )
    return _member_change_status(
        actor=actor, member=member, to_status=to_status, on=on, reason=reason, category=category
    )


def _check_category(to_status: str, category: str) -> str:
    """Retaining needs its reason's category, expulsion its ground (domain.md C)."""
    choices = {
        MemberStatus.RETAINED: RetainedReason,
        MemberStatus.EXPELLED: ExpulsionReason,
    }.get(to_status)
    if choices is None:
        return ""
    if category not in choices.values:
        message = (
            _("Choose why the membership is retained: retired, unemployed or employer closed.")
            if to_status == MemberStatus.RETAINED
            else _("Expulsion needs its ground: a serious crime with a criminal penalty.")
        )
        raise ValidationError({"category": message})
    return category


def _check_lapse(member: Member, on: date) -> None:
    """A lapse needs 6 months in a row of unpaid dues before the month of `on` (domain.md C);
    the conversation and the member's refusal go into the written reason."""
    from .dues import LAPSE_MONTHS, lapse_window_unpaid

    if not lapse_window_unpaid(member, on):
        raise ValidationError(
            {
                "to_status": _(
                    "A membership lapses only after %(n)d months in a row of unpaid dues "
                    "(the %(n)d months before the chosen date); this member's dues do not "
                    "show that."
                )
                % {"n": LAPSE_MONTHS}
            }
        )


def _higher_union(member: Member) -> Organisation | None:
    """The union an expulsion is filed with: the parent of the member's grassroots union (or
    of the union that holds the member)."""
    home = grassroots_of(member.organisation)
    return home.get_parent()


@transaction.atomic
def _member_change_status(
    *,
    actor: User | None,
    member: Member,
    to_status: str,
    on: date | None = None,
    reason: str = "",
    category: str = "",
) -> Member:
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if actor is not None:
        access.require(actor, "member.edit", locked.organisation)
    if to_status not in TRANSITIONS[locked.status]:
        raise ValidationError(
            {
                "to_status": _("A member who is %(from)s cannot become %(to)s.")
                % {"from": MemberStatus(locked.status).label, "to": MemberStatus(to_status).label}
            }
        )
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give the reason for this change.")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    since = history.last_change_on(locked) or locked.status_changed_on
    if since is not None and on < since:
        raise ValidationError(
            {
                "on": _(
                    "The date cannot be before the member's last change on %(day)s; correct "
                    "that one first."
                )
                % {"day": since}
            }
        )
    if locked.status == MemberStatus.APPLIED and locked.applied_on and on < locked.applied_on:
        raise ValidationError(
            {
                "on": _("The approval cannot come before the application (%(day)s).")
                % {"day": locked.applied_on}
            }
        )
    category = _check_category(to_status, (category or "").strip())
    if to_status == MemberStatus.LAPSED:
        _check_lapse(locked, on)
    if to_status == MemberStatus.APPLIED:
        # Rejoining: the person must not have become a member elsewhere meanwhile.
        check_one_membership(
            actor=actor,
            number=locked.resident_id,
            exclude=locked,
            for_organisation=locked.organisation,
        )
    from_status = locked.status
    locked.status = to_status
    locked.status_changed_on = on
    locked.retained_reason = category if to_status == MemberStatus.RETAINED else ""
    joining = from_status == MemberStatus.APPLIED and to_status == MemberStatus.ACTIVE
    if joining:
        # Membership runs from the approval date (domain.md C).
        locked.joined_on = on
    elif to_status == MemberStatus.APPLIED:
        locked.applied_on = on
        locked.joined_on = on
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "status_changed_on",
            "retained_reason",
            "joined_on",
            "applied_on",
            "version",
            "updated_at",
        ]
    )
    filed_with = _higher_union(locked) if to_status == MemberStatus.EXPELLED else None
    change = _record_status(
        locked,
        actor=actor,
        from_status=from_status,
        on=on,
        reason=reason,
        category=category,
        filed_with=filed_with,
    )
    history.record_state(
        locked, on=on, started_by=SpellStart.JOIN if joining else SpellStart.CHANGE
    )
    if filed_with is not None:
        audit_event(
            change,
            "member.expulsion_filed",
            actor=actor,
            member=locked.pk,
            filed_with=filed_with.name,
        )
    return locked


@transaction.atomic
def member_reveal(*, actor: User, member: Member, field: str) -> str:
    """The full resident ID or phone, for the roles allowed; every reveal is audited."""
    if not access.can(actor, "member.reveal", member.organisation):
        raise PermissionDenied
    value = member.resident_id if field == "resident_id" else member.phone
    audit_event(member, "member.reveal", actor=actor, field=field)
    return value


@transaction.atomic
def expulsion_acknowledge(*, actor: User | None, change: MemberStatusChange) -> MemberStatusChange:
    """The higher union acknowledges an expulsion filed with it (备案); once only."""
    locked = (
        MemberStatusChange.objects.select_for_update(of=("self",))
        .select_related("filed_with")
        .get(pk=change.pk)
    )
    if locked.filed_with is None:
        raise ValidationError(_("This change was not filed with a higher union."))
    if actor is not None:
        access.require(actor, "member.edit", locked.filed_with)
    if locked.acknowledged_at is not None:
        raise ValidationError(_("This expulsion has already been acknowledged."))
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = actor
    locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_event(locked, "member.expulsion_acknowledged", actor=actor, member=locked.member_id)
    return locked


def expulsions_filed_with(user, *, open_only: bool = False):
    """Expulsions filed with a union in the user's scope (the higher unions see them)."""
    qs = MemberStatusChange.objects.filter(filed_with__isnull=False).select_related(
        "member", "organisation", "filed_with", "changed_by", "acknowledged_by"
    )
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    return access.scope(user, qs, org_field="filed_with").order_by("-changed_on", "-pk")
