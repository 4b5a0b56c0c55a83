"""Writes of the congress app. The motion state machine lives here, in TRANSITIONS and
`_move`, and every transition is recorded as a MotionEvent (who, when, from, to, comment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import CURRENT_STATUSES, Gender, Member, MemberStatus, Organisation
from unionportal.core.audit import audit_event

from .models import (
    CongressRule,
    CongressSession,
    Delegate,
    Motion,
    MotionEvent,
    MotionStatus,
    SessionKind,
    Suggestion,
    Verdict,
    organisation_workers,
)

S = MotionStatus

# The one table of allowed motion transitions.
TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.UNDER_REVIEW},
    S.UNDER_REVIEW: {S.FILED, S.REJECTED, S.CONVERTED, S.MERGED},
    S.FILED: {S.ASSIGNED},
    S.ASSIGNED: {S.ANSWERED, S.ASSIGNED},
    S.ANSWERED: {S.CLOSED, S.REOPENED},
    S.REOPENED: {S.ANSWERED, S.ASSIGNED},
    S.REJECTED: set(),
    S.CONVERTED: set(),
    S.MERGED: set(),
    S.CLOSED: set(),
}


def allowed_transitions(motion: Motion) -> set[str]:
    return TRANSITIONS[motion.status]


def _move(motion: Motion, to: str, *, actor, comment: str = "", version: int | None = None) -> None:
    locked = Motion.objects.select_for_update().get(pk=motion.pk)
    if version is not None and locked.version != version:
        raise ValidationError(
            _("Someone else changed this motion meanwhile. Reload the page and try again."),
            code="stale",
        )
    if to not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("A motion that is %(status)s cannot move to %(to)s.")
            % {"status": S(locked.status).label, "to": S(to).label},
            code="forbidden_transition",
        )
    from_status = locked.status
    motion.status = to
    motion.version = locked.version + 1
    motion.save()
    MotionEvent.objects.create(
        motion=motion, from_status=from_status, to_status=to, actor=actor, comment=comment
    )
    audit_event(motion, "motion.transition", actor=actor, from_status=from_status, to_status=to)


# --- Rules ----------------------------------------------------------------------------------


@transaction.atomic
def congress_rule_create(*, actor, **fields) -> CongressRule:
    rule = CongressRule(**fields)
    rule.full_clean()
    rule.save()
    audit_event(rule, "congress.rule_create", actor=actor)
    return rule


# --- Sessions and delegates -----------------------------------------------------------------


def _session_kind_and_size(
    *, organisation: Organisation, kind: str | None, held_on: date, delegates_expected: int
) -> str:
    """The kind the workforce allows (an assembly below the threshold, chosen when no kind is
    given) and a congress of at least the delegates the rule requires (domain.md F)."""
    rule = CongressRule.current(held_on)
    workers = organisation_workers(organisation)
    if rule.holds_assembly(workers):
        if kind == SessionKind.CONGRESS:
            raise ValidationError(
                {
                    "kind": _(
                        "With %(workers)s workers (fewer than %(limit)s) the workers meet as an "
                        "all-worker assembly, without delegates."
                    )
                    % {"workers": workers, "limit": rule.assembly_below_workers}
                }
            )
        return SessionKind.ASSEMBLY
    kind = kind or SessionKind.CONGRESS
    required = rule.delegates_required(workers)
    if kind == SessionKind.CONGRESS and required is not None and delegates_expected < required:
        raise ValidationError(
            {
                "delegates_expected": _(
                    "With %(workers)s workers the congress needs at least %(required)s "
                    "delegates (%(percent)s%% of the workers, and no fewer than %(min)s)."
                )
                % {
                    "workers": workers,
                    "required": required,
                    "percent": rule.delegates_min_percent,
                    "min": rule.delegates_min_count,
                }
            }
        )
    return kind


@transaction.atomic
def session_create(
    *,
    actor,
    organisation: Organisation,
    term: int,
    session_number: int,
    kind: str | None = None,
    held_on: date,
    collection_opens: date | None = None,
    collection_closes: date | None = None,
    delegates_expected: int,
) -> CongressSession:
    if CongressSession.objects.filter(
        organisation=organisation, term=term, session_number=session_number
    ).exists():
        raise ValidationError(
            {"session_number": _("This union already has that session of that term.")}
        )
    kind = _session_kind_and_size(
        organisation=organisation,
        kind=kind,
        held_on=held_on,
        delegates_expected=delegates_expected,
    )
    session = CongressSession(
        organisation=organisation,
        term=term,
        session_number=session_number,
        kind=kind,
        held_on=held_on,
        collection_opens=collection_opens or held_on - timedelta(days=30),
        collection_closes=collection_closes or held_on,
        delegates_expected=delegates_expected,
    )
    if session.collection_closes < session.collection_opens:
        raise ValidationError(
            {"collection_closes": _("The collection cannot close before it opens.")}
        )
    session.save()
    audit_event(session, "congress.session_create", actor=actor)
    return session


@transaction.atomic
def session_update(
    *,
    actor,
    session: CongressSession,
    kind: str,
    held_on: date,
    collection_opens: date,
    collection_closes: date,
    delegates_expected: int,
) -> None:
    if collection_closes < collection_opens:
        raise ValidationError(
            {"collection_closes": _("The collection cannot close before it opens.")}
        )
    if session.delegates_present is not None and delegates_expected < session.delegates_present:
        raise ValidationError(
            {"delegates_expected": _("Fewer delegates than the attendance recorded.")}
        )
    kind = _session_kind_and_size(
        organisation=session.organisation,
        kind=kind,
        held_on=held_on,
        delegates_expected=delegates_expected,
    )
    changes = {}
    for field, value in (
        ("kind", kind),
        ("held_on", held_on),
        ("collection_opens", collection_opens),
        ("collection_closes", collection_closes),
        ("delegates_expected", delegates_expected),
    ):
        if getattr(session, field) != value:
            changes[field] = [str(getattr(session, field)), str(value)]
            setattr(session, field, value)
    session.save()
    audit_event(session, "congress.session_update", actor=actor, changes=changes)


@transaction.atomic
def session_record_attendance(*, actor, session: CongressSession, present: int) -> None:
    if present > session.delegates_expected:
        raise ValidationError(
            {"delegates_present": _("More delegates present than the congress has.")}
        )
    session.delegates_present = present
    session.save(update_fields=["delegates_present"])
    audit_event(session, "congress.attendance", actor=actor, present=present)


@transaction.atomic
def delegate_add(
    *, actor, session: CongressSession, member: Member, chosen_on: date | None = None
) -> Delegate:
    org = session.organisation
    if session.kind == SessionKind.ASSEMBLY:
        raise ValidationError(
            {"member": _("An all-worker assembly has no delegates: every worker takes part.")}
        )
    if not member.organisation.path.startswith(org.path):
        raise ValidationError(
            {"member": _("Delegates are chosen from the current members of this union.")}
        )
    # Not applicants (not members yet), retained members (no longer at work) or leavers.
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(
            {
                "member": _("Only active members can be delegates; %(name)s is %(status)s.")
                % {"name": member.name, "status": member.get_status_display()}
            }
        )
    if Delegate.objects.filter(organisation=org, term=session.term, member=member).exists():
        raise ValidationError({"member": _("This member is already a delegate of this term.")})
    delegate = Delegate.objects.create(
        organisation=org,
        term=session.term,
        member=member,
        is_frontline=member.is_frontline,
        is_manager=member.is_manager,
        is_female=member.gender == Gender.FEMALE,
        chosen_on=chosen_on or timezone.localdate(),
    )
    audit_event(delegate, "congress.delegate_add", actor=actor, member=member.pk)
    return delegate


@transaction.atomic
def delegate_remove(*, actor, delegate: Delegate) -> None:
    if delegate.motions.exists() or delegate.cosigned_motions.exists():
        raise ValidationError(_("A delegate who proposed or co-signed a motion stays on record."))
    audit_event(delegate, "congress.delegate_remove", actor=actor, member=delegate.member_id)
    delegate.delete()


@dataclass(frozen=True)
class CompositionCheck:
    key: str
    label: str
    count: int
    total: int
    limit: str
    passed: bool | None  # None: the figure the check needs is not known

    @property
    def percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.count * 100) / self.total).quantize(Decimal("0.1"))


def composition(
    session: CongressSession, rule: CongressRule | None = None
) -> list[CompositionCheck]:
    """The delegate mix of the session's term against the rule, with exact integer bounds."""
    rule = rule or CongressRule.current(session.held_on)
    delegates = list(
        Delegate.objects.filter(organisation=session.organisation, term=session.term).values(
            "is_frontline", "is_manager", "is_female"
        )
    )
    total = len(delegates)
    frontline = sum(d["is_frontline"] for d in delegates)
    managers = sum(d["is_manager"] for d in delegates)
    women = sum(d["is_female"] for d in delegates)
    members = Member.objects.filter(
        organisation__path__startswith=session.organisation.path, status__in=CURRENT_STATUSES
    )
    n_members = members.count()
    n_women = members.filter(gender=Gender.FEMALE).count()
    # women/total >= n_women/n_members - tolerance/100, in integers
    women_ok = total > 0 and (
        n_members == 0
        or women * n_members * 100
        >= (n_women * 100 - rule.women_tolerance_percent * n_members) * total
    )
    women_share = (
        (Decimal(n_women * 100) / n_members).quantize(Decimal("0.1")) if n_members else Decimal(0)
    )
    return [
        *_size_check(session, rule, total),
        CompositionCheck(
            "frontline",
            _("Frontline workers"),
            frontline,
            total,
            f"≥ {rule.frontline_min_percent}%",
            total > 0 and frontline * 100 >= rule.frontline_min_percent * total,
        ),
        CompositionCheck(
            "managers",
            _("Managers and leaders"),
            managers,
            total,
            f"≤ {rule.managers_max_percent}%",
            total > 0 and managers * 100 <= rule.managers_max_percent * total,
        ),
        CompositionCheck(
            "women",
            _("Women"),
            women,
            total,
            _("≥ %(min)s%% (women are %(share)s%% of the members)")
            % {
                "min": max(Decimal(0), women_share - rule.women_tolerance_percent),
                "share": women_share,
            },
            women_ok,
        ),
    ]


