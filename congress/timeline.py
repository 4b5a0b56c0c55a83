"""The congress's events on a member's timeline: delegate terms and motions proposed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from members.timeline import TimelineEvent, url_or_blank

from .models import Delegate, Motion


def delegate_events(member) -> list[TimelineEvent]:
    delegacies = Delegate.objects.filter(member=member).select_related("organisation")
    return [
        TimelineEvent(
            date=d.chosen_on,
            kind="congress",
            title=_("Chosen as congress delegate of %(org)s, term %(term)s")
            % {"org": d.organisation.name, "term": d.term},
            org_path=d.organisation.path,
        )
        for d in delegacies
    ]


def motion_events(member) -> list[TimelineEvent]:
    motions = Motion.objects.filter(proposer__member=member).select_related(
        "session", "organisation"
    )
    return [
        TimelineEvent(
            date=m.submitted_on,
            kind="congress",
            title=_("Motion proposed: %(title)s") % {"title": m.title},
            detail=m.get_status_display(),
            url=url_or_blank("congress:motion_detail", m.pk),
            org_path=m.organisation.path,
        )
        for m in motions
    ]


def register() -> None:
    from members.timeline import register as add

    add(delegate_events)
    add(motion_events)
