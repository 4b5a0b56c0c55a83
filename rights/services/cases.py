"""Petition and request casework (信访与诉求, domain.md K): register, decide acceptance,
dispatch down the tree, record the handling, answer, close, follow up, review.

Deadlines are data (DeadlineRule) and are counted in calendar days from the day after the
event (民法典 art. 201): with 15 days to decide, a case received on 1 March may be decided up
to and including 16 March; on 17 March it is overdue."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access, validators
from members.crypto import blind_index
from members.models import Member, Organisation
from unionportal.core.audit import audit_event
from unionportal.core.steps import long_date

from ..models import (
    HANDLING,
    Case,
    CaseAttachment,
    CaseKind,
    CaseStatus,
    CaseStep,
    Category,
    Channel,
    DeadlineRule,
)

S = CaseStatus

__all__ = [
    "Conflict",
    "attachment_add",
    "case_accept",
    "case_answer",
    "case_close",
    "case_consult",
    "case_dispatch",
    "case_extend",
    "case_follow_up",
    "case_note",
    "case_register",
    "case_reject",
    "case_review",
    "cases_in_scope",
    "dispatch_targets",
    "possible_duplicates",
    "read_needs_audit",
    "overdue_q",
]


class Conflict(ValidationError):
    """Someone else acted on the case first."""


# --- Scope --------------------------------------------------------------------------------------


def cases_in_scope(user, capability: str = "view") -> QuerySet[Case]:
    """The cases a user may see: received, handled now, or once dispatched anywhere in a
    subtree where the user holds `capability` (a county sees an online request received by a
    grassroots union under it; a branch chair the cases received by or sent to their union)."""
    paths = access.scope_paths(user, capability)
    if not paths:
        return Case.objects.none()
    dispatched = Q()
    seen = Q()
    for p in paths:
        seen |= Q(received_by__path__startswith=p) | Q(handler__path__startswith=p)
        dispatched |= Q(to_organisation__path__startswith=p)
    sent_here = CaseStep.objects.filter(dispatched, case=OuterRef("pk"), action="dispatch")
    return Case.objects.filter(seen | Exists(sent_here))


def read_needs_audit(user, case: Case) -> bool:
    """A read by someone who holds no role at the receiving union itself is audited."""
    return not any(r.organisation_id == case.received_by_id for r in access.roles_of(user))


def _require(actor, capability: str, organisation: Organisation) -> None:
    if actor is not None and not access.can(actor, capability, organisation):
        raise PermissionDenied


def _lock(case: Case, *expected: str) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected and locked.status not in expected:
        raise Conflict(
            _("This case is now “%(status)s”: someone else acted on it first.")
            % {"status": locked.get_status_display()},
            code="conflict",
        )
    return locked


def _log(case: Case, actor, action: str, before: str, on: date, comment: str = "", to=None):
    CaseStep.objects.create(
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        acting_for=_acting_for(actor, case),
        on=on,
        action=action,
        from_status=before,
        to_status=case.status,
        to_organisation=to,
        comment=comment,
    )
    audit_event(case, f"case.{action}", actor=actor, changes={"status": [before, case.status]})


def _acting_for(actor, case: Case) -> Organisation | None:
    """The union the actor acted for: their nearest role above the handler or receiver."""
    best = None
    for role in access.roles_of(actor) if actor is not None else []:
        for org in (case.handler, case.received_by):
            if org.path.startswith(role.organisation.path):
                if best is None or role.organisation.depth > best.depth:
                    best = role.organisation
    return best


def _day(value, field: str, *, not_before: date | None = None, today: date) -> date:
    if value is None:
        raise ValidationError({field: _("Give the date.")})
    if value > today:
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {field: _("The date cannot be before %(day)s.") % {"day": long_date(not_before)}}
        )
    return value


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- Registering --------------------------------------------------------------------------------


def contact_index(contact: str) -> str:
    """The blind index of a phone number typed as the contact ('' when it is not one)."""
    try:
        return blind_index(validators.normalise_phone(contact))
    except ValidationError:
        return ""


def possible_duplicates(
    *,
    received_on: date,
    category: Category,
    member: Member | None = None,
    contact: str = "",
    exclude: int | None = None,
) -> QuerySet[Case]:
    """Cases of the same person (the member, or the same phone number) and category received
    within the rule's days before or after `received_on`: shown before saving, never blocking."""
    rule = DeadlineRule.in_force(received_on)
    try:
        window = (
            received_on - timedelta(days=rule.duplicate_days),
            received_on + timedelta(days=rule.duplicate_days),
        )
    except OverflowError:  # a date at the calendar's edge: the form refuses it anyway
        return Case.objects.none()
    who = Q(pk__in=[])
    if member is not None:
        who |= Q(member=member)
    index = contact_index(contact)
    if index:
        who |= Q(contact_index=index)
    qs = Case.objects.filter(who, category=category, received_on__range=window)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.select_related("received_by", "category")


