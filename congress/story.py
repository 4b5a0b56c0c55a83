"""The congress sections of a person's story on the member page (members.story): the motions
the person proposed and the suggestions they made, each scoped to the viewer's unions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import access
from members.story import LIMIT, Section, StoryRow, cut

from .models import Motion, Suggestion


def motion_section(user, member) -> Section:
    motions = (
        access.scope(user, Motion.objects.filter(proposer__member=member), org_field="organisation")
        .select_related("session")
        .order_by("-submitted_on", "-pk")[: LIMIT + 1]
    )
    rows = [
        StoryRow(
            date=m.submitted_on,
            title=_("Motion %(number)s: %(title)s") % {"number": m.number, "title": m.title},
            status=m.get_status_display(),
            detail=str(m.session),
            url=reverse("congress:motion_detail", args=[m.pk]),
        )
        for m in motions
    ]
    return cut(
        Section(
            "motions",
            gettext_lazy("Motions"),
            empty=gettext_lazy("No motions proposed."),
            more_url=reverse("congress:motion_list"),
        ),
        rows,
    )


def suggestion_section(user, member) -> Section:
    suggestions = access.scope(
        user, Suggestion.objects.filter(submitter=member), org_field="organisation"
    ).order_by("-received_on", "-pk")[: LIMIT + 1]
    page = reverse("congress:suggestion_list")
    rows = [
        StoryRow(
            date=s.received_on,
            title=s.title,
            status=s.get_status_display(),
            url=f"{page}?year={s.received_on.year}#suggestion-{s.pk}",
        )
        for s in suggestions
    ]
    return cut(
        Section(
            "suggestions",
            gettext_lazy("Rationalisation suggestions"),
            empty=gettext_lazy("No suggestions."),
            more_url=page,
        ),
        rows,
    )


def congress_sections(user, member) -> list[Section]:
    return [motion_section(user, member), suggestion_section(user, member)]


def register() -> None:
    from members.story import register as add

    add(congress_sections)
