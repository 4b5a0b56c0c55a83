"""One save for the whole judge sheet (issue 20 item 9): a valid sheet saves every entry in one
transaction; one bad score shows its error beside that entry and nothing is saved; an entry left
blank is not scored yet."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from competitions import services
from competitions.models import Score

from .helpers import add_entry, make_competition

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def sheet(city, chair_b):
    """A judging competition of 实操 (0–100) and 理论 (0–100), three entries from union A,
    judged by union B's chair."""
    competition = make_competition(city.city, status="judging", judges=[chair_b])
    entries = [add_entry(competition, city.union_a) for _ in range(3)]
    practice, theory = competition.criteria.all()
    return competition, entries, practice, theory


def field(entry, criterion) -> str:
    return f"e{entry.pk}-c{criterion.pk}"


def url(competition) -> str:
    return reverse("competitions:judge_sheet", args=[competition.pk])


def test_the_sheet_has_one_form_and_one_save_button(sheet, chair_b, as_user):
    competition, entries, practice, theory = sheet
    page = as_user(chair_b).get(url(competition)).content.decode()
    assert page.count('data-testid="sheet-form"') == 1 and page.count('<form method="post"') == 1
    assert page.count('data-testid="save-sheet"') == 1 and "save-score" not in page
    for entry in entries:
        assert (
            f'name="{field(entry, practice)}"' in page and f'name="{field(entry, theory)}"' in page
        )


def test_a_valid_sheet_saves_every_entry_at_once(sheet, chair_b, as_user):
    competition, (a, b, c), practice, theory = sheet
    data = {
        field(a, practice): "90",
        field(a, theory): "85.5",
        field(b, practice): "70",
        field(b, theory): "60",
        field(c, practice): "",  # c is not scored yet
        field(c, theory): "",
    }
    response = as_user(chair_b).post(url(competition), data, follow=True)
    assert response.redirect_chain[-1][0] == url(competition)
    saved = {(s.entry_id, s.criterion_id): s.value for s in Score.objects.all()}
    assert saved == {
        (a.pk, practice.pk): D("90"),
        (a.pk, theory.pk): D("85.5"),
        (b.pk, practice.pk): D("70"),
        (b.pk, theory.pk): D("60"),
    }
    page = response.content.decode()
    assert "已保存 2 名参赛者的评分。" in page
    assert page.count('data-testid="done"') == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("101", "“实操”的评分应在 0 至 100 之间"),  # outside 0–100
        ("abc", "评分须为数字"),
        ("", "请填写“实操”的评分。"),  # 理论 given, 实操 left blank
    ],
)
def test_one_bad_score_shows_beside_its_entry_and_saves_nothing(
    sheet, chair_b, as_user, bad, message
):
    competition, (a, b, _c), practice, theory = sheet
    Score.objects.create(entry=a, judge=competition.judges.get(), criterion=practice, value=D("50"))
    data = {
        field(a, practice): "90",
        field(a, theory): "85",
        field(b, practice): bad,
        field(b, theory): "60",
    }
    response = as_user(chair_b).post(url(competition), data)
    assert response.status_code == 400
    # Nothing saved: a's earlier 50 stands, no new score for a or b.
    assert list(Score.objects.values_list("entry_id", "criterion_id", "value")) == [
        (a.pk, practice.pk, D("50"))
    ]
    page = response.content.decode()
    assert "未保存任何评分：请改正下面标出的分数。" in page
    row_b = page[page.index(f'data-testid="sheet-{b.pk}"') :]
    row_b = row_b[: row_b.index("</tr>")]
    assert f'data-testid="error-{field(b, practice)}"' in row_b and message in row_b
    assert 'class="table-danger"' in row_b
    row_a = page[page.index(f'data-testid="sheet-{a.pk}"') :]
    row_a = row_a[: row_a.index("</tr>")]
    assert "invalid-feedback" not in row_a
    # What the judge typed is kept, so only the bad score needs retyping.
    assert f'name="{field(a, practice)}" value="90"' in page
    assert f'name="{field(b, theory)}" value="60"' in page


def test_a_recused_entry_posted_anyway_is_refused_beside_it(city, chair_a, as_user):
    competition = make_competition(city.city, status="judging", judges=[chair_a])
    own = add_entry(competition, city.union_a)  # chair_a holds a role in union A
    other = add_entry(competition, city.union_b)
    practice, theory = competition.criteria.all()
    data = {
        field(own, practice): "90",
        field(own, theory): "90",
        field(other, practice): "80",
        field(other, theory): "80",
    }
    response = as_user(chair_a).post(url(competition), data)
    assert response.status_code == 400 and not Score.objects.exists()
    assert f'data-testid="entry-error-{own.pk}"' in response.content.decode()


def test_an_empty_sheet_saves_nothing_and_says_so(sheet, chair_b, as_user):
    competition, *_ = sheet
    response = as_user(chair_b).post(url(competition), {}, follow=True)
    assert not Score.objects.exists()
    assert "没有填写评分，未保存任何内容。" in response.content.decode()


def test_the_sheet_cannot_be_saved_outside_judging(city, chair_b, as_user):
    competition = make_competition(city.city, status="registering", judges=[chair_b])
    entry = add_entry(competition, city.union_a)
    practice, theory = competition.criteria.all()
    data = {field(entry, practice): "90", field(entry, theory): "90"}
    response = as_user(chair_b).post(url(competition), data)
    assert response.status_code == 400 and not Score.objects.exists()


def test_a_judge_of_another_competition_cannot_save_this_sheet(sheet, city, chair_b, as_user):
    from tests.factories import UserFactory

    competition, (a, *_), practice, theory = sheet
    stranger = UserFactory(username="stranger", organisation=city.union_b)
    data = {field(a, practice): "90", field(a, theory): "90"}
    assert as_user(stranger).post(url(competition), data).status_code in {403, 404}
    assert not Score.objects.exists()


def test_the_service_saves_nothing_when_one_entry_is_bad(sheet, chair_b):
    competition, (a, b, _c), practice, theory = sheet
    judge = competition.judges.get()
    with pytest.raises(services.SheetErrors) as raised:
        services.score_sheet(
            actor=chair_b,
            judge=judge,
            sheet={
                a.pk: {practice.pk: D("90"), theory.pk: D("90")},
                b.pk: {practice.pk: D("-1"), theory.pk: D("90")},
            },
        )
    assert set(raised.value.by_entry) == {b.pk}
    assert set(raised.value.by_entry[b.pk]) == {f"c{practice.pk}"}
    assert not Score.objects.exists()
