"""Writes and rules of the competitions app. Views call these; they check the rules, write
atomically and leave an audit trail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Member, Organisation
from unionportal.core.audit import audit_event

from .judging import (  # noqa: F401 (the app's service API)
    SheetErrors,
    judge_sheet,
    score_entry,
    score_sheet,
)
from .models import (
    NEXT_STATUS,
    Competition,
    CompetitionStatus,
    Criterion,
    Entry,
    Honour,
    HonourKind,
    InnovationStudio,
    Judge,
    RecipientKind,
    Score,
)
from .scoring import (
    HUNDRED,
    combine,
    conflict_units,
    judge_total,
    rank_with_ties,
    recused,
    role_paths,
)

# --- Who sees what -------------------------------------------------------------------------


def _ancestor_paths(user) -> set[str]:
    """Paths of the organisations above (and at) each of the user's roles: a competition
    organised there is open to the user's union for entries."""
    steplen = Organisation.steplen
    paths = set()
    for path in access.scope_paths(user):
        for i in range(steplen, len(path) + 1, steplen):
            paths.add(path[:i])
    return paths


def visible_competitions(user) -> QuerySet[Competition]:
    """Competitions organised in the user's scope or above the user's union (so it may enter),
    and those the user judges."""
    paths = access.scope_paths(user)
    q = Q(judges__user=user) if user.is_authenticated else Q(pk__in=[])
    for p in paths:
        q |= Q(organiser__path__startswith=p)
    ancestors = _ancestor_paths(user)
    if ancestors:
        q |= Q(organiser__path__in=ancestors)
    return Competition.objects.filter(q).distinct()


def can_manage(user, competition: Competition) -> bool:
    return access.can(user, "competition.manage", competition.organiser)


def visible_entries(user, competition: Competition) -> QuerySet[Entry]:
    """The organiser's staff see every entry; a union sees its own."""
    qs = competition.entries.select_related("member", "organisation")
    if access.can(user, "view", competition.organiser):
        return qs
    return access.scope(user, qs, org_field="organisation")


# --- Competitions --------------------------------------------------------------------------


@transaction.atomic
def competition_create(*, actor, organiser: Organisation, **fields) -> Competition:
    _check_dates(fields)
    competition = Competition.objects.create(organiser=organiser, created_by=actor, **fields)
    audit_event(competition, "competition.create", actor=actor)
    return competition


def _check_dates(f: dict) -> None:
    errors = {}
    if f["ends_on"] < f["starts_on"]:
        errors["ends_on"] = _("The competition cannot end before it starts.")
    if f["registration_closes"] < f["registration_opens"]:
        errors["registration_closes"] = _("Registration cannot close before it opens.")
    if errors:
        raise ValidationError(errors)


def weight_total(competition: Competition) -> Decimal:
    return sum((c.weight for c in competition.criteria.all()), Decimal("0"))


@transaction.atomic
def criterion_add(
    *,
    actor,
    competition: Competition,
    name: str,
    weight: Decimal,
    min_score: Decimal,
    max_score: Decimal,
) -> Criterion:
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.status != CompetitionStatus.PLANNED:
        raise ValidationError(_("Criteria can only be changed while the competition is planned."))
    if weight <= 0:
        raise ValidationError({"weight": _("A weight must be more than 0.")})
    if max_score <= min_score:
        raise ValidationError({"max_score": _("The highest score must exceed the lowest.")})
    if weight_total(competition) + weight > HUNDRED:
        raise ValidationError(
            {
                "weight": _("The weights would add up to more than 100 (now %(total)s).")
                % {"total": weight_total(competition)}
            }
        )
    criterion = competition.criteria.create(
        name=name, weight=weight, min_score=min_score, max_score=max_score
    )
    audit_event(competition, "competition.criterion_add", actor=actor, criterion=name)
    return criterion


@transaction.atomic
def criterion_remove(*, actor, criterion: Criterion) -> None:
    if criterion.competition.status != CompetitionStatus.PLANNED:
        raise ValidationError(_("Criteria can only be changed while the competition is planned."))
    audit_event(criterion.competition, "competition.criterion_remove", actor=actor)
    criterion.delete()


@transaction.atomic
def judge_add(*, actor, competition: Competition, user) -> Judge:
    if competition.status not in (CompetitionStatus.PLANNED, CompetitionStatus.REGISTERING):
        raise ValidationError(_("Judges can only be added before judging starts."))
    if not user.is_active:
        raise ValidationError({"username": _("This account is not active.")})
    judge, created = Judge.objects.get_or_create(competition=competition, user=user)
    if not created:
        raise ValidationError({"username": _("This person already judges the competition.")})
    audit_event(competition, "competition.judge_add", actor=actor, judge=user.username)
    return judge


