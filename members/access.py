"""The one scoping function, and who may do what (architecture.md "Who may do what").

`scope(user, queryset)` turns a queryset of union-owned rows into the rows the user may see.
Every list, detail, form and export goes through it, directly or through
`get_object_for_user` / `ScopedObjectMixin`: out of scope answers 404, in scope but lacking
the capability answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from unionportal.core.models import FileJob

from .models import Member, Organisation, Role, RoleName, Transfer

R = RoleName

# Capability -> roles that carry it. Each role reaches its organisation's subtree.
CAPABILITIES: dict[str, set[str]] = {
    # read union-owned data (the auditor reads the audit log and nothing else)
    "view": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    "organisation.manage": {R.FEDERATION_ADMIN, R.UNION_STAFF},
    "account.manage": {R.FEDERATION_ADMIN, R.UNION_STAFF},
    "rules.edit": {R.FEDERATION_ADMIN},
    "member.edit": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    "member.delete": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF, R.BRANCH_CHAIR},
    "member.reveal": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF, R.BRANCH_CHAIR},
    "export.sensitive": {R.FEDERATION_ADMIN},
    "export": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    "audit.read": {R.AUDITOR},
    "jobs.view": {R.FEDERATION_ADMIN},
    # congress sessions, delegates, motions, suggestions, reviewed items
    "congress.manage": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    # welfare (architecture.md: hardship files and relief; condolence visits and campaigns)
    "relief.draft": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    "relief.submit": {R.BRANCH_CHAIR},
    "relief.review": {R.FEDERATION_STAFF, R.UNION_STAFF},
    "relief.approve": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF},
    "welfare.visit": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    "campaign.budget": {R.FEDERATION_ADMIN},
    # competitions and honours: staff run them; grassroots unions enter their own entries
    "competition.manage": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF},
    "competition.enter": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    "honour.manage": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF},
    # quarterly reports: the officer drafts, the chair submits (a county, township or park
    # union's staff fill and submit their own); staff above review
    "report.draft": {R.UNION_STAFF, R.BRANCH_CHAIR, R.BRANCH_OFFICER},
    "report.submit": {R.UNION_STAFF, R.BRANCH_CHAIR},
    "report.review": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF},
    "period.manage": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF},
    # rights casework (domain.md K): any union registers what it receives and handles what is
    # sent to it; officers record and answer, the chair or staff decide, dispatch and close
    "case.register": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    "case.manage": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF, R.BRANCH_CHAIR},
    "case.handle": {
        R.FEDERATION_ADMIN,
        R.FEDERATION_STAFF,
        R.UNION_STAFF,
        R.BRANCH_CHAIR,
        R.BRANCH_OFFICER,
    },
    # collective contracts and mediation (domain.md K): union staff and the chair record them
    "contract.manage": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF, R.BRANCH_CHAIR},
    "mediation.manage": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF, R.BRANCH_CHAIR},
    # 六有六好 assessment: the union scores itself; the county or industry union reviews;
    # the federation opens rounds and confirms
    "assessment.self": {R.BRANCH_CHAIR, R.BRANCH_OFFICER},
    "assessment.review": {R.FEDERATION_STAFF, R.UNION_STAFF},
    "assessment.confirm": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF},
    "assessment.manage": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF},
    # online join applications (issue 19): the chair (or a holding union's staff) decides
    "join.decide": {R.FEDERATION_ADMIN, R.FEDERATION_STAFF, R.UNION_STAFF, R.BRANCH_CHAIR},
}

# Which kinds of organisation each role may be held at.
ROLE_ORG_KINDS: dict[str, set[str]] = {
    R.FEDERATION_ADMIN: {"federation"},
    R.AUDITOR: {"federation"},
    R.FEDERATION_STAFF: {"federation"},
    R.UNION_STAFF: {"federation", "industry_union", "township_union", "park_union"},
    R.BRANCH_CHAIR: {"grassroots", "joint_grassroots"},
    R.BRANCH_OFFICER: {"grassroots", "joint_grassroots"},
}
# Roles that only a federation administrator may grant.
FEDERATION_ROLES = {R.FEDERATION_ADMIN, R.AUDITOR, R.FEDERATION_STAFF}


def _roles(user) -> list[Role]:
    """The user's current roles, read once per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_current_roles", None)
    if cached is None:
        cached = list(Role.objects.current().filter(user=user).select_related("organisation"))
        user._current_roles = cached
    return cached


def forget_roles(user) -> None:
    user.__dict__.pop("_current_roles", None)


def roles_of(user) -> list[Role]:
    return _roles(user)