def _size_check(session: CongressSession, rule: CongressRule, chosen: int) -> list:
    """Delegates chosen against the number the workforce requires; none for an assembly."""
    if session.kind == SessionKind.ASSEMBLY:
        return []
    workers = organisation_workers(session.organisation)
    required = rule.delegates_required(workers)
    limit = (
        _("≥ %(required)s (%(percent)s%% of the workers, at least %(min)s)")
        % {
            "required": required,
            "percent": rule.delegates_min_percent,
            "min": rule.delegates_min_count,
        }
        if required is not None
        else _("No data (workers not reported)")
    )
    return [
        CompositionCheck(
            "size",
            _("Delegates of the workers"),
            chosen,
            workers or 0,
            limit,
            None if required is None else chosen >= required,
        )
    ]


# --- Motions --------------------------------------------------------------------------------


@transaction.atomic
def motion_submit(
    *,
    actor,
    session: CongressSession,
    proposer: Delegate,
    cosigners: list[Delegate],
    title: str,
    body: str,
    category: str,
    today: date | None = None,
) -> Motion:
    today = today or timezone.localdate()
    rule = CongressRule.current(today)
    errors: dict[str, list[str]] = {}
    if not session.collection_open(today):
        errors.setdefault("__all__", []).append(
            _("Motions for this session are collected from %(opens)s to %(closes)s.")
            % {"opens": session.collection_opens, "closes": session.collection_closes}
        )
    term_delegates = {
        d.pk for d in Delegate.objects.filter(organisation=session.organisation, term=session.term)
    }
    if proposer.pk not in term_delegates:
        errors.setdefault("proposer", []).append(_("The proposer must be a delegate of this term."))
    others = {d.pk for d in cosigners} - {proposer.pk}
    if {d.pk for d in cosigners} - term_delegates:
        errors.setdefault("cosigners", []).append(_("Co-signers must be delegates of this term."))
    if len(others) < rule.min_cosigners:
        errors.setdefault("cosigners", []).append(
            _("A motion needs at least %(n)s co-signers besides the proposer.")
            % {"n": rule.min_cosigners}
        )
    if session.motions.filter(title=title).exists():
        errors.setdefault("title", []).append(
            _("This session already has a motion with this title: merge them at the review.")
        )
    if errors:
        raise ValidationError(errors)
    # Lock the session so two clerks do not take the same number.
    CongressSession.objects.select_for_update().get(pk=session.pk)
    number = (session.motions.aggregate(n=Max("number"))["n"] or 0) + 1
    motion = Motion.objects.create(
        session=session,
        organisation=session.organisation,
        number=number,
        title=title,
        body=body,
        category=category,
        proposer=proposer,
        submitted_on=today,
    )
    motion.cosigners.set([d for d in cosigners if d.pk in others])
    MotionEvent.objects.create(
        motion=motion,
        from_status="",
        to_status=S.SUBMITTED,
        actor=actor,
        comment=_("Entered on behalf of %(name)s") % {"name": proposer.member.name},
    )
    audit_event(motion, "motion.submit", actor=actor)
    return motion


