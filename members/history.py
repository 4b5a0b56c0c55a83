"""Writing the membership history (models/history.py): every service that changes what the
figures count about a member calls `record_state` in its transaction, after saving the member.

Also `rebuild_spells`, which derives the spells of members from the status changes and the
accepted transfers: the backfill migration runs it (with the historical models), and so do
the bulk writers (the demo) that insert members and their status changes without the
services.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils import timezone

from unionportal.core import stale

from .models import SPELL_STATUSES, Member, MembershipSpell, SpellStart

# What a spell holds fixed: a change of any of these opens a new spell.
COUNTED = ("organisation_id", "status", "retained_reason", "gender", "is_migrant", "is_frontline")


def counted_state(member: Member) -> tuple:
    return tuple(getattr(member, f) for f in COUNTED)


def record_state(member: Member, *, on: date, started_by: str = SpellStart.CHANGE) -> None:
    """From `on`, the member's union, status and counted attributes are what `member` holds
    now: close the open spell at `on` (valid_to is exclusive) and open the next one when the
    member is in membership. A spell that began on
    `on` itself is replaced (and its start kept: a member who joined and moved on the same day
    joined that day). Marks the months since `on` stale when `on` lies in the past."""
    open_spell = MembershipSpell.objects.filter(member=member, valid_to__isnull=True).first()
    if open_spell is not None:
        if open_spell.valid_from > on:
            raise ValueError(f"spell of member {member.pk} opened after {on}")
        if open_spell.valid_from == on:
            started_by = open_spell.started_by
            open_spell.delete()
        else:
            open_spell.valid_to = on
            open_spell.save(update_fields=["valid_to"])
    if member.status in SPELL_STATUSES:
        MembershipSpell.objects.create(
            member=member,
            organisation_id=member.organisation_id,
            status=member.status,
            retained_reason=member.retained_reason,
            gender=member.gender,
            is_migrant=member.is_migrant,
            is_frontline=member.is_frontline,
            valid_from=on,
            started_by=started_by,
        )
    if on < timezone.localdate():
        stale.mark_since(on, "membership")


def last_change_on(member: Member) -> date | None:
    """The first day of the member's open spell: a backdated change may not go before it."""
    return (
        MembershipSpell.objects.filter(member=member, valid_to__isnull=True)
        .values_list("valid_from", flat=True)
        .first()
    )


def correct_start(member: Member, old: date, new: date) -> None:
    """The joining date was corrected: the spell that began with the join moves with it."""
    first = MembershipSpell.objects.filter(
        member=member, started_by=SpellStart.JOIN, valid_from=old
    ).first()
    if first is None:
        return
    if first.valid_to is not None and new >= first.valid_to:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(
            {
                "joined_on": _(
                    "The joining date must be before the member's next change on %(day)s."
                )
                % {"day": first.valid_to}
            }
        )
    first.valid_from = new
    first.save(update_fields=["valid_from"])
    stale.mark_since(min(old, new), "joined_on")


# --- Rebuilding from the recorded history ---------------------------------------------------


def rebuild_spells(models: dict, member_ids=None, *, batch: int = 2000) -> int:
    """Derive the spells of the members (all, or `member_ids`) from their status changes and
    accepted transfers, replacing any they have. `models` maps Member, MemberStatusChange,
    Transfer and MembershipSpell to model classes (the historical ones in a migration).
    Attributes are the members' present ones (no earlier history of them exists). Returns
    the spells written."""
    Member_ = models["Member"]
    Change, Transfer_, Spell = (
        models["MemberStatusChange"],
        models["Transfer"],
        models["MembershipSpell"],
    )
    members = Member_.objects.order_by("pk")
    if member_ids is not None:
        members = members.filter(pk__in=member_ids)
    ids = list(members.values_list("pk", flat=True))
    written = 0
    tz = timezone.get_current_timezone()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        events = defaultdict(list)
        for row in Change.objects.filter(member_id__in=chunk).values_list(
            "member_id",
            "changed_on",
            "created_at",
            "id",
            "from_status",
            "to_status",
            "organisation_id",
            "category",
        ):
            mid, day, at, pk, from_status, to_status, org, category = row
            events[mid].append((day, at, 0, pk, "status", from_status, to_status, org, category))
        for mid, decided, pk, to_org in Transfer_.objects.filter(
            member_id__in=chunk, status="accepted", decided_at__isnull=False
        ).values_list("member_id", "decided_at", "id", "to_organisation_id"):
            day = timezone.localtime(decided, tz).date()
            events[mid].append((day, decided, 1, pk, "transfer", "", "", to_org, ""))
        spells = []
        for m in Member_.objects.filter(pk__in=chunk):
            spells.extend(_spells_of(m, sorted(events[m.pk], key=lambda e: e[:4]), Spell))
        Spell.objects.filter(member_id__in=chunk).delete()
        Spell.objects.bulk_create(spells, batch_size=batch)
        written += len(spells)
    return written


def _spells_of(m, events: list, Spell) -> list:
    """The spells of one member from its sorted events; the last one ends in the member's
    present union and status (the register is the last word where the history is thin)."""
    spells: list = []
    org, status, reason = None, "", ""
    open_ = None

    def move(day: date, started_by: str) -> None:
        nonlocal open_
        if open_ is not None:
            if open_.valid_from >= day:
                started_by = open_.started_by
                spells.remove(open_)
            else:
                open_.valid_to = day
        open_ = None
        if status in SPELL_STATUSES and org is not None:
            open_ = Spell(
                member_id=m.pk,
                organisation_id=org,
                status=status,
                retained_reason=reason,
                gender=m.gender,
                is_migrant=m.is_migrant,
                is_frontline=m.is_frontline,
                valid_from=day,
                started_by=started_by,
            )
            spells.append(open_)

    for day, _at, _order, _pk, kind, from_status, to_status, to_org, category in events:
        if kind == "transfer":
            org = to_org
            move(day, SpellStart.TRANSFER)
            continue
        joining = from_status in ("", "applied") and to_status in SPELL_STATUSES
        org = to_org  # the union the member belonged to when the change was recorded
        status = to_status
        reason = category if to_status == "retained" else ""
        move(day, SpellStart.JOIN if joining else SpellStart.CHANGE)
    if m.status in SPELL_STATUSES:
        if open_ is None:
            status, org, reason = m.status, m.organisation_id, m.retained_reason
            move(m.joined_on, SpellStart.JOIN)
        else:
            # Moves inside one's own union (to a branch) were not recorded as events.
            open_.organisation_id = m.organisation_id
            open_.status = m.status
            open_.retained_reason = m.retained_reason
    elif open_ is not None:
        # The register says the member left, but no change recorded when: at the last change.
        open_.valid_to = max(m.status_changed_on or open_.valid_from, open_.valid_from)
        if open_.valid_to <= open_.valid_from:
            spells.remove(open_)
    return spells
