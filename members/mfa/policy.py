"""Who must log in with a second step (security.md B5, ASVS 6.3.3, 等保 8.1.4.1d)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from .. import access
from ..models import RoleName

# Federation roles (administrator, auditor, staff) and every role that may export full
# resident IDs or approve relief. MFA_EXTRA_ROLES adds more, e.g. union_staff for county and
# union staff, or every role at 等保 level 3.
MFA_ROLES: frozenset[str] = frozenset(
    access.FEDERATION_ROLES
    | access.CAPABILITIES["export.sensitive"]
    | access.CAPABILITIES["relief.approve"]
)


def roles_requiring_mfa() -> frozenset[str]:
    extra = {name for name in settings.MFA_EXTRA_ROLES if name in RoleName.values}
    return MFA_ROLES | extra


def required(user) -> bool:
    """Whether this account must pass the second step. Off altogether unless MFA_ENFORCED
    (on in production, off with DEBUG). Operators (superusers) always need it then."""
    if not settings.MFA_ENFORCED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    wanted = roles_requiring_mfa()
    return any(role.role in wanted for role in access.roles_of(user))


@checks.register(checks.Tags.security)
def check_extra_roles(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A misspelt role in MFA_EXTRA_ROLES would leave those accounts without the second step."""
    unknown = [n for n in settings.MFA_EXTRA_ROLES if n and n not in RoleName.values]
    return (
        [
            checks.Error(
                f"MFA_EXTRA_ROLES names unknown roles: {', '.join(unknown)}",
                hint=f"Known roles: {', '.join(RoleName.values)}.",
                id="members.E001",
            )
        ]
        if unknown
        else []
    )