@transaction.atomic
def motion_start_review(*, actor, motion: Motion, comment: str = "", version=None) -> None:
    _move(motion, S.UNDER_REVIEW, actor=actor, comment=comment, version=version)


@transaction.atomic
def motion_file(*, actor, motion: Motion, comment: str = "", version=None) -> None:
    motion.review_reason = comment
    _move(motion, S.FILED, actor=actor, comment=comment, version=version)


@transaction.atomic
def motion_reject(*, actor, motion: Motion, reason: str, version=None) -> None:
    if not reason.strip():
        raise ValidationError({"comment": _("Give the reason for rejecting the motion.")})
    motion.review_reason = reason
    _move(motion, S.REJECTED, actor=actor, comment=reason, version=version)


@transaction.atomic
def motion_convert(*, actor, motion: Motion, comment: str = "", version=None) -> Suggestion:
    """Handled as a 合理化建议 instead: the proposer becomes the suggestion's submitter."""
    motion.review_reason = comment
    _move(motion, S.CONVERTED, actor=actor, comment=comment, version=version)
    suggestion = Suggestion.objects.create(
        organisation=motion.organisation,
        submitter=motion.proposer.member,
        from_motion=motion,
        title=motion.title,
        body=motion.body,
    )
    audit_event(suggestion, "suggestion.from_motion", actor=actor, motion=motion.pk)
    return suggestion


