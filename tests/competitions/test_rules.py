"""The rules of competitions: weights, windows, ranges, recusal, totals, ties, publishing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from competitions import scoring, services
from competitions.models import Competition, Honour, HonourKind, Judge, Score
from tests.factories import MemberFactory

from .helpers import D, add_entry, judges, make_competition, score_all

pytestmark = pytest.mark.django_db


def test_weights_must_sum_to_exactly_100_before_registration_opens(city, staff_user):
    competition = make_competition(city.city, criteria=[("a", 60, 0, 100)], judges=judges(1))
    with pytest.raises(ValidationError):
        services.competition_advance(actor=staff_user, competition=competition)
    services.criterion_add(
        actor=staff_user, competition=competition, name="b", weight=D("39.99"),
        min_score=D(0), max_score=D(10),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.competition_advance(actor=staff_user, competition=competition)
    services.criterion_add(
        actor=staff_user, competition=competition, name="c", weight=D("0.01"),
        min_score=D(0), max_score=D(10),
    )  # fmt: skip
    services.competition_advance(actor=staff_user, competition=competition)
    assert Competition.objects.get(pk=competition.pk).status == "registering"


def test_a_criterion_that_pushes_the_weights_past_100_is_refused(city, staff_user):
    competition = make_competition(city.city)
    with pytest.raises(ValidationError):
        services.criterion_add(
            actor=staff_user, competition=competition, name="x", weight=D("0.01"),
            min_score=D(0), max_score=D(10),
        )  # fmt: skip
    assert competition.criteria.count() == 2


def test_registration_needs_a_judge(city, staff_user):
    competition = make_competition(city.city)
    with pytest.raises(ValidationError):
        services.competition_advance(actor=staff_user, competition=competition)


@pytest.mark.parametrize(
    ("today", "ok"),
    [(date(2026, 2, 28), False), (date(2026, 3, 1), True), (date(2026, 3, 31), True),
     (date(2026, 4, 1), False)],
)  # fmt: skip
def test_entries_are_taken_only_inside_the_registration_window(city, chair_a, today, ok):
    competition = make_competition(city.city, status="registering")
    member = MemberFactory(organisation=city.union_a)
    register = lambda: services.entry_register(  # noqa: E731
        actor=chair_a, competition=competition, organisation=city.union_a, member=member,
        today=today,
    )  # fmt: skip
    if ok:
        register()
        assert competition.entries.count() == 1
    else:
        with pytest.raises(ValidationError):
            register()
        assert competition.entries.count() == 0


def test_a_team_must_be_members_of_the_one_union(city, chair_a):
    competition = make_competition(city.city, status="registering")
    mine = MemberFactory(organisation=city.union_a)
    theirs = MemberFactory(organisation=city.union_b)
    with pytest.raises(ValidationError):
        services.entry_register(
            actor=chair_a, competition=competition, organisation=city.union_a,
            team_name="攻关组", team_members=[mine, theirs], today=date(2026, 3, 5),
        )  # fmt: skip
    entry = services.entry_register(
        actor=chair_a, competition=competition, organisation=city.union_a,
        team_name="攻关组", team_members=[mine], today=date(2026, 3, 5),
    )  # fmt: skip
    assert list(entry.team_members.all()) == [mine]


def test_a_member_cannot_be_entered_twice(city, chair_a):
    competition = make_competition(city.city, status="registering")
    member = MemberFactory(organisation=city.union_a)
    kw = dict(actor=chair_a, competition=competition, organisation=city.union_a, member=member)
    services.entry_register(**kw, today=date(2026, 3, 5))
    with pytest.raises(ValidationError):
        services.entry_register(**kw, today=date(2026, 3, 6))


@pytest.mark.parametrize(
    ("value", "ok"), [("-0.01", False), ("0", True), ("10", True), ("10.01", False)]
)
def test_scores_must_lie_inside_the_criterions_range(city, value, ok):
    (judge_user,) = judges(1)
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 10)], judges=[judge_user]
    )
    entry = add_entry(competition, city.union_a)
    judge = Judge.objects.get(user=judge_user)
    criterion = competition.criteria.get()
    call = lambda: services.score_entry(  # noqa: E731
        actor=judge_user, judge=judge, entry=entry, values={criterion.pk: D(value)}
    )
    if ok:
        call()
        assert Score.objects.get().value == D(value)
    else:
        with pytest.raises(ValidationError):
            call()
        assert not Score.objects.exists()


def test_a_judge_holding_a_role_in_the_entrys_union_is_recused(city, chair_a):
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 10)], judges=[chair_a]
    )
    own = add_entry(competition, city.union_a)
    branch = add_entry(competition, city.branch_a)
    other = add_entry(competition, city.union_b)
    judge = Judge.objects.get(user=chair_a)
    criterion = competition.criteria.get()
    for entry in (own, branch):
        with pytest.raises(ValidationError):
            services.score_entry(
                actor=chair_a, judge=judge, entry=entry, values={criterion.pk: D(5)}
            )
    services.score_entry(actor=chair_a, judge=judge, entry=other, values={criterion.pk: D(5)})
    sheet = {row["entry"].pk: row["recused"] for row in services.judge_sheet(judge=judge)}
    assert sheet == {own.pk: True, branch.pk: True, other.pk: False}


def test_a_county_staff_judge_is_not_recused_from_the_unions_below(city, county_user):
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 10)], judges=[county_user]
    )
    entry = add_entry(competition, city.union_a)
    judge = Judge.objects.get(user=county_user)
    services.score_entry(
        actor=county_user, judge=judge, entry=entry,
        values={competition.criteria.get().pk: D(5)},
    )  # fmt: skip
    assert Score.objects.count() == 1


def test_the_total_is_the_weighted_mean_over_judges(city):
    j1, j2 = judges(2)
    competition = make_competition(city.city, status="judging", judges=[j1, j2])
    entry = add_entry(competition, city.union_a)
    # weights 60/40: judge 1 -> 90*0.6 + 80*0.4 = 86; judge 2 -> 70*0.6 + 75*0.4 = 72
    score_all(competition, {entry: {j1: [90, 80], j2: [70, 75]}})
    assert services.standings(competition)["totals"][entry.pk] == D("79.00")


def test_the_total_keeps_two_decimal_places(city):
    j = judges(3)
    competition = make_competition(city.city, status="judging", criteria=[("a", 100, 0, 100)],
                                   judges=j)  # fmt: skip
    entry = add_entry(competition, city.union_a)
    score_all(competition, {entry: {j[0]: [90], j[1]: [90], j[2]: [91]}})
    assert services.standings(competition)["totals"][entry.pk] == D("90.33")


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    ranks = scoring.rank_with_ties(
        {1: D("90"), 2: D("85.5"), 3: D("85.5"), 4: D("80"), 5: D("80"), 6: D("70"), 7: None}
    )
    assert ranks == {1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 6, 7: None}


def test_publishing_needs_every_score_and_then_freezes_the_results(city, staff_user):
    j1, j2 = judges(2)
    competition = make_competition(city.city, status="judging", judges=[j1, j2])
    a, b, c = (add_entry(competition, city.union_a) for _ in range(3))
    score_all(competition, {a: {j1: [90, 80], j2: [90, 80]}, b: {j1: [80, 80]}})
    with pytest.raises(ValidationError):
        services.competition_publish(actor=staff_user, competition=competition)
    assert services.standings(competition)["missing"] == 3
    score_all(competition, {b: {j2: [80, 80]}, c: {j1: [80, 80], j2: [80, 80]}})
    services.competition_publish(actor=staff_user, competition=competition)
    competition.refresh_from_db()
    assert competition.status == "published"
    assert [(e.pk, e.rank, e.total) for e in competition.entries.order_by("rank", "pk")] == [
        (a.pk, 1, D("86.00")),
        (b.pk, 2, D("80.00")),
        (c.pk, 2, D("80.00")),
    ]
    with pytest.raises(ValidationError):
        score_all(competition, {a: {j1: [10, 10]}})
    with pytest.raises(ValidationError):
        services.competition_publish(actor=staff_user, competition=competition)


def test_a_recused_judge_is_not_waited_for(city, staff_user, chair_a):
    (other,) = judges(1)
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 10)], judges=[chair_a, other]
    )
    entry = add_entry(competition, city.union_a)
    score_all(competition, {entry: {other: [7]}})
    services.competition_publish(actor=staff_user, competition=competition)
    entry.refresh_from_db()
    assert (entry.rank, entry.total) == (1, D("70.00"))  # 7 of 0-10 is 70%


def test_winners_become_honours_once(city, staff_user):
    (j,) = judges(1)
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 10)], judges=[j]
    )
    entries = [add_entry(competition, city.union_a) for _ in range(4)]
    score_all(competition, dict(zip(entries, [{j: [9]}, {j: [8]}, {j: [8]}, {j: [5]}],
                                    strict=True)))  # fmt: skip
    competition = services.competition_publish(actor=staff_user, competition=competition)
    kind = HonourKind.objects.get(code="skills_champion")
    kw = dict(actor=staff_user, competition=competition, kind=kind, level="city", year=2026,
              awarding_body="宜昌市总工会", top=2, awarded_on=date(2026, 6, 30))  # fmt: skip
    made = services.honours_from_winners(**kw)
    assert sorted(h.member_id for h in made) == sorted(e.member_id for e in entries[:3])
    assert services.honours_from_winners(**kw) == []
    assert Honour.objects.count() == 3
    assert all(h.organisation_id == city.union_a.pk for h in Honour.objects.all())


def test_the_builtin_honour_kinds_are_seeded():
    assert HonourKind.objects.filter(builtin=True).count() == 13


def test_a_studio_leader_must_belong_to_the_studio_organisation(city, staff_user):
    leader = MemberFactory(organisation=city.union_b)
    with pytest.raises(ValidationError):
        services.studio_create(
            actor=staff_user, organisation=city.union_a, leader=leader, name="x",
            field="innovation", level="city", recognised_on=date(2025, 5, 1),
        )  # fmt: skip


def test_a_winning_team_gets_a_team_honour_or_one_per_member(city, staff_user):
    (j,) = judges(1)
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 10)], judges=[j]
    )
    people = [MemberFactory(organisation=city.union_a) for _ in range(2)]
    team = competition.entries.create(
        organisation=city.union_a, team_name="焊接班", registered_on=date(2026, 3, 2)
    )
    team.team_members.set(people)
    score_all(competition, {team: {j: [9]}})
    competition = services.competition_publish(actor=staff_user, competition=competition)
    kw = dict(actor=staff_user, competition=competition, level="city", year=2026,
              awarding_body="市总", top=1, awarded_on=date(2026, 6, 30))  # fmt: skip
    services.honours_from_winners(kind=HonourKind.objects.get(code="pioneer_team"), **kw)
    services.honours_from_winners(kind=HonourKind.objects.get(code="may_day_medal"), **kw)
    pioneer = Honour.objects.get(kind__code="pioneer_team")
    assert (pioneer.team_name, pioneer.member) == ("焊接班", None)
    medals = Honour.objects.filter(kind__code="may_day_medal")
    assert sorted(h.member_id for h in medals) == sorted(p.pk for p in people)


def test_a_judge_with_assigned_entries_sees_and_scores_only_those(city, staff_user):
    j1, j2 = judges(2)
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 10)], judges=[j1, j2]
    )
    a, b = add_entry(competition, city.union_a), add_entry(competition, city.union_b)
    judge1 = Judge.objects.get(user=j1)
    services.judge_assign(actor=staff_user, judge=judge1, entries=[a])
    assert [row["entry"] for row in services.judge_sheet(judge=judge1)] == [a]
    with pytest.raises(ValidationError):
        score_all(competition, {b: {j1: [5]}})
    # b waits for judge 2 only; a for both.
    score_all(competition, {a: {j1: [8], j2: [6]}, b: {j2: [9]}})
    table = services.standings(competition)
    assert (table["missing"], table["totals"][a.pk], table["totals"][b.pk]) == (
        0, D("70.00"), D("90.00"),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.judge_assign(actor=staff_user, judge=judge1, entries=[b])
