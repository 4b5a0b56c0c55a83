from __future__ import annotations

from members import access
from members.mfa import policy as mfa_policy


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from unionportal.reporting.models import Notification

    role = access.primary_role(user)
    return {
        "current_role": role,
        "two_step_required": mfa_policy.required(user),
        "can": {cap.replace(".", "_"): access.can(user, cap) for cap in access.CAPABILITIES},
        # the bell in the top bar: one COUNT, of reminders about reports still in scope
        "unread_notifications": access.scope(
            user,
            Notification.objects.filter(recipient=user, read_at__isnull=True),
            org_field="report__organisation",
        ).count(),
    }
