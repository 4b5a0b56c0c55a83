"""A member's timeline: every change and decision about the person, newest first.

Each app contributes events through a provider, a callable taking the member and returning
a list of TimelineEvent. Providers read only, with a fixed number of queries each (one is
the norm), so the member page costs the same however long the history. Later apps register
theirs when they load, e.g. in `AppConfig.ready()`:

    from members.timeline import TimelineEvent, register

    @register
    def relief_events(member): ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    CardStatus,
    DuesRecord,
    Member,
    MemberStatus,
    MemberStatusChange,
    ServiceCard,
    Transfer,
    TransferStatus,
)


@dataclass(frozen=True)
class TimelineEvent:
    date: date | datetime  # a day, or an aware moment when the source records one
    kind: str  # "status", "transfer", "card", "dues", ... (apps add their own)
    title: str
    detail: str = ""
    actor: str = ""
    url: str = ""
    # The path of the union holding the record: the page shows the event only to a viewer whose
    # scope holds that union (issue 20 item 8). "" for the member's own events (status, dues).
    org_path: str = ""

    @property
    def day(self) -> date:
        if isinstance(self.date, datetime):
            return timezone.localtime(self.date).date()
        return self.date

    def sort_key(self) -> tuple[date, time]:
        if isinstance(self.date, datetime):
            moment = timezone.localtime(self.date)
            return moment.date(), moment.time()
        return self.date, time.min


Provider = Callable[[Member], list[TimelineEvent]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def member_timeline(member: Member, user=None) -> list[TimelineEvent]:
    """Every provider's events, newest first; with `user`, only the events of records held
    by a union in the user's scope (a member who moved unions keeps their old union's relief
    and files out of their new union's sight)."""
    events: list[TimelineEvent] = []
    for provider in PROVIDERS:
        events.extend(provider(member))
    if user is not None:
        from .access import scope_paths

        paths = tuple(scope_paths(user))
        events = [e for e in events if not e.org_path or e.org_path.startswith(paths)]
    # sorted() is stable: events of one day keep the order their provider gave them.
    return sorted(events, key=TimelineEvent.sort_key, reverse=True)


def url_or_blank(name: str, *args) -> str:
    """A link to a page another part of the portal may not have built yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _status_label(value: str) -> str:
    return str(MemberStatus(value).label) if value else ""


@register
def status_events(member: Member) -> list[TimelineEvent]:
    changes = MemberStatusChange.objects.filter(member=member).select_related("changed_by")
    events = []
    for change in changes:
        if change.from_status:
            title = _("Status: %(from)s → %(to)s") % {
                "from": _status_label(change.from_status),
                "to": _status_label(change.to_status),
            }
        else:
            title = _("Registered as %(to)s") % {"to": _status_label(change.to_status)}
        events.append(
            TimelineEvent(
                date=change.changed_on,
                kind="status",
                title=title,
                detail=change.reason,
                actor=_name(change.changed_by),
            )
        )
    return events


@register
def transfer_events(member: Member) -> list[TimelineEvent]:
    transfers = Transfer.objects.filter(member=member).select_related(
        "from_organisation", "to_organisation", "requested_by", "decided_by"
    )
    decided_titles = {
        TransferStatus.ACCEPTED: _("Transfer accepted: %(from)s → %(to)s"),
        TransferStatus.REJECTED: _("Transfer rejected: %(from)s → %(to)s"),
        TransferStatus.CANCELLED: _("Transfer cancelled: %(from)s → %(to)s"),
    }
    events = []
    for t in transfers:
        names = {"from": t.from_organisation.name, "to": t.to_organisation.name}
        url = url_or_blank("members:transfer_detail", t.pk)
        events.append(
            TimelineEvent(
                date=t.requested_at,
                kind="transfer",
                title=_("Transfer requested: %(from)s → %(to)s") % names,
                detail=t.reason,
                actor=_name(t.requested_by),
                url=url,
            )
        )
        if t.status in decided_titles and t.decided_at:
            events.append(
                TimelineEvent(
                    date=t.decided_at,
                    kind="transfer",
                    title=decided_titles[t.status] % names,
                    detail=t.decision_reason,
                    actor=_name(t.decided_by),
                    url=url,
                )
            )
    return events


@register
def card_events(member: Member) -> list[TimelineEvent]:
    cards = ServiceCard.objects.filter(member=member).select_related("replaces", "organisation")
    ended = {CardStatus.LOST, CardStatus.REPLACED, CardStatus.CANCELLED}
    events = []
    for card in cards:
        # A card's loss or cancellation has no date of its own: it is told on the issue event.
        detail = []
        if card.replaces_id:
            detail.append(_("Replaces card %(number)s.") % {"number": card.replaces.number})
        if card.status in ended:
            detail.append(_("Now: %(status)s.") % {"status": CardStatus(card.status).label})
        events.append(
            TimelineEvent(
                date=card.issued_on,
                kind="card",
                title=_("Service card %(number)s issued") % {"number": card.number},
                detail=" ".join(detail),
                org_path=card.organisation.path,
            )
        )
        if card.activated_on:
            events.append(
                TimelineEvent(
                    date=card.activated_on,
                    kind="card",
                    title=_("Service card %(number)s activated") % {"number": card.number},
                    org_path=card.organisation.path,
                )
            )
    return events


DUES_MONTHS = 12


@register
def dues_events(member: Member) -> list[TimelineEvent]:
    """One summary of the last 12 dues months on record, not one line per month."""
    records = list(
        DuesRecord.objects.filter(member=member)
        .order_by("-month")
        .values("month", "paid_on")[:DUES_MONTHS]
    )
    if not records:
        return []
    unpaid = [r["month"] for r in records if r["paid_on"] is None]
    paid = len(records) - len(unpaid)
    title = ngettext(
        "Dues: %(paid)d of the last %(n)d month on record paid",
        "Dues: %(paid)d of the last %(n)d months on record paid",
        len(records),
    ) % {"paid": paid, "n": len(records)}
    detail = (
        _("Unpaid: %(months)s") % {"months": ", ".join(f"{m:%Y-%m}" for m in sorted(unpaid))}
        if unpaid
        else ""
    )
    return [
        TimelineEvent(
            date=records[0]["month"],
            kind="dues",
            title=title,
            detail=detail,
        )
    ]
