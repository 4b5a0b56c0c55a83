"""How a total is worked out (domain.md G, competitions.scoring): each criterion scaled to its
range before it is weighted, the mean over judges, rounded half up to 2 places."""

from fractions import Fraction

import pytest

from competitions import scoring, services

from .helpers import D, add_entry, judges, make_competition, score_all

pytestmark = pytest.mark.django_db

# Theory is scored 0-10, practice 0-100, each weighing 50.
MIXED = [("理论", 50, 0, 10), ("实操", 50, 0, 100)]


def totals(competition, table):
    score_all(competition, table)
    return services.standings(competition)["totals"]


@pytest.mark.parametrize(
    ("theory", "practice", "total"),
    [
        ("10", "100", "100.00"),  # a perfect entry (55.00 before the scores were scaled)
        ("7.5", "75", "75.00"),  # 75% on both
        ("0", "0", "0.00"),  # the bottom of both ranges
        ("10", "0", "50.00"),  # full marks on the theory half only (5.00 before)
        ("0", "100", "50.00"),  # ... or on the practice half
    ],
)
def test_each_criterion_is_scaled_to_its_range_before_weighting(city, theory, practice, total):
    (j,) = judges(1)
    competition = make_competition(city.city, status="judging", criteria=MIXED, judges=[j])
    entry = add_entry(competition, city.union_a)
    assert totals(competition, {entry: {j: [theory, practice]}})[entry.pk] == D(total)


def test_a_range_that_does_not_start_at_0_is_scaled_from_its_lowest_score(city):
    (j,) = judges(1)
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 60, 100)], judges=[j]
    )
    low, mid, top = (add_entry(competition, city.union_a) for _ in range(3))
    result = totals(competition, {low: {j: [60]}, mid: {j: [90]}, top: {j: [100]}})
    assert (result[low.pk], result[mid.pk], result[top.pk]) == (D("0.00"), D("75.00"), D("100.00"))


def test_the_ranking_follows_the_scaled_totals(city):
    """0-10 theory and 0-100 practice: 8 and 60 (70%) beats 6 and 70 (65%); unscaled it lost
    (34.00 against 38.00)."""
    (j,) = judges(1)
    competition = make_competition(city.city, status="judging", criteria=MIXED, judges=[j])
    a, b = add_entry(competition, city.union_a), add_entry(competition, city.union_a)
    table = totals(competition, {a: {j: ["8", "60"]}, b: {j: ["6", "70"]}})
    assert (table[a.pk], table[b.pk]) == (D("70.00"), D("65.00"))
    assert services.standings(competition)["ranks"] == {a.pk: 1, b.pk: 2}


def test_the_mean_is_rounded_half_up_to_two_places(city):
    j1, j2 = judges(2)
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 100)], judges=[j1, j2]
    )
    entry = add_entry(competition, city.union_a)
    # (10.00 + 10.01) / 2 = 10.005: half up gives 10.01 (half even would give 10.00).
    assert totals(competition, {entry: {j1: ["10"], j2: ["10.01"]}})[entry.pk] == D("10.01")


def test_a_third_is_rounded_from_the_exact_value(city):
    (j,) = judges(1)
    competition = make_competition(
        city.city, status="judging", criteria=[("a", 100, 0, 3)], judges=[j]
    )
    one, two = add_entry(competition, city.union_a), add_entry(competition, city.union_a)
    table = totals(competition, {one: {j: [1]}, two: {j: [2]}})
    assert (table[one.pk], table[two.pk]) == (D("33.33"), D("66.67"))
    assert str(table[one.pk]) == "33.33"


def test_round_cents_at_the_half_cent():
    assert scoring.round_cents(Fraction(10005, 1000)) == D("10.01")
    assert scoring.round_cents(Fraction(100049999, 10000000)) == D("10.00")
    assert scoring.round_cents(Fraction(100)) == D("100.00")
    assert scoring.round_cents(Fraction(2, 3) * 100) == D("66.67")