def _next_number(year: int) -> str:
    """The year's next case number. On PostgreSQL a transaction-scoped advisory lock per year
    makes two registrations at once take turns (locking the last row does not: the first case
    of a year has none, and a waiter re-reads the same old last row)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x57510000, year])
    prefix = f"WQ{year}"
    last = (
        Case.objects.select_for_update()
        .filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


@transaction.atomic
def case_register(
    *,
    actor,
    received_by: Organisation,
    channel: str,
    received_on: date,
    category: Category,
    request: str,
    people: int = 1,
    kind: str = CaseKind.REQUEST,
    hotline: bool = False,
    member: Member | None = None,
    petitioner_name: str = "",
    petitioner_contact: str = "",
    employer: Organisation | None = None,
    employer_name: str = "",
    employer_uscc: str = "",
    today: date | None = None,
    token=None,
) -> Case:
    """Register a case received by `received_by`. `token` is the form's one-time token: a
    double-clicked save returns the case it already made."""
    if token is not None:
        existing = Case.objects.filter(idempotency_key=token).first()
        if existing is not None:
            return existing
    today = today or timezone.localdate()
    _require(actor, "case.register", received_by)
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the case came in.")
    if kind not in CaseKind.values:
        errors["kind"] = _("Choose whether it is a request or a consultation.")
    if not isinstance(category, Category) or not category.active:
        errors["category"] = _("Choose a subject from the list.")
    if people is None or people < 1:
        errors["people"] = _("At least one person brings a case.")
    if received_on is None:
        errors["received_on"] = _("Give the date.")
    elif received_on > today:
        errors["received_on"] = _("The date cannot be in the future.")
    elif received_on.year < 2000:
        errors["received_on"] = _("Check the date: it is before 2000.")
    if hotline and channel != Channel.CALL:
        errors["hotline"] = _("Only a call can come through the 12351 hotline.")
    if member is None and not (petitioner_name or "").strip():
        errors["petitioner_name"] = _("Find the member, or give the petitioner's name.")
    if not (request or "").strip():
        errors["request"] = _("Say what the petitioner asks for.")
    contact = (petitioner_contact or "").strip()
    masked = ""
    if contact:
        try:
            contact = validators.normalise_phone(contact)
            masked = validators.mask_mobile(contact)
        except ValidationError:
            masked = contact[:1] + "*" * max(0, min(len(contact), 12) - 1)
    uscc = ""
    if employer is None and employer_uscc:
        try:
            uscc = validators.normalise_uscc(employer_uscc)
        except ValidationError as exc:
            errors["employer_uscc"] = exc.messages[0]
    if employer is None and uscc and not employer_name.strip():
        errors["employer_name"] = _("Give the employer's name with its code.")
    if errors:
        raise ValidationError(errors)
    rule = DeadlineRule.in_force(received_on)
    name = member.name if member is not None else petitioner_name.strip()
    if member is not None and not contact and member.phone:
        contact = member.phone
        masked = validators.mask_mobile(member.phone)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                number=_next_number(received_on.year),
                channel=channel,
                hotline=hotline,
                kind=kind,
                received_on=received_on,
                received_by=received_by,
                handler=received_by,
                people=people,
                member=member,
                petitioner_name=name,
                petitioner_contact=contact,
                contact_masked=masked,
                contact_index=contact_index(contact),
                employer=employer,
                employer_name="" if employer else employer_name.strip(),
                employer_uscc="" if employer else uscc,
                category=category,
                request=request.strip(),
                accept_by=received_on + timedelta(days=rule.accept_days),
                created_by=actor,
                idempotency_key=token,
            )
    except IntegrityError:
        existing = Case.objects.filter(idempotency_key=token).first() if token else None
        if existing is None:
            raise
        return existing
    _log(case, actor, "receive", "", received_on)
    return case


# --- Acceptance ---------------------------------------------------------------------------------


@transaction.atomic
def case_accept(*, actor, case: Case, on: date, comment: str = "", today=None) -> Case:
    """Accept (受理): the conclusion deadline starts the day after."""
    today = today or timezone.localdate()
    case = _lock(case, S.RECEIVED)
    _require(actor, "case.manage", case.received_by)
    on = _day(on, "on", not_before=case.received_on, today=today)
    rule = case.rule()
    case.status = S.ACCEPTED
    case.accepted_on = on
    case.decision_reason = comment.strip()
    case.conclude_by = case.first_conclude_by = on + timedelta(days=rule.conclude_days)
    case.save()
    _log(case, actor, "accept", S.RECEIVED, on, comment.strip())
    return case


@transaction.atomic
def case_reject(*, actor, case: Case, on: date, reason: str, today=None) -> Case:
    """Not accept (不予受理), with the reason the petitioner is told."""
    today = today or timezone.localdate()
    case = _lock(case, S.RECEIVED)
    _require(actor, "case.manage", case.received_by)
    on = _day(on, "on", not_before=case.received_on, today=today)
    reason = _text(reason, "reason", _("Say why the case is not accepted."))
    case.status = S.NOT_ACCEPTED
    case.decision_reason = reason
    case.closed_on = on
    case.save()
    _log(case, actor, "reject", S.RECEIVED, on, reason)
    return case


@transaction.atomic
def case_consult(*, actor, case: Case, on: date, answer: str, today=None) -> Case:
    """A consultation answered and closed at once (咨询即答即结)."""
    today = today or timezone.localdate()
    case = _lock(case, S.RECEIVED)
    _require(actor, "case.manage", case.received_by)
    if case.kind != CaseKind.CONSULTATION:
        raise ValidationError(_("Only a consultation can be answered and closed at once."))
    on = _day(on, "on", not_before=case.received_on, today=today)
    answer = _text(answer, "answer", _("Write the answer given."))
    rule = case.rule()
    case.status = S.CLOSED
    case.accepted_on = case.answered_on = case.closed_on = on
    case.first_closed_on = on
    case.conclude_by = case.first_conclude_by = on + timedelta(days=rule.conclude_days)
    case.first_closed_on_time = True
    case.answer = case.outcome = answer
    case.review_by = on + timedelta(days=rule.review_days)
    case.save()
    _log(case, actor, "consult", S.RECEIVED, on, answer)
    return case


# --- Handling -----------------------------------------------------------------------------------


def dispatch_targets(case: Case) -> QuerySet[Organisation]:
    """Where the handler may send the case: an active union below it, inside the receiver's
    subtree (down the tree, never across)."""
    handler = case.handler
    return Organisation.objects.filter(
        path__startswith=handler.path, depth__gt=handler.depth, active=True
    ).filter(path__startswith=case.received_by.path)


@transaction.atomic
def case_dispatch(
    *, actor, case: Case, to: Organisation, due_on: date, on: date, comment: str = "", today=None
) -> Case:
    """Dispatch (交办/转办) the case down the tree with a due date."""
    today = today or timezone.localdate()
    case = _lock(case, *HANDLING)
    _require(actor, "case.manage", case.handler)
    on = _day(on, "on", not_before=case.accepted_on, today=today)
    if to is None or not dispatch_targets(case).filter(pk=to.pk).exists():
        raise ValidationError(
            {
                "to": _("A case goes down the tree: choose a union under %(handler)s.")
                % {"handler": case.handler.name}
            }
        )
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date by which it is to be handled.")})
    if due_on < on or due_on < case.received_on:
        raise ValidationError({"due_on": _("The due date cannot be before the dispatch.")})
    if case.conclude_by and due_on > case.conclude_by:
        raise ValidationError(
            {
                "due_on": _("The due date cannot be after the case's deadline, %(day)s.")
                % {"day": long_date(case.conclude_by)}
            }
        )
    before = case.status
    case.status = S.DISPATCHED
    case.handler = to
    case.handle_by = due_on
    case.save()
    _log(case, actor, "dispatch", before, on, comment.strip(), to=to)
    return case


@transaction.atomic
def case_note(*, actor, case: Case, on: date, text: str, today=None) -> Case:
    """The handler records a step of the handling (a talk with the employer, a site visit)."""
    today = today or timezone.localdate()
    case = _lock(case, *HANDLING)
    _require(actor, "case.handle", case.handler)
    on = _day(on, "on", not_before=case.received_on, today=today)
    text = _text(text, "text", _("Write what was done."))
    _log(case, actor, "note", case.status, on, text)
    return case


@transaction.atomic
def case_extend(*, actor, case: Case, days: int, reason: str, on: date, today=None) -> Case:
    """Extend the conclusion deadline once, by at most the rule's days, with a reason, before
    it has passed."""
    today = today or timezone.localdate()
    case = _lock(case, *HANDLING)
    _require(actor, "case.manage", case.received_by)
    rule = case.rule()
    if case.extended_by_days:
        raise ValidationError(_("The deadline of a case can be extended only once."))
    if not days or days < 1 or days > rule.extension_days:
        raise ValidationError(
            {"days": _("Extend by 1 to %(max)s days.") % {"max": rule.extension_days}}
        )
    on = _day(on, "on", not_before=case.accepted_on, today=today)
    if on > case.conclude_by:
        raise ValidationError(
            _("The deadline, %(day)s, has passed: it can no longer be extended.")
            % {"day": long_date(case.conclude_by)}
        )
    reason = _text(reason, "reason", _("Say why more time is needed."))
    case.extended_by_days = days
    case.extension_reason = reason
    case.conclude_by = case.conclude_by + timedelta(days=days)
    if case.first_closed_on is None:
        case.first_conclude_by = case.conclude_by
    case.save()
    _log(case, actor, "extend", case.status, on, reason)
    return case


@transaction.atomic
def case_answer(*, actor, case: Case, on: date, answer: str, today=None) -> Case:
    """The handler's answer to the petitioner (答复意见); the receiver then closes the case."""
    today = today or timezone.localdate()
    case = _lock(case, *HANDLING)
    _require(actor, "case.handle", case.handler)
    on = _day(on, "on", not_before=case.accepted_on, today=today)
    answer = _text(answer, "answer", _("Write the answer given."))
    before = case.status
    case.status = S.ANSWERED
    case.answer = answer
    case.answered_on = on
    case.review_by = on + timedelta(days=case.rule().review_days)
    case.save()
    _log(case, actor, "answer", before, on, answer)
    return case