@transaction.atomic
def judge_assign(*, actor, judge: Judge, entries: Iterable[Entry]) -> Judge:
    """Give a judge a set of entries (none: every entry). A judge keeps the entries already
    scored."""
    competition = Competition.objects.select_for_update().get(pk=judge.competition_id)
    if competition.status == CompetitionStatus.PUBLISHED:
        raise ValidationError(_("Published results are frozen."))
    entries = list(entries)
    if any(e.competition_id != competition.pk for e in entries):
        raise ValidationError(_("These entries are not all in the competition."))
    if entries:
        chosen = {e.pk for e in entries}
        scored = set(
            Score.objects.filter(judge=judge).values_list("entry_id", flat=True).distinct()
        )
        if scored - chosen:
            raise ValidationError(_("The judge has already scored entries left out."))
    judge.entries.set(entries)
    audit_event(
        competition, "competition.judge_assign", actor=actor, judge=judge.user.username,
        entries=len(entries),
    )  # fmt: skip
    return judge


@transaction.atomic
def competition_advance(*, actor, competition: Competition) -> Competition:
    """planned -> registering (weights must sum to 100, one judge at least) -> judging (one
    entry at least). Publishing is its own step."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    target = NEXT_STATUS.get(competition.status)
    if target is None:
        raise ValidationError(_("The competition cannot move on from here."))
    if target == CompetitionStatus.REGISTERING:
        total = weight_total(competition)
        if total != HUNDRED:
            raise ValidationError(
                _("The criteria weights must add up to 100; they add up to %(total)s.")
                % {"total": total}
            )
        if not competition.judges.exists():
            raise ValidationError(_("Appoint at least one judge first."))
    if target == CompetitionStatus.JUDGING and not competition.entries.exists():
        raise ValidationError(_("There are no entries to judge."))
    old = competition.status
    competition.status = target
    competition.save(update_fields=["status"])
    audit_event(competition, "competition.status", actor=actor, changes={"status": [old, target]})
    return competition


# --- Entries -------------------------------------------------------------------------------


@transaction.atomic
def entry_register(
    *,
    actor,
    competition: Competition,
    organisation: Organisation,
    member: Member | None = None,
    team_name: str = "",
    team_members: Iterable[Member] = (),
    today: date | None = None,
) -> Entry:
    today = today or timezone.localdate()
    team_members = list(team_members)
    if competition.status != CompetitionStatus.REGISTERING:
        raise ValidationError(_("The competition is not taking entries."))
    if not competition.registration_opens <= today <= competition.registration_closes:
        raise ValidationError(
            _("Entries are taken from %(opens)s to %(closes)s.")
            % {"opens": competition.registration_opens, "closes": competition.registration_closes}
        )
    if not organisation.path.startswith(competition.organiser.path):
        raise ValidationError(_("This union is outside the organiser's area."))
    if bool(member) == bool(team_name or team_members):
        raise ValidationError(_("Enter either one member or a team, not both."))
    people = [member] if member else team_members
    if not member and (not team_name or not team_members):
        raise ValidationError(_("A team needs a name and its members."))
    for person in people:
        if person.organisation_id != organisation.pk or not person.is_current:
            raise ValidationError(
                _("%(name)s is not a current member of this union.") % {"name": person.name}
            )
    if member and competition.entries.filter(member=member).exists():
        raise ValidationError(_("%(name)s is already entered.") % {"name": member.name})
    entry = Entry.objects.create(
        competition=competition,
        organisation=organisation,
        member=member,
        team_name=team_name,
        registered_on=today,
        registered_by=actor,
    )
    if team_members:
        entry.team_members.set(team_members)
    audit_event(entry, "competition.entry_register", actor=actor, competition=competition.pk)
    return entry


# --- Judging -------------------------------------------------------------------------------


def judge_for(user, competition: Competition) -> Judge | None:
    return Judge.objects.filter(competition=competition, user=user).first()


def standings(competition: Competition) -> dict:
    """Totals, ranks and how many scores are still missing, by the rules of
    competitions.scoring (recusal, scaling, the one trimming rule, rounding)."""
    criteria = list(competition.criteria.all())
    judges = list(competition.judges.all())
    entries = list(competition.entries.select_related("organisation", "member").order_by("pk"))
    roles = {j.pk: role_paths(j.user_id) for j in judges}
    units = conflict_units(e.organisation for e in entries)
    assigned = defaultdict(set)
    for judge_id, entry_id in Judge.entries.through.objects.filter(
        judge__competition=competition
    ).values_list("judge_id", "entry_id"):
        assigned[judge_id].add(entry_id)
    given = defaultdict(dict)
    for s in Score.objects.filter(entry__competition=competition):
        given[(s.entry_id, s.judge_id)][s.criterion_id] = s.value
    missing = 0
    totals: dict[int, Decimal | None] = {}
    for entry in entries:
        per_judge = []
        for j in judges:
            if recused(roles[j.pk], units[entry.organisation_id]) or (
                assigned[j.pk] and entry.pk not in assigned[j.pk]
            ):
                continue
            values = given.get((entry.pk, j.pk), {})
            if len(values) < len(criteria):
                missing += 1
                continue
            per_judge.append(judge_total(values, criteria))
        totals[entry.pk] = combine(per_judge)
    ranks = rank_with_ties(totals)
    return {
        "entries": entries,
        "totals": totals,
        "ranks": ranks,
        "missing": missing,
        "unjudged": [e for e in entries if totals[e.pk] is None],
    }


@transaction.atomic
def competition_publish(*, actor, competition: Competition) -> Competition:
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.status != CompetitionStatus.JUDGING:
        raise ValidationError(_("Only a competition being judged can be published."))
    table = standings(competition)
    if table["missing"] or table["unjudged"]:
        raise ValidationError(
            _("Every judge must score every entry first: %(n)s scores are missing.")
            % {"n": table["missing"] or len(table["unjudged"])}
        )
    for entry in table["entries"]:
        entry.total = table["totals"][entry.pk]
        entry.rank = table["ranks"][entry.pk]
    Entry.objects.bulk_update(table["entries"], ["total", "rank"])
    competition.status = CompetitionStatus.PUBLISHED
    competition.published_at = timezone.now()
    competition.save(update_fields=["status", "published_at"])
    audit_event(
        competition,
        "competition.publish",
        actor=actor,
        changes={"status": [CompetitionStatus.JUDGING, CompetitionStatus.PUBLISHED]},
    )
    return competition


# --- Honours -------------------------------------------------------------------------------


@transaction.atomic
def honour_create(
    *,
    actor,
    kind: HonourKind,
    level: str,
    year: int,
    awarded_on: date,
    awarding_body: str,
    organisation: Organisation,
    member: Member | None = None,
    team_name: str = "",
    entry: Entry | None = None,
    today: date | None = None,
) -> Honour:
    """Record an honour; it counts in the figures of the day it was awarded."""
    today = today or timezone.localdate()
    if awarded_on > today:
        raise ValidationError({"awarded_on": _("An honour cannot be awarded in the future.")})
    if kind.level and level != kind.level:
        raise ValidationError(
            {"level": _("%(kind)s is awarded at one level only: %(level)s.")
             % {"kind": kind.name, "level": kind.get_level_display()}}
        )  # fmt: skip
    if kind.recipient == RecipientKind.MEMBER and member is None:
        raise ValidationError({"member": _("This honour goes to a member: choose one.")})
    if kind.recipient == RecipientKind.TEAM and not (team_name or member):
        raise ValidationError({"team_name": _("This honour goes to a team: give its name.")})
    if member is not None and member.organisation_id != organisation.pk:
        organisation = member.organisation
    honour = Honour.objects.create(
        kind=kind,
        level=level,
        year=year,
        awarded_on=awarded_on,
        awarding_body=awarding_body,
        organisation=organisation,
        member=member,
        team_name=team_name,
        entry=entry,
    )
    audit_event(honour, "honour.create", actor=actor)
    return honour


@transaction.atomic
def honours_from_winners(
    *,
    actor,
    competition: Competition,
    kind: HonourKind,
    level: str,
    year: int,
    awarded_on: date,
    awarding_body: str,
    top: int,
) -> list[Honour]:
    """Turn the entries ranked `top` or better into honours, once each."""
    if competition.status != CompetitionStatus.PUBLISHED:
        raise ValidationError(_("Only published results can be turned into honours."))
    if top < 1:
        raise ValidationError({"top": _("Give a rank of 1 or more.")})
    created = []
    winners = competition.entries.filter(rank__lte=top).select_related("member", "organisation")
    for entry in winners.prefetch_related("team_members"):
        if Honour.objects.filter(entry=entry, kind=kind).exists():
            continue
        # A team honour goes to the team; a personal honour won by a team goes to each member.
        if entry.member_id or kind.recipient == RecipientKind.TEAM:
            recipients = [entry.member]
        else:
            recipients = list(entry.team_members.all())
        for member in recipients:
            created.append(
                honour_create(
                    actor=actor,
                    kind=kind,
                    level=level,
                    year=year,
                    awarded_on=awarded_on,
                    awarding_body=awarding_body,
                    organisation=entry.organisation,
                    member=member,
                    team_name=entry.team_name,
                    entry=entry,
                )
            )
    return created


@transaction.atomic
def honour_kind_create(
    *, actor, code: str, name: str, recipient: str, level: str = ""
) -> HonourKind:
    if HonourKind.objects.filter(code=code).exists():
        raise ValidationError({"code": _("This code is taken.")})
    kind = HonourKind.objects.create(code=code, name=name, recipient=recipient, level=level)
    audit_event(kind, "honour.kind_create", actor=actor)
    return kind


# --- Innovation studios --------------------------------------------------------------------


@transaction.atomic
def studio_create(
    *, actor, organisation: Organisation, today: date | None = None, **fields
) -> InnovationStudio:
    """Record a studio: its level and the day it was named at it, and the day it was named
    exemplary (示范) if it was."""
    today = today or timezone.localdate()
    leader = fields.get("leader")
    if leader is not None and not leader.organisation.path.startswith(organisation.path):
        raise ValidationError({"leader": _("The leader must be a member of this organisation.")})
    for day in ("recognised_on", "exemplary_on"):
        if fields.get(day) and fields[day] > today:
            raise ValidationError({day: _("This day has not come yet.")})
    studio = InnovationStudio.objects.create(organisation=organisation, **fields)
    audit_event(studio, "studio.create", actor=actor)
    return studio
