from __future__ import annotations

from members import access


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = access.primary_role(user)
    return {
        "current_role": role,
        "can": {cap.replace(".", "_"): access.can(user, cap) for cap in access.CAPABILITIES},
    }
