"""The honours section of a person's story on the member page (members.story), scoped to the
viewer's unions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from members import access
from members.story import LIMIT, Section, StoryRow, cut

from .models import Honour


def honour_section(user, member) -> Section:
    honours = (
        access.scope(user, Honour.objects.filter(member=member), org_field="organisation")
        .select_related("kind")
        .order_by("-awarded_on", "-pk")[: LIMIT + 1]
    )
    page = reverse("competitions:honour_list")
    rows = [
        StoryRow(
            date=h.awarded_on,
            title=h.kind.name,
            status=h.get_level_display(),
            detail=h.awarding_body,
            url=f"{page}?year={h.year}#honour-{h.pk}",
        )
        for h in honours
    ]
    return cut(
        Section(
            "honours",
            gettext_lazy("Honours"),
            empty=gettext_lazy("No honours."),
            more_url=page,
        ),
        rows,
    )


def competitions_sections(user, member) -> list[Section]:
    return [honour_section(user, member)]


def register() -> None:
    from members.story import register as add

    add(competitions_sections)