@transaction.atomic
def motion_merge(*, actor, motion: Motion, into: Motion, comment: str = "", version=None) -> None:
    if into.session_id != motion.session_id or into.pk == motion.pk:
        raise ValidationError(
            {"merged_into": _("Choose another motion of the same session to merge into.")}
        )
    if into.status in (S.REJECTED, S.CONVERTED, S.MERGED):
        raise ValidationError({"merged_into": _("That motion is no longer open.")})
    motion.merged_into = into
    motion.review_reason = comment
    _move(motion, S.MERGED, actor=actor, comment=comment, version=version)


@transaction.atomic
def motion_assign(
    *,
    actor,
    motion: Motion,
    handling_unit: str,
    responsible_person: str,
    due_on: date | None = None,
    comment: str = "",
    version=None,
) -> None:
    if not handling_unit.strip() or not responsible_person.strip():
        raise ValidationError(_("Name the handling unit and its responsible person."))
    today = timezone.localdate()
    due_on = due_on or today + timedelta(days=CongressRule.current(today).reply_days)
    if due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    motion.handling_unit = handling_unit.strip()
    motion.responsible_person = responsible_person.strip()
    motion.due_on = due_on
    text = f"{motion.handling_unit} · {motion.responsible_person} · {due_on}"
    _move(
        motion,
        S.ASSIGNED,
        actor=actor,
        comment=f"{text}\n{comment}".strip(),
        version=version,
    )


@transaction.atomic
def motion_answer(
    *, actor, motion: Motion, answer: str, answered_on: date | None = None, version=None
) -> None:
    if not answer.strip():
        raise ValidationError({"answer": _("Enter the handling unit's answer.")})
    motion.answer = answer.strip()
    motion.answered_on = answered_on or timezone.localdate()
    motion.verdict = ""
    _move(motion, S.ANSWERED, actor=actor, comment=motion.answer, version=version)


@transaction.atomic
def motion_verdict(*, actor, motion: Motion, verdict: str, comment: str = "", version=None) -> None:
    """The proposer's verdict, entered on their behalf: satisfied or basically satisfied
    closes the motion; unsatisfied reopens it for another answer, due again after the
    rule's reply days."""
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose the proposer's verdict.")})
    motion.verdict = verdict
    label = Verdict(verdict).label
    comment = comment.strip()
    text = _("%(verdict)s. %(comment)s") % {"verdict": label, "comment": comment}
    if not comment:
        text = str(label)
    if verdict == Verdict.UNSATISFIED:
        today = timezone.localdate()
        motion.due_on = today + timedelta(days=CongressRule.current(today).reply_days)
        _move(motion, S.REOPENED, actor=actor, comment=text, version=version)
    else:
        _move(motion, S.CLOSED, actor=actor, comment=text, version=version)


# Suggestions and the items a session reviews: their own module, re-exported here so callers
# keep writing `services.suggestion_create(...)`.
from .records import (  # noqa: E402, F401
    reviewed_item_record,
    suggestion_create,
    suggestion_evaluate,
    vote_outcome,
)
