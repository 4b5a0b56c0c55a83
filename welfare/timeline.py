"""The welfare events on a member's timeline: relief, hardship files and visits (one query
each). Titles carry the kind and the amount only; health details stay on the records."""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from members.timeline import TimelineEvent, register

from .models import CondolenceVisit, HardshipFile, ReliefApplication


def relief_events(member) -> list[TimelineEvent]:
    events = []
    apps = ReliefApplication.objects.filter(member=member).exclude(status="draft")
    for app in apps.select_related("organisation"):
        amount = app.amount_approved or app.amount_requested
        events.append(
            TimelineEvent(
                date=app.created_at,
                kind="relief",
                title=_("Relief: %(kind)s, ¥%(amount)s (%(status)s)")
                % {
                    "kind": app.get_kind_display(),
                    "amount": intcomma(amount),
                    "status": app.get_status_display(),
                },
                url=app.get_absolute_url(),
                org_path=app.organisation.path,
            )
        )
    return events


def file_events(member) -> list[TimelineEvent]:
    events = []
    for f in HardshipFile.objects.filter(member=member).select_related("organisation"):
        events.append(
            TimelineEvent(
                date=f.created_at,
                kind="hardship",
                title=_("Hardship file %(year)s: %(category)s (%(status)s)")
                % {
                    "year": f.year,
                    "category": f.get_category_display() or "—",
                    "status": f.get_status_display(),
                },
                detail=f.close_reason,
                url=f.get_absolute_url(),
                org_path=f.organisation.path,
            )
        )
    return events


def visit_events(member) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            date=v.visited_on,
            kind="visit",
            title=_("Condolence visit: %(occasion)s, ¥%(amount)s")
            % {"occasion": v.get_occasion_display(), "amount": intcomma(v.amount)},
            detail=v.visitors,
            org_path=v.organisation.path,
        )
        for v in CondolenceVisit.objects.filter(member=member).select_related("organisation")
    ]


def register_all() -> None:
    for provider in (relief_events, file_events, visit_events):
        register(provider)
