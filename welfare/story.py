"""The welfare sections of a person's story on the member page (members.story): hardship files,
relief applications and condolence visits, each scoped to the viewer's unions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import access
from members.story import LIMIT, Section, StoryRow, cut
from unionportal.core.templatetags.figures import money_text

from .models import CondolenceVisit, HardshipFile, ReliefApplication


def _scoped(user, qs):
    return access.scope(user, qs, org_field="organisation")


def hardship_section(user, member) -> Section:
    files = _scoped(user, HardshipFile.objects.filter(member=member)).order_by(
        "-year", "-created_at", "-pk"
    )[: LIMIT + 1]
    rows = [
        StoryRow(
            date=f.created_at,
            title=_("Hardship file %(year)s: %(category)s")
            % {"year": f.year, "category": f.get_category_display() or "—"},
            status=f.get_status_display(),
            url=f.get_absolute_url(),
        )
        for f in files
    ]
    return cut(
        Section(
            "hardship",
            gettext_lazy("Hardship files"),
            empty=gettext_lazy("No hardship files."),
            more_url=reverse("welfare:file_list"),
        ),
        rows,
    )


def relief_section(user, member) -> Section:
    apps = _scoped(user, ReliefApplication.objects.filter(member=member)).order_by(
        "-created_at", "-pk"
    )[: LIMIT + 1]
    rows = [
        StoryRow(
            date=a.created_at,
            title=_("%(kind)s, %(amount)s")
            % {
                "kind": a.get_kind_display(),
                "amount": money_text(a.amount_approved or a.amount_requested),
            },
            status=a.get_status_display(),
            url=a.get_absolute_url(),
        )
        for a in apps
    ]
    return cut(
        Section(
            "relief",
            gettext_lazy("Relief applications"),
            empty=gettext_lazy("No relief applications."),
            more_url=reverse("welfare:relief_list"),
        ),
        rows,
    )


def visit_section(user, member) -> Section:
    visits = _scoped(user, CondolenceVisit.objects.filter(member=member)).order_by(
        "-visited_on", "-pk"
    )[: LIMIT + 1]
    rows = [
        StoryRow(
            date=v.visited_on,
            title=_("%(occasion)s, %(amount)s")
            % {"occasion": v.get_occasion_display(), "amount": money_text(v.amount)},
            detail=v.visitors,
            url=v.get_absolute_url(),
        )
        for v in visits
    ]
    return cut(
        Section(
            "visits",
            gettext_lazy("Condolence visits"),
            empty=gettext_lazy("No condolence visits."),
            more_url=reverse("welfare:visit_list"),
        ),
        rows,
    )


def welfare_sections(user, member) -> list[Section]:
    return [
        hardship_section(user, member),
        relief_section(user, member),
        visit_section(user, member),
    ]


def register() -> None:
    from members.story import register as add

    add(welfare_sections)
