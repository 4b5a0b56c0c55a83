"""A person's whole story on the member page (issue 20 item 8): one section per kind of record
(transfers, dues, cards, relief and hardship files, condolence visits, motions and
suggestions, honours), each holding only the records the viewer's scope allows and each
record linked to its own page.

Each app contributes sections through a provider taking the viewer and the member and
returning a list of Section; the apps register theirs when they load, as with the timeline:

    from members.story import Section, StoryRow, register

    @register
    def relief_sections(user, member): ...

A provider reads through the app's own scoped queries (members.access.scope and the like),
with a fixed number of queries, so the page costs the same however long the story."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.core.templatetags.figures import money_text

from . import access
from .models import Member, ServiceCard

LIMIT = 20  # rows a section shows; the rest are behind the section's link


@dataclass(frozen=True)
class StoryRow:
    date: date | datetime | None
    title: str
    status: str = ""
    detail: str = ""
    url: str = ""

    @property
    def day(self) -> date | None:
        if isinstance(self.date, datetime):
            return timezone.localtime(self.date).date()
        return self.date


@dataclass
class Section:
    code: str
    title: str
    rows: list[StoryRow] = field(default_factory=list)
    more_url: str = ""  # the app's own list of the kind, for the rest
    more: int = 0  # rows beyond LIMIT
    empty: str = ""


Provider = Callable[[object, Member], list[Section]]
PROVIDERS: list[Provider] = []
ORDER = [
    "transfers",
    "dues",
    "cards",
    "hardship",
    "relief",
    "visits",
    "motions",
    "suggestions",
    "honours",
]


def register(provider: Provider) -> Provider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def cut(section: Section, rows: list[StoryRow]) -> Section:
    """Keep the newest LIMIT rows (rows come newest first); count the rest."""
    section.rows, section.more = rows[:LIMIT], max(len(rows) - LIMIT, 0)
    return section


def member_story(user, member: Member) -> list[Section]:
    sections = [s for provider in PROVIDERS for s in provider(user, member)]
    rank = {code: i for i, code in enumerate(ORDER)}
    return sorted(sections, key=lambda s: rank.get(s.code, len(ORDER)))


# --- The members app's own sections ---------------------------------------------------------


def transfer_section(user, member: Member) -> Section:
    transfers = (
        access.transfers_in_scope(user)
        .filter(member=member)
        .select_related("from_organisation", "to_organisation")
        .order_by("-requested_at", "-pk")[: LIMIT + 1]
    )
    rows = [
        StoryRow(
            date=t.requested_at,
            title=_("%(from)s → %(to)s")
            % {"from": t.from_organisation.name, "to": t.to_organisation.name},
            status=t.get_status_display(),
            url=t.get_absolute_url(),
        )
        for t in transfers
    ]
    return cut(
        Section(
            "transfers",
            gettext_lazy("Transfers"),
            empty=gettext_lazy("No transfers."),
            more_url=reverse("members:transfer_list"),
        ),
        rows,
    )


def dues_section(user, member: Member) -> Section:
    from .services.dues import dues_in_scope

    records = (
        dues_in_scope(user)
        .filter(member=member)
        .select_related("organisation")
        .order_by("-month", "-pk")[: LIMIT + 1]
    )
    page = reverse("members:dues_member", args=[member.pk])
    rows = [
        StoryRow(
            date=d.month,
            title=_("Dues %(month)s: %(amount)s")
            % {"month": f"{d.month:%Y-%m}", "amount": money_text(d.amount)},
            status=_("Paid %(day)s") % {"day": f"{d.paid_on:%Y-%m-%d}"}
            if d.paid_on
            else _("Unpaid"),
            detail=d.organisation.name,
            url=page,
        )
        for d in records
    ]
    return cut(
        Section(
            "dues", gettext_lazy("Dues"), empty=gettext_lazy("No dues records."), more_url=page
        ),
        rows,
    )


def card_section(user, member: Member) -> Section:
    cards = access.scope(
        user, ServiceCard.objects.filter(member=member), org_field="organisation"
    ).order_by("-issued_on", "-pk")[: LIMIT + 1]
    card_list = reverse("members:card_list")
    rows = [
        StoryRow(
            date=c.issued_on,
            title=_("Service card %(number)s") % {"number": c.number},
            status=c.get_status_display(),
            url=f"{card_list}#card-{c.pk}",
        )
        for c in cards
    ]
    return cut(
        Section(
            "cards",
            gettext_lazy("Service cards"),
            empty=gettext_lazy("No service cards."),
            more_url=card_list,
        ),
        rows,
    )


@register
def members_sections(user, member: Member) -> list[Section]:
    return [transfer_section(user, member), dues_section(user, member), card_section(user, member)]
