"""Join applications: the public form's rules, the union's decision, the public status check.

The public side never tells whether an ID is a member: an application of someone who is
already a member elsewhere is received like any other ("已受理"), and only the receiving
union's staff see that a transfer is needed (the one-person-one-membership check).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import (
    GRASSROOTS_KINDS,
    HOLDING_KINDS,
    EmploymentType,
    Member,
    MemberStatus,
    Organisation,
    Transfer,
)
from members.services import card_issue, member_register, transfer_request
from members.validators import normalise_mobile, normalise_uscc, parse_resident_id
from unionportal.core.audit import audit_event

from ..models import (
    PRIVACY_NOTICE_VERSION,
    TRANSITIONS,
    ApplicationStatus,
    JoinApplication,
)

S = ApplicationStatus
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
MAX_MATCHES = 10


# --- Where a worker applies --------------------------------------------------------------------


def employer_unions(text: str) -> list[Organisation]:
    """Grassroots unions whose employer matches `text`: its USCC exactly, or its name."""
    text = (text or "").strip()
    if not text:
        return []
    unions = Organisation.objects.active().filter(kind__in=GRASSROOTS_KINDS)
    try:
        code = normalise_uscc(text)
    except ValidationError:
        code = ""
    if code:
        return list(unions.filter(Q(uscc=code) | Q(employer_uscc=code))[:MAX_MATCHES])
    return list(
        unions.filter(
            Q(name__icontains=text) | Q(employer_name__icontains=text) | Q(short_name=text)
        )[:MAX_MATCHES]
    )


def area_unions() -> QuerySet[Organisation]:
    """Where a worker whose employer has no union applies: the township (street) and park
    unions, which hold such members (domain.md C, L)."""
    return Organisation.objects.active().filter(kind__in=HOLDING_KINDS).order_by("path")


def may_receive(org: Organisation) -> bool:
    return org.active and (org.kind in GRASSROOTS_KINDS or org.kind in HOLDING_KINDS)


# --- The public form ---------------------------------------------------------------------------


def _new_reference(today: date) -> str:
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"RH{today:%y%m%d}{tail}"


def is_member_somewhere(number: str) -> bool:
    return Member.objects.current().with_resident_id(number).exists()


def application_submit(
    *,
    organisation: Organisation | None,
    name: str,
    resident_id: str,
    mobile: str,
    employment_type: str,
    is_migrant: bool,
    consent: bool,
    employer_text: str = "",
    no_union_at_employer: bool = False,
) -> JoinApplication:
    """Check everything first (a dict of Chinese errors, nothing written), then write the
    application in one transaction."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give your name as on your resident ID card.")
    elif len(name) > 60:
        errors["name"] = _("The name is too long.")
    rid = None
    try:
        rid = parse_resident_id(resident_id or "")
    except ValidationError as exc:
        errors["resident_id"] = exc.messages[0]
    try:
        mobile = normalise_mobile(mobile or "")
    except ValidationError as exc:
        errors["mobile"] = exc.messages[0]
    if employment_type not in EmploymentType.values:
        errors["employment_type"] = _("Choose your employment type.")
    if organisation is None or not may_receive(organisation):
        errors["employer"] = (
            _("Choose the township, street or park union of your workplace.")
            if no_union_at_employer
            else _(
                "No union of that employer was found. Type its full name or its unified "
                "social credit code, or tick “my employer has no union”."
            )
        )
    if not consent:
        errors["consent"] = _("Please read and agree to the privacy notice to apply.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    app = JoinApplication(
        organisation=organisation,
        employer_text=(employer_text or "").strip()[:200],
        no_union_at_employer=no_union_at_employer,
        name=name,
        gender=rid.gender,
        birth_date=rid.birth_date,
        mobile=mobile,
        employment_type=employment_type,
        is_migrant=bool(is_migrant),
        consent_version=PRIVACY_NOTICE_VERSION,
        consented_at=now,
        submitted_at=now,
        transfer_needed=is_member_somewhere(rid.number),
    )
    app.set_resident_id(rid.number)
    for _attempt in range(5):
        app.reference = _new_reference(timezone.localdate(now))
        try:
            with transaction.atomic():
                app.save()
            break
        except IntegrityError:
            if not JoinApplication.objects.filter(reference=app.reference).exists():
                raise
    audit_event(
        app,
        "join.submit",
        union=organisation.name,
        transfer_needed=app.transfer_needed,
        consent_version=app.consent_version,
    )
    return app


