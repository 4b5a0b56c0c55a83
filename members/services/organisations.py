"""Writes for organisations, accounts and roles. Views, admin, commands and tasks call these.

Each service validates, writes inside one transaction and leaves an audit trail.
"""

from __future__ import annotations

import secrets
import string
from datetime import date

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core.audit import audit_event

from .. import access
from ..models import (
    CURRENT_STATUSES,
    Member,
    Organisation,
    OrgKind,
    Role,
    RoleName,
    User,
    UserSession,
)

ORG_FIELDS = (
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
    "founded_on",
    "term_start",
    "term_end",
    "has_audit_committee",
    "has_women_committee",
)


# --- Organisations ------------------------------------------------------------------------


def _check_parent(org: Organisation, parent: Organisation | None) -> None:
    if parent is not None and not parent.active:
        raise ValidationError(
            {
                "parent": _("%(parent)s has been dissolved; choose an active organisation.")
                % {"parent": parent}
            }
        )
    if not org.allowed_under(parent):
        if parent is None:
            msg = _("Only the city federation stands at the top of the tree; choose a parent.")
        else:
            msg = _("A %(kind)s cannot sit under a %(parent_kind)s.") % {
                "kind": org.kind_display(),
                "parent_kind": parent.kind_display(),
            }
        raise ValidationError({"parent": msg})


def _check_term(org: Organisation) -> None:
    if org.term_start and org.term_end:
        years = (org.term_end - org.term_start).days / 365.25
        if not 2.9 <= years <= 5.1:
            raise ValidationError(
                {
                    "term_end": _(
                        "A union's term of office is 3 to 5 years; changing it needs "
                        "the higher union's approval."
                    )
                }
            )
    reported = org.employees is not None and org.migrant_employees is not None
    if reported and org.migrant_employees > org.employees:
        raise ValidationError(
            {"migrant_employees": _("Migrant employees cannot exceed the number of employees.")}
        )
    if org.kind != OrgKind.JOINT_GRASSROOTS:
        # Only a joint union covers several employers; any other union stands for its own.
        org.employers_covered = 1
    if org.kind != "federation":
        org.level = ""
    elif not org.level:
        raise ValidationError({"level": _("Choose whether the federation is city or county.")})


@transaction.atomic
def organisation_create(
    *, actor: User | None, parent: Organisation | None, **fields
) -> Organisation:
    org = Organisation(**{k: v for k, v in fields.items() if k in ORG_FIELDS})
    if actor is not None:
        if parent is None or not access.can(actor, "organisation.manage", parent):
            raise PermissionDenied
    _check_parent(org, parent)
    _check_term(org)
    if parent is None and Organisation.get_root_nodes().exists():
        raise ValidationError({"parent": _("The tree already has its city federation.")})
    org.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return Organisation.add_root(instance=org)
    parent = Organisation.objects.get(pk=parent.pk)  # treebeard needs a fresh numchild
    return parent.add_child(instance=org)


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, version: int | None = None, **fields
) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if version is not None and org.version != version:
        raise ValidationError(
            _(
                "Someone else saved this organisation after you opened it. Reload the page, "
                "check their changes and save again."
            )
        )
    if actor is not None:
        access.require(actor, "organisation.manage", org)
    for key, value in fields.items():
        if key in ORG_FIELDS and key != "kind":
            setattr(org, key, value)
    _check_term(org)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.version += 1
    org.save()
    return org


@transaction.atomic
def organisation_move(
    *, actor: User | None, organisation: Organisation, new_parent: Organisation
) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    new_parent = Organisation.objects.get(pk=new_parent.pk)
    old_parent = org.get_parent()
    if actor is not None:
        # The actor must manage both the node (its old place) and where it goes.
        access.require(actor, "organisation.manage", org)
        access.require(actor, "organisation.manage", new_parent)
        if old_parent is None:
            raise PermissionDenied
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("An organisation cannot move under itself or one of its own branches.")}
        )
    if old_parent and old_parent.pk == new_parent.pk:
        raise ValidationError({"parent": _("The organisation already sits there.")})
    _check_parent(org, new_parent)
    org.move(new_parent, pos="sorted-child")
    org = Organisation.objects.get(pk=org.pk)
    audit_event(
        org,
        "organisation.move",
        changes={"parent": [str(old_parent), str(new_parent)]},
        actor=actor,
    )
    return org


