"""What the casework pages share: the scoped case, the list's filters and the row shape of the
register (never the petitioner's name: the masked contact only)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members import access
from members.models import Organisation
from members.views.common import is_id

from ..models import HANDLING, Case, CaseStatus, Category, Channel
from ..services import cases_in_scope, overdue_q

SELECT = ("received_by", "handler", "category", "employer")


def get_case(request, pk: int) -> Case:
    """The case when the user may see it; another union's case is 404."""
    return get_object_or_404(cases_in_scope(request.user).select_related(*SELECT), pk=pk)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def own_unions(user, capability: str = "case.handle") -> list[int]:
    return [r.organisation_id for r in access.roles_of(user) if r.role in _allowed(capability)]


def _allowed(capability: str) -> set[str]:
    return access.CAPABILITIES[capability]


def _mine(user, status: str) -> Q:
    """The cases at the user's own unions, as the to-do panel counts them (rights/todo.py):
    to decide or to close where the user manages the receiver, to handle where the user
    handles the handler's cases, otherwise either."""
    received = Q(received_by_id__in=own_unions(user, "case.manage"))
    handled = Q(handler_id__in=own_unions(user, "case.handle"))
    if status == "handling":
        return handled
    if status in (CaseStatus.RECEIVED, CaseStatus.ANSWERED):
        return received
    return received | handled


def filtered(request, capability: str = "view") -> tuple[QuerySet[Case], dict]:
    """The scoped cases with the list's filters applied, and the filters as the page shows
    them (unknown values are ignored, never an error)."""
    get = request.GET
    qs = cases_in_scope(request.user, capability).select_related(*SELECT)
    chosen: dict = {}
    if get.get("channel") in Channel.values:
        chosen["channel"] = get["channel"]
        qs = qs.filter(channel=get["channel"])
    status = get.get("status", "")
    if status == "handling":
        qs = qs.filter(status__in=HANDLING)
        chosen["status"] = status
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
        chosen["status"] = status
    if is_id(get.get("category")):
        chosen["category"] = int(get["category"])
        qs = qs.filter(category_id=chosen["category"])
    if is_id(get.get("org")):
        chosen["org"] = int(get["org"])
        qs = qs.filter(received_by_id=chosen["org"])
    start, end = _day(get.get("start", "")), _day(get.get("end", ""))
    if start:
        chosen["start"] = start
        qs = qs.filter(received_on__gte=start)
    if end:
        chosen["end"] = end
        qs = qs.filter(received_on__lte=end)
    if get.get("overdue") == "1":
        chosen["overdue"] = True
        qs = qs.filter(overdue_q(timezone.localdate()))
    if get.get("mine") == "1":
        chosen["mine"] = True
        qs = qs.filter(_mine(request.user, status))
    return qs.order_by("-received_on", "-pk"), chosen


def choices(user) -> dict:
    """The filter lists: statuses (with "being handled"), channels, categories, receivers."""
    receivers = Organisation.objects.filter(
        pk__in=cases_in_scope(user).values("received_by_id")
    ).order_by("path")
    return {
        "statuses": [("handling", _("Being handled")), *CaseStatus.choices],
        "channels": Channel.choices,
        "categories": Category.objects.all(),
        "receivers": receivers,
    }


def headers() -> list[str]:
    return [
        _("Case number"),
        pgettext("case", "Received on"),
        _("Channel"),
        _("Received by"),
        _("People"),
        _("Contact"),
        _("Subject"),
        _("Employer concerned"),
        pgettext("case", "Status"),
        _("Handled by"),
        _("Closed on"),
    ]


def row(case: Case) -> list:
    channel = case.get_channel_display()
    if case.hotline:
        channel = f"{channel}（12351）"
    return [
        case.number,
        case.received_on,
        channel,
        case.received_by.name,
        case.people,
        case.contact_masked,
        case.category.name,
        case.employer_text,
        case.get_status_display(),
        case.handler.name,
        case.closed_on,
    ]