def public_status(reference: str, id_tail: str) -> JoinApplication | None:
    """The application with that reference whose resident ID ends with `id_tail` (6
    characters), or None: a wrong pair says nothing about which part was wrong."""
    reference = (reference or "").strip().upper()
    id_tail = (id_tail or "").strip().upper()
    if len(id_tail) != 6 or not reference:
        return None
    app = JoinApplication.objects.select_related("organisation").filter(reference=reference).first()
    if app is None or not secrets.compare_digest(app.resident_id[-6:], id_tail):
        return None
    return app


def public_outcome(app: JoinApplication) -> str:
    """What the applicant is told: received (also while a transfer is arranged), approved
    (with the day membership began) or not approved (with the reason)."""
    if app.status == S.APPROVED and not app.transfer_needed:
        return _("Approved: you are a member of %(union)s since %(day)s.") % {
            "union": app.organisation.name,
            "day": app.decided_on.isoformat(),
        }
    if app.status == S.REJECTED:
        return _("Not approved. The union's reason: %(reason)s") % {"reason": app.reject_reason}
    return _("Received (已受理): the union will contact you.")


# --- The union decides -------------------------------------------------------------------------


def applications_in_scope(user) -> QuerySet[JoinApplication]:
    return access.scope(
        user, JoinApplication.objects.select_related("organisation"), org_field="organisation"
    )


def pending_for(user) -> QuerySet[JoinApplication]:
    return access.scope(
        user,
        JoinApplication.objects.filter(status=S.PENDING),
        org_field="organisation",
        capability="join.decide",
    )


def _lock(app: JoinApplication) -> JoinApplication:
    return JoinApplication.objects.select_for_update().select_related("organisation").get(pk=app.pk)


def _move(app: JoinApplication, to: str, actor) -> None:
    if to not in TRANSITIONS[app.status]:
        raise ValidationError(
            _("This application is already “%(status)s”.") % {"status": app.get_status_display()}
        )
    before = app.status
    app.status = to
    app.decided_at = timezone.now()
    app.decided_by = actor
    audit_event(app, f"join.{to}", actor=actor, changes={"status": [before, to]})


def card_number_for(member: Member) -> str:
    """The service card number of a member who joined online (the demo's card rule)."""
    return f"6217{member.pk:012d}"


@transaction.atomic
def application_approve(*, actor, application: JoinApplication) -> JoinApplication:
    """The chair approves: membership starts today, through the members services (the
    city-wide check runs again there), and the service card is issued."""
    app = _lock(application)
    access.require(actor, "join.decide", app.organisation)
    if app.status == S.PENDING and (app.transfer_needed or is_member_somewhere(app.resident_id)):
        raise ValidationError(
            _(
                "This person already holds a membership in the city: request the transfer "
                "instead of approving."
            )
        )
    _move(app, S.APPROVED, actor)
    today = timezone.localdate()
    member = member_register(
        actor=actor,
        organisation=app.organisation,
        resident_id=app.resident_id,
        status=MemberStatus.ACTIVE,
        name=app.name,
        phone=app.mobile,
        employment_type=app.employment_type,
        is_migrant=app.is_migrant,
        joined_on=today,
        applied_on=min(timezone.localdate(app.submitted_at), today),
    )
    card_issue(actor=actor, member=member, number=card_number_for(member), issued_on=today)
    app.member = member
    app.save()
    return app


@transaction.atomic
def application_reject(*, actor, application: JoinApplication, reason: str) -> JoinApplication:
    app = _lock(application)
    access.require(actor, "join.decide", app.organisation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the applicant will see it.")})
    _move(app, S.REJECTED, actor)
    app.reject_reason = reason
    app.save()
    return app


@transaction.atomic
def application_request_transfer(*, actor, application: JoinApplication) -> Transfer:
    """The applicant is a member elsewhere: the receiving union requests the transfer (as the
    members pages do after the one-membership check); the holding union decides it."""
    app = _lock(application)
    access.require(actor, "join.decide", app.organisation)
    if app.status != S.PENDING or not app.transfer_needed:
        raise ValidationError(_("This application does not need a transfer."))
    held = Member.objects.current().with_resident_id(app.resident_id).first()
    if held is None:
        raise ValidationError(
            _("The person no longer holds a membership elsewhere: approve the application.")
        )
    if not access.can(actor, "member.edit", app.organisation):
        raise PermissionDenied
    transfer = transfer_request(
        actor=actor,
        member=held,
        to_organisation=app.organisation,
        reason=_("Applied online to join %(union)s (%(ref)s)")
        % {"union": app.organisation.name, "ref": app.reference},
        side=Transfer.Side.RECEIVING,
    )
    _move(app, S.APPROVED, actor)
    app.member = held
    app.save()
    return transfer