def _minimal_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another path already in the list."""
    kept: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def scope_paths(user, capability: str = "view") -> list[str]:
    allowed = CAPABILITIES[capability]
    return _minimal_paths(r.organisation.path for r in _roles(user) if r.role in allowed)


def scope(
    user, queryset: QuerySet, *, org_field: str | None = None, capability: str = "view"
) -> QuerySet:
    """The rows of `queryset` the user may see: those whose organisation lies in a subtree
    the user holds a role over. `org_field` names the path to the organisation ("" or None
    when the queryset is of organisations themselves)."""
    paths = scope_paths(user, capability)
    if not paths:
        return queryset.none()
    lookup = f"{org_field}__path__startswith" if org_field else "path__startswith"
    return queryset.filter(reduce(or_, (Q(**{lookup: p}) for p in paths)))


def can(user, capability: str, organisation: Organisation | None = None) -> bool:
    """Whether the user holds `capability` over `organisation` (or anywhere, when None)."""
    allowed = CAPABILITIES[capability]
    for role in _roles(user):
        if role.role not in allowed:
            continue
        if organisation is None or organisation.path.startswith(role.organisation.path):
            return True
    return False


def require(user, capability: str, organisation: Organisation | None = None) -> None:
    if not can(user, capability, organisation):
        raise PermissionDenied


def organisation_of(obj: Model) -> Organisation:
    if isinstance(obj, Organisation):
        return obj
    org = getattr(obj, "scope_organisation", None) or getattr(obj, "organisation", None)
    if org is None:
        raise ValueError(f"{type(obj).__name__} has no organisation to scope by")
    return org


def get_object_for_user(
    user,
    queryset: QuerySet,
    *,
    org_field: str | None = None,
    capability: str | None = None,
    **lookup,
) -> Model:
    """Resolve one object through the scoping queryset: 404 when out of scope, 403 when in
    scope but the user lacks `capability` over its organisation."""
    obj = get_object_or_404(scope(user, queryset, org_field=org_field), **lookup)
    if capability:
        require(user, capability, organisation_of(obj))
    return obj


def organisations_in_scope(user) -> QuerySet[Organisation]:
    """The organisations the user's roles reach."""
    return scope(user, Organisation.objects.all())


def members_in_scope(user, capability: str = "view") -> QuerySet[Member]:
    """The members of the organisations where the user holds `capability`."""
    return scope(user, Member.objects.all(), org_field="organisation", capability=capability)


def transfers_in_scope(user) -> QuerySet[Transfer]:
    """Transfers either side of which the user can see (the other side of a transfer is
    the one cross-scope read architecture.md allows here)."""
    paths = scope_paths(user)
    if not paths:
        return Transfer.objects.none()
    q = Q()
    for p in paths:
        q |= Q(from_organisation__path__startswith=p) | Q(to_organisation__path__startswith=p)
    return Transfer.objects.filter(q)


def file_jobs_of(user) -> QuerySet:
    """A person's own import and export jobs, still within the scope they hold now (a revoked
    role hides the files made under it: security.md D6)."""
    return scope(user, FileJob.objects.filter(created_by=user), org_field="organisation")


def primary_role(user) -> Role | None:
    """The role shown in the top bar: the one held highest in the tree."""
    roles = _roles(user)
    return min(roles, key=lambda r: (r.organisation.depth, r.role)) if roles else None


def grantable_roles(user, organisation: Organisation) -> list[str]:
    """Roles this user may grant at `organisation`."""
    if not can(user, "account.manage", organisation):
        return []
    is_admin = can(user, "rules.edit")
    return [
        name
        for name, kinds in ROLE_ORG_KINDS.items()
        if organisation.kind in kinds and (is_admin or name not in FEDERATION_ROLES)
    ]


# --- Who acts next on a case --------------------------------------------------------------------


def _ancestor_paths(organisation: Organisation, *, strictly_above: bool) -> list[str]:
    step = Organisation.steplen
    paths = [organisation.path[:end] for end in range(step, len(organisation.path) + 1, step)]
    return paths[:-1] if strictly_above else paths


def acting_role(
    organisation: Organisation, capability: str, *, strictly_above: bool = False
) -> tuple[Organisation, str] | None:
    """Who acts next on a case of `organisation` that needs `capability`: the nearest
    organisation at or above it (strictly above with `strictly_above`) where someone holds a
    current role carrying the capability, and that role. With nobody holding one there, the
    nearest organisation whose kind can hold such a role: the step indicator then names
    the union that should act, even before its officers have accounts."""
    allowed = CAPABILITIES[capability]
    paths = _ancestor_paths(organisation, strictly_above=strictly_above)
    held = (
        Role.objects.current()
        .filter(role__in=allowed, organisation__path__in=paths, user__is_active=True)
        .select_related("organisation")
        .order_by("-organisation__depth", "role")
        .first()
    )
    if held is not None:
        return held.organisation, held.role
    by_depth = Organisation.objects.filter(path__in=paths).order_by("-depth")
    for org in by_depth:
        for role in sorted(allowed):
            if org.kind in ROLE_ORG_KINDS[role]:
                return org, role
    return None


def acting_text(organisation: Organisation, role: str | None = None) -> str:
    """ "西陵区总工会", or with the role "甲公司工会委员会 · 基层工会主席" (as in the top bar)."""
    if role is None:
        return organisation.name
    return f"{organisation.name} · {RoleName(role).label}"
