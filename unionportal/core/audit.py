"""Audit events that are not plain model saves: moves, reveals, exports, logins.

django-auditlog records creates, updates and deletes of registered models through signals.
Everything else that must leave a trace (security.md G1) is written here, as an ACCESS or
UPDATE entry on the object concerned; within a request the auditlog middleware fills in the
actor and the IP address.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db.models import Model


def audit_event(
    instance: Model, event: str, *, changes: dict | None = None, actor=None, **data: Any
) -> LogEntry:
    kwargs: dict[str, Any] = {
        "action": LogEntry.Action.UPDATE if changes else LogEntry.Action.ACCESS,
        "changes": changes or {},
        "additional_data": {"event": event, **data},
    }
    if actor is not None and getattr(actor, "pk", None):
        kwargs["actor"] = actor
    return LogEntry.objects.log_create(instance, force_log=True, **kwargs)
