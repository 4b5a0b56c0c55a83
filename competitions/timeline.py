"""The competitions app's events on a member's timeline and items on the to-do panel."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from members.timeline import TimelineEvent, url_or_blank


def entry_events(member) -> list[TimelineEvent]:
    from .models import Entry

    entries = (
        Entry.objects.filter(Q(member=member) | Q(team_members=member))
        .select_related("competition", "organisation")
        .distinct()
    )
    events = []
    for e in entries:
        title = _("Entered %(competition)s") % {"competition": e.competition.name}
        if e.team_name:
            title += f" ({e.team_name})"
        detail = ""
        if e.competition.is_frozen and e.rank:
            detail = _("Rank %(rank)s, total %(total)s") % {"rank": e.rank, "total": e.total}
        events.append(
            TimelineEvent(
                date=e.registered_on,
                kind="competition",
                title=title,
                detail=detail,
                url=url_or_blank("competitions:competition_detail", e.competition_id),
                org_path=e.organisation.path,
            )
        )
    return events


def honour_events(member) -> list[TimelineEvent]:
    from .models import Honour

    return [
        TimelineEvent(
            date=h.awarded_on,
            kind="honour",
            title=_("Honour: %(kind)s %(year)s") % {"kind": h.kind.name, "year": h.year},
            detail=h.awarding_body,
            org_path=h.organisation.path,
        )
        for h in Honour.objects.filter(member=member).select_related("kind", "organisation")
    ]


def studio_events(member) -> list[TimelineEvent]:
    from .models import InnovationStudio

    return [
        TimelineEvent(
            date=s.recognised_on,
            kind="studio",
            title=_("Leads the innovation studio %(name)s") % {"name": s.name},
            detail=f"{s.get_level_display()} · {_('Exemplary')}"
            if s.is_exemplary
            else s.get_level_display(),
            org_path=s.organisation.path,
        )
        for s in InnovationStudio.objects.filter(leader=member).select_related("organisation")
    ]


def scores_to_give(user):
    """Competitions being judged where the user is a judge."""
    from django.urls import reverse

    from unionportal.core.todo import TodoItem

    from .models import CompetitionStatus, Judge

    count = Judge.objects.filter(user=user, competition__status=CompetitionStatus.JUDGING).count()
    return [
        TodoItem(
            label=_("Competitions waiting for my scores"),
            count=count,
            url=reverse("competitions:competition_list") + "?status=judging",
        )
    ]


def register() -> None:
    from members.timeline import register as add
    from unionportal.core.todo import PROVIDERS

    for provider in (entry_events, honour_events, studio_events):
        add(provider)
    if scores_to_give not in PROVIDERS:
        PROVIDERS.append(scores_to_give)