def current_member_count(org: Organisation) -> int:
    return Member.objects.filter(
        organisation__path__startswith=org.path, status__in=CURRENT_STATUSES
    ).count()


@transaction.atomic
def organisation_dissolve(
    *, actor: User | None, organisation: Organisation, on: date, reason: str
) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if actor is not None:
        access.require(actor, "organisation.manage", org)
        if org.is_root():
            raise PermissionDenied
    if not org.active:
        raise ValidationError(_("This organisation has already been dissolved."))
    if not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "Give the reason for dissolving, e.g. the "
                    "employer closed, with the approval document."
                )
            }
        )
    if org.get_descendants().filter(active=True).exists():
        raise ValidationError(_("Move or dissolve its active branches and groups first."))
    held = current_member_count(org)
    if held:
        raise ValidationError(
            _("%(name)s still holds %(n)d current members; transfer them to another union first.")
            % {"name": org.name, "n": held}
        )
    org.active = False
    org.dissolved_on = on
    org.dissolved_reason = reason.strip()
    org.version += 1
    org.save()
    # Its officers' roles end with it; the history stays.
    for role in Role.objects.filter(organisation=org, active_to__isnull=True):
        role_end(actor=None, role=role, on=on)
    return org


# --- Accounts -------------------------------------------------------------------------------


def generate_initial_password() -> str:
    """A one-time password that satisfies the validators: 4 groups of letters and digits."""
    alphabet = string.ascii_letters + string.digits
    while True:
        groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4)]
        pwd = "-".join(groups)
        if (
            any(c.islower() for c in pwd)
            and any(c.isupper() for c in pwd)
            and any(c.isdigit() for c in pwd)
        ):
            return pwd


def end_sessions(user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def account_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    organisation: Organisation,
    email: str = "",
) -> tuple[User, str]:
    """Create an account with a one-time password, which the creator hands over in person."""
    if actor is not None:
        access.require(actor, "account.manage", organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken; choose another.")})
    password = generate_initial_password()
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        organisation=organisation,
        must_change_password=True,
        created_by=actor,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user, password


@transaction.atomic
def account_update(*, actor: User | None, account: User, **fields) -> User:
    if actor is not None:
        access.require(actor, "account.manage", account.organisation)
        new_org = fields.get("organisation")
        if new_org is not None:
            access.require(actor, "account.manage", new_org)
    for key in ("full_name", "email", "organisation"):
        if key in fields:
            setattr(account, key, fields[key])
    account.full_clean()
    account.save()
    return account


@transaction.atomic
def account_reset_password(*, actor: User, account: User) -> str:
    access.require(actor, "account.manage", account.organisation)
    password = generate_initial_password()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    end_sessions(account)
    audit_event(account, "account.password_reset", actor=actor)
    return password


@transaction.atomic
def account_set_active(*, actor: User, account: User, active: bool) -> User:
    access.require(actor, "account.manage", account.organisation)
    if account.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    account.is_active = active
    account.save(update_fields=["is_active"])
    if not active:
        end_sessions(account)
    return account


def password_changed(*, user: User) -> None:
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["must_change_password", "password_changed_at"])


# --- Roles ----------------------------------------------------------------------------------