@transaction.atomic
def case_close(*, actor, case: Case, on: date, outcome: str, today=None) -> Case:
    """Close (办结) an answered case with its outcome. The first closure is kept for the
    figures: on time when it is on or before the conclusion deadline."""
    today = today or timezone.localdate()
    case = _lock(case, S.ANSWERED)
    _require(actor, "case.manage", case.received_by)
    on = _day(on, "on", not_before=case.answered_on, today=today)
    outcome = _text(outcome, "outcome", _("Write how the case ended."))
    case.status = S.CLOSED
    case.outcome = outcome
    case.closed_on = on
    if case.first_closed_on is None:
        case.first_closed_on = on
        case.first_closed_on_time = on <= case.conclude_by
    case.save()
    _log(case, actor, "close", S.ANSWERED, on, outcome)
    return case


@transaction.atomic
def case_follow_up(
    *, actor, case: Case, on: date, satisfaction: str, comment: str = "", today=None
) -> Case:
    """The follow-up call (回访): how satisfied the petitioner is."""
    from ..models import Satisfaction

    today = today or timezone.localdate()
    case = _lock(case, S.CLOSED)
    _require(actor, "case.manage", case.received_by)
    if case.kind == CaseKind.CONSULTATION:
        raise ValidationError(_("A consultation has no follow-up."))
    if case.followed_up_on is not None:
        raise ValidationError(_("This case has been followed up already."))
    on = _day(on, "on", not_before=case.closed_on, today=today)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose what the petitioner said.")})
    case.satisfaction = satisfaction
    case.followed_up_on = on
    case.save()
    _log(case, actor, "follow_up", S.CLOSED, on, comment.strip())
    return case


@transaction.atomic
def case_review(*, actor, case: Case, on: date, reason: str, today=None) -> Case:
    """A review request (复查) within the rule's days of the answer reopens the case: the
    receiver handles it again, with the rule's review days to conclude."""
    today = today or timezone.localdate()
    case = _lock(case, S.CLOSED)
    _require(actor, "case.manage", case.received_by)
    if case.kind == CaseKind.CONSULTATION:
        raise ValidationError(_("A consultation cannot be reviewed; register a new case."))
    on = _day(on, "on", not_before=case.answered_on, today=today)
    if on > case.review_by:
        raise ValidationError(
            {
                "on": _("A review had to be requested by %(day)s.")
                % {"day": long_date(case.review_by)}
            }
        )
    reason = _text(reason, "reason", _("Say what the petitioner disputes."))
    rule = case.rule()
    case.status = S.ACCEPTED
    case.handler = case.received_by
    case.handle_by = None
    case.closed_on = None
    # The new answer gets its own follow-up; the old one stays in the steps log.
    case.satisfaction = ""
    case.followed_up_on = None
    case.conclude_by = on + timedelta(days=rule.review_days)
    case.reviews += 1
    case.save()
    _log(case, actor, "review", S.CLOSED, on, reason)
    return case


@transaction.atomic
def attachment_add(*, actor, case: Case, title: str, upload, content_type: str) -> CaseAttachment:
    _require(actor, "case.handle", case.handler)
    if case.status in (S.CLOSED, S.NOT_ACCEPTED):
        raise ValidationError(_("A closed case takes no more files."))
    item = CaseAttachment(case=case, title=title, content_type=content_type, uploaded_by=actor)
    item.file.save(upload.name, upload, save=False)
    item.save()
    audit_event(case, "case.attachment_add", actor=actor, title=title)
    return item


def overdue_q(today: date) -> Q:
    """Cases past a deadline today: acceptance not decided, handling not concluded, or a
    dispatched case not handled by its due date."""
    return (
        Q(status=S.RECEIVED, accept_by__lt=today)
        | Q(status__in=HANDLING, conclude_by__lt=today)
        | Q(status=S.DISPATCHED, handle_by__lt=today)
    )