def _auditor_alone_problem(user: User, role: str) -> str | None:
    """The auditor role is held alone (security.md D7): no other role on the same account."""
    held = Role.objects.filter(user=user, active_to__isnull=True)
    if role == RoleName.AUDITOR and held.exclude(role=RoleName.AUDITOR).exists():
        return _(
            "The auditor role is held alone: end this account's other roles first, or use "
            "another account."
        )
    if role != RoleName.AUDITOR and held.filter(role=RoleName.AUDITOR).exists():
        return _("This account holds the auditor role, which is held alone.")
    return None


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    organisation: Organisation,
    role: str,
    active_from: date | None = None,
) -> Role:
    """Grant a role. An auditor role granted by an administrator waits for a second one to
    confirm it (role_confirm); one granted by the system or the operator command
    (actor=None) is in force at once, and the command audits it."""
    if actor is not None:
        if role not in access.grantable_roles(actor, organisation):
            raise PermissionDenied
        access.require(actor, "account.manage", user.organisation)
    if role not in access.ROLE_ORG_KINDS or organisation.kind not in access.ROLE_ORG_KINDS[role]:
        raise ValidationError({"role": _("This role cannot be held at that kind of organisation.")})
    if not organisation.active:
        raise ValidationError({"organisation": _("That organisation has been dissolved.")})
    User.objects.select_for_update().filter(pk=user.pk).first()  # one grant at a time
    if Role.objects.filter(
        user=user, organisation=organisation, role=role, active_to__isnull=True
    ).exists():
        raise ValidationError({"role": _("The account already holds this role there.")})
    problem = _auditor_alone_problem(user, role)
    if problem:
        raise ValidationError({"role": problem})
    grant = Role(
        user=user,
        organisation=organisation,
        role=role,
        active_from=active_from or timezone.localdate(),
        granted_by=actor,
    )
    if role == RoleName.AUDITOR and actor is None:
        grant.confirmed_at = timezone.now()
    grant.full_clean()
    grant.save()
    if role == RoleName.AUDITOR:
        event = "role.auditor_granted" if actor is None else "role.auditor_requested"
        audit_event(grant, event, actor=actor, account=user.username)
    access.forget_roles(user)
    return grant


def _second_admin(actor: User, role: Role, first: User | None) -> None:
    if not access.can(actor, "rules.edit"):
        raise PermissionDenied
    if actor.pk in (getattr(first, "pk", None), role.user_id):
        raise ValidationError(
            _("A second administrator confirms this: not the one who asked, nor the account.")
        )


@transaction.atomic
def role_confirm(*, actor: User, role: Role) -> Role:
    """A second administrator confirms an auditor grant, or its removal."""
    role = Role.objects.select_for_update().select_related("user").get(pk=role.pk)
    if role.role != RoleName.AUDITOR or role.active_to is not None:
        raise ValidationError(_("Nothing here waits for confirmation."))
    if role.end_requested_by_id:
        _second_admin(actor, role, role.end_requested_by)
        role.active_to = max(role.active_from, timezone.localdate())
        role.save(update_fields=["active_to"])
        audit_event(
            role,
            "role.auditor_removal_confirmed",
            actor=actor,
            requested_by=role.end_requested_by.username,
        )
    elif role.confirmed_at is None:
        _second_admin(actor, role, role.granted_by)
        role.confirmed_by = actor
        role.confirmed_at = timezone.now()
        role.save(update_fields=["confirmed_by", "confirmed_at"])
        audit_event(
            role,
            "role.auditor_confirmed",
            actor=actor,
            granted_by=role.granted_by.username if role.granted_by else "",
        )
    else:
        raise ValidationError(_("Nothing here waits for confirmation."))
    access.forget_roles(role.user)
    return role


@transaction.atomic
def role_end(*, actor: User | None, role: Role, on: date | None = None) -> Role:
    """End a role. An administrator's removal of a confirmed auditor role waits for a second
    administrator (role_confirm); an unconfirmed grant is simply withdrawn."""
    if actor is not None:
        access.require(actor, "account.manage", role.organisation)
        access.require(actor, "account.manage", role.user.organisation)
    if role.role == RoleName.AUDITOR and actor is not None and role.confirmed_at is not None:
        if not access.can(actor, "rules.edit"):
            raise PermissionDenied
        role.end_requested_by = actor
        role.save(update_fields=["end_requested_by"])
        audit_event(role, "role.auditor_removal_requested", actor=actor)
        return role
    # A role ended today stops working today (active_to is the first day without it).
    role.active_to = max(role.active_from, on or timezone.localdate())
    role.save(update_fields=["active_to"])
    access.forget_roles(role.user)
    return role


def link_session(request, user: User | None = None) -> None:
    """Remember which session belongs to the logged-in account (after login or a key change)."""
    user = user or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    if not request.session.session_key:
        request.session.save()
    UserSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )
