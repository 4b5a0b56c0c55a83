"""Pages of the competitions app: who may open what (allowed, lower role 403, outsider 404,
GET on an action 405), the judging flow, exports and query counts."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from competitions.models import (
    Competition,
    Entry,
    Honour,
    HonourKind,
    InnovationStudio,
    Judge,
    NominationRound,
    Score,
)
from members.models import RoleName
from members.timeline import member_timeline
from tests.factories import MemberFactory, RoleFactory, UserFactory

from .helpers import D, add_entry, make_competition, score_all

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"competitions:{name}", args=args)


# --- Lists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code"),
    [("staff_user", 200), ("county_user", 200), ("chair_a", 200), ("officer_a", 200),
     ("auditor_user", 403)],
)  # fmt: skip
@pytest.mark.parametrize("name", ["competition_list", "honour_list", "studio_list", "round_list"])
def test_the_lists_open_for_every_role_but_the_auditor(request, as_user, persona, code, name):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(url(name)).status_code == code


def test_a_chair_sees_competitions_above_its_union_but_not_another_countys(city, as_user, chair_a):
    above = make_competition(city.city)
    county = make_competition(city.county_a)
    other = make_competition(city.county_b)
    page = as_user(chair_a).get(url("competition_list"))
    shown = {c.pk for c in page.context["page"]}
    assert shown == {above.pk, county.pk}
    assert other.pk not in shown


@pytest.mark.parametrize("name", ["competition_list", "honour_list", "studio_list", "round_list"])
def test_list_pages_cost_the_same_whatever_their_length(
    city, as_user, staff_user, django_assert_max_num_queries, name
):
    client = as_user(staff_user)

    def grow(n):
        for _ in range(n):
            member = MemberFactory(organisation=city.union_a)
            make_competition(city.city)
            Honour.objects.create(
                kind=HonourKind.objects.first(), level="city", year=2025, awarding_body="市",
                organisation=city.union_a, member=member, awarded_on=date(2025, 4, 28),
            )  # fmt: skip
            NominationRound.objects.create(
                organiser=city.city, kind=HonourKind.objects.first(), level="city", year=2026,
                awarding_body="市",
            )  # fmt: skip
            InnovationStudio.objects.create(
                name="工作室", organisation=city.union_a, leader=member, field="innovation",
                level="city", recognised_on=date(2024, 1, 1),
            )  # fmt: skip

    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(name)).status_code == 200
    grow(8)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url(name)).status_code == 200


# --- Creating a competition ----------------------------------------------------------------


def competition_post(organiser):
    return {
        "organiser": organiser.pk,
        "name": "职工技能大赛",
        "field": "vocational",
        "kind": "skills",
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        "registration_opens": "2026-03-01",
        "registration_closes": "2026-03-31",
    }


@pytest.mark.parametrize(
    ("persona", "code"),
    [("admin_user", 200), ("staff_user", 200), ("county_user", 200), ("chair_a", 403),
     ("officer_a", 403), ("auditor_user", 403)],
)  # fmt: skip
def test_who_may_create_a_competition(request, as_user, persona, code):
    assert as_user(request.getfixturevalue(persona)).get(url("competition_create")).status_code == (
        code
    )


def test_staff_creates_a_competition(city, as_user, staff_user):
    response = as_user(staff_user).post(url("competition_create"), competition_post(city.city))
    competition = Competition.objects.get()
    assert response.status_code == 302
    assert (competition.organiser, competition.status) == (city.city, "planned")


def test_county_staff_cannot_organise_for_another_county(city, as_user, county_user):
    response = as_user(county_user).post(url("competition_create"), competition_post(city.county_b))
    assert response.status_code == 200
    assert not Competition.objects.exists()


def test_bad_dates_are_shown_on_the_form(city, as_user, staff_user):
    data = {**competition_post(city.city), "ends_on": "2026-01-01"}
    response = as_user(staff_user).post(url("competition_create"), data)
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not Competition.objects.exists()


# --- Managing a competition ----------------------------------------------------------------

ACTIONS = ["criterion_add", "judge_add", "competition_advance", "competition_publish"]


@pytest.mark.parametrize("name", ACTIONS + ["winners_to_honours", "score_save"])
def test_actions_refuse_get(city, as_user, staff_user, name):
    competition = make_competition(city.city)
    arg = add_entry(competition, city.union_a).pk if name == "score_save" else competition.pk
    assert as_user(staff_user).get(url(name, arg)).status_code == 405


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize(("persona", "code"), [("chair_a", 403), ("officer_a", 403)])
def test_a_grassroots_union_cannot_manage_the_citys_competition(
    request, city, as_user, name, persona, code
):
    competition = make_competition(city.city)
    client = as_user(request.getfixturevalue(persona))
    assert client.get(url("competition_detail", competition.pk)).status_code == 200
    assert client.post(url(name, competition.pk), {"name": "x"}).status_code == code


@pytest.mark.parametrize("name", ["competition_detail", *ACTIONS, "judge_sheet", "entry_create"])
def test_another_countys_competition_is_404(city, as_user, county_user, name):
    competition = make_competition(city.county_b)
    client = as_user(county_user)
    response = client.get(url(name, competition.pk))
    assert response.status_code in (404, 405)
    assert client.post(url(name, competition.pk)).status_code in (404, 405)


def test_staff_adds_criteria_and_judges_and_opens_registration(city, as_user, staff_user):
    competition = make_competition(city.city, criteria=[("实操", 60, 0, 100)])
    judge = UserFactory(username="zhang")
    client = as_user(staff_user)
    client.post(
        url("criterion_add", competition.pk),
        {"name": "理论", "weight": "40", "min_score": "0", "max_score": "100"},
    )
    client.post(url("judge_add", competition.pk), {"username": "zhang"})
    client.post(url("judge_add", competition.pk), {"username": "nobody"})
    client.post(url("competition_advance", competition.pk))
    competition.refresh_from_db()
    assert competition.criteria.count() == 2
    assert list(Judge.objects.values_list("user", flat=True)) == [judge.pk]
    assert competition.status == "registering"


def test_opening_with_weights_off_100_shows_a_message_and_changes_nothing(
    city, as_user, staff_user
):
    competition = make_competition(city.city, criteria=[("实操", 60, 0, 100)], judges=[staff_user])
    response = as_user(staff_user).post(url("competition_advance", competition.pk), follow=True)
    competition.refresh_from_db()
    assert competition.status == "planned"
    assert len(list(response.context["messages"])) == 1


# --- Entries -------------------------------------------------------------------------------


@time_machine.travel(date(2026, 3, 10))
def test_a_chair_registers_an_entry_of_its_own_union(city, as_user, chair_a):
    competition = make_competition(city.city, status="registering")
    member = MemberFactory(organisation=city.union_a)
    client = as_user(chair_a)
    assert client.get(url("entry_create", competition.pk)).status_code == 200
    response = client.post(
        url("entry_create", competition.pk),
        {"organisation": city.union_a.pk, "member": member.pk},
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.member, entry.organisation, entry.registered_by) == (
        member,
        city.union_a,
        chair_a,
    )


@time_machine.travel(date(2026, 3, 10))
def test_a_chair_cannot_enter_another_unions_member(city, as_user, chair_a):
    competition = make_competition(city.city, status="registering")
    theirs = MemberFactory(organisation=city.union_b)
    response = as_user(chair_a).post(
        url("entry_create", competition.pk),
        {"organisation": city.union_b.pk, "member": theirs.pk},
    )
    assert response.status_code == 200
    assert not Entry.objects.exists()


def test_the_auditor_cannot_enter(city, as_user, auditor_user):
    competition = make_competition(city.city, status="registering")
    assert as_user(auditor_user).get(url("entry_create", competition.pk)).status_code == 404


def test_a_chair_sees_only_its_own_entries(city, as_user, chair_a, staff_user):
    competition = make_competition(city.city, status="registering")
    mine = add_entry(competition, city.union_a)
    add_entry(competition, city.union_b)
    chair_page = as_user(chair_a).get(url("competition_detail", competition.pk))
    assert [e.pk for e in chair_page.context["entries"]] == [mine.pk]
    staff_page = as_user(staff_user).get(url("competition_detail", competition.pk))
    assert len(staff_page.context["entries"]) == 2


# --- Judging -------------------------------------------------------------------------------


def test_a_judge_from_another_union_sees_the_sheet_only_for_the_competition_judged(
    city, as_user, chair_b
):
    competition = make_competition(city.county_a, status="judging", judges=[chair_b])
    add_entry(competition, city.union_a)
    client = as_user(chair_b)
    sheet = client.get(url("judge_sheet", competition.pk))
    assert sheet.status_code == 200
    assert len(sheet.context["rows"]) == 1
    detail = client.get(url("competition_detail", competition.pk))
    assert detail.context["entries"] == []
    not_judged = make_competition(city.county_a, status="judging")
    assert client.get(url("judge_sheet", not_judged.pk)).status_code == 404


def test_staff_who_is_not_a_judge_cannot_score(city, as_user, staff_user):
    competition = make_competition(city.city, status="judging")
    entry = add_entry(competition, city.union_a)
    client = as_user(staff_user)
    assert client.get(url("judge_sheet", competition.pk)).status_code == 403
    assert client.post(url("score_save", entry.pk), {}).status_code == 403


def test_a_judge_scores_through_the_sheet(city, as_user, chair_b):
    competition = make_competition(city.city, status="judging", judges=[chair_b])
    entry = add_entry(competition, city.union_a)
    a, b = competition.criteria.all()
    client = as_user(chair_b)
    client.post(url("score_save", entry.pk), {f"c{a.pk}": "95.5", f"c{b.pk}": "101"})
    assert not Score.objects.exists()
    client.post(url("score_save", entry.pk), {f"c{a.pk}": "abc", f"c{b.pk}": "1"})
    assert not Score.objects.exists()
    client.post(url("score_save", entry.pk), {f"c{a.pk}": "95.5", f"c{b.pk}": "80"})
    assert sorted(Score.objects.values_list("value", flat=True)) == [D("80"), D("95.5")]


def test_the_sheet_shows_recusal(city, as_user, chair_a):
    competition = make_competition(city.city, status="judging", judges=[chair_a])
    entry = add_entry(competition, city.union_a)
    page = as_user(chair_a).get(url("judge_sheet", competition.pk))
    assert f'data-testid="sheet-{entry.pk}"' in page.content.decode()
    assert 'data-testid="recused"' in page.content.decode()


def published(city, staff_user):
    j1, j2 = UserFactory(username="j1"), UserFactory(username="j2")
    competition = make_competition(city.city, status="judging", judges=[j1, j2])
    a = add_entry(competition, city.union_a)
    b = add_entry(competition, city.union_b)
    c = add_entry(competition, city.union_a)
    score_all(
        competition,
        {a: {j1: [90, 90], j2: [90, 90]}, b: {j1: [80, 80], j2: [80, 80]},
         c: {j1: [80, 80], j2: [80, 80]}},
    )  # fmt: skip
    return competition, (a, b, c)


def test_staff_publishes_and_the_ranking_shares_ties(city, as_user, staff_user, chair_a):
    competition, (a, b, c) = published(city, staff_user)
    client = as_user(staff_user)
    assert client.post(url("competition_publish", competition.pk)).status_code == 302
    competition.refresh_from_db()
    assert competition.status == "published"
    page = client.get(url("competition_detail", competition.pk))
    assert [(e.pk, e.rank) for e in page.context["entries"]] == [(a.pk, 1), (b.pk, 2), (c.pk, 2)]
    chair_page = as_user(chair_a).get(url("competition_detail", competition.pk))
    assert [(e.pk, e.rank) for e in chair_page.context["entries"]] == [(a.pk, 1), (c.pk, 2)]


def test_results_export_is_scoped_and_only_once_published(city, as_user, staff_user, chair_a):
    competition, _ = published(city, staff_user)
    assert as_user(staff_user).get(url("competition_export", competition.pk)).status_code == 404
    as_user(staff_user).post(url("competition_publish", competition.pk))
    response = as_user(chair_a).get(url("competition_export", competition.pk))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [1, 2]
    assert {r[2] for r in rows[1:]} == {city.union_a.name}


def test_winners_become_honours_from_the_page(city, as_user, staff_user, chair_a):
    competition, (a, b, c) = published(city, staff_user)
    client = as_user(staff_user)
    client.post(url("competition_publish", competition.pk))
    kind = HonourKind.objects.get(code="skills_champion")
    data = {"kind": kind.pk, "level": "city", "year": 2026, "awarding_body": "市总", "top": 2,
            "awarded_on": "2026-06-30"}  # fmt: skip
    assert as_user(chair_a).post(url("winners_to_honours", competition.pk), data).status_code == (
        403
    )
    client.post(url("winners_to_honours", competition.pk), data)
    assert sorted(Honour.objects.values_list("entry", flat=True)) == [a.pk, b.pk, c.pk]


# --- Honours and studios -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code"),
    [("staff_user", 200), ("county_user", 200), ("chair_a", 403), ("officer_a", 403)],
)
@pytest.mark.parametrize("name", ["honour_create", "studio_create"])
def test_who_may_record_honours_and_studios(request, as_user, persona, code, name):
    assert as_user(request.getfixturevalue(persona)).get(url(name)).status_code == code


def test_county_staff_records_an_honour_for_a_member(city, as_user, county_user):
    member = MemberFactory(organisation=city.union_a)
    kind = HonourKind.objects.get(code="may_day_medal")
    client = as_user(county_user)
    assert client.get(url("honour_create") + f"?organisation={city.union_a.pk}").status_code == 200
    response = client.post(
        url("honour_create"),
        {"kind": kind.pk, "level": "city", "year": 2025, "awarding_body": "市总",
         "organisation": city.union_a.pk, "member": member.pk, "awarded_on": "2025-04-28"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Honour.objects.get().member == member


def test_honours_list_and_export_are_scoped_and_masked(city, as_user, chair_a):
    kind = HonourKind.objects.first()
    mine = MemberFactory(organisation=city.union_a)
    theirs = MemberFactory(organisation=city.union_b)
    for m in (mine, theirs):
        Honour.objects.create(
            kind=kind, level="city", year=2025, awarding_body="市", organisation=m.organisation,
            member=m, awarded_on=date(2025, 4, 28),
        )  # fmt: skip
    client = as_user(chair_a)
    page = client.get(url("honour_list"))
    assert [h.member for h in page.context["page"]] == [mine]
    response = client.get(url("honour_list") + "?format=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert mine.resident_id not in str(rows)
    assert mine.resident_id_masked in str(rows)


def test_staff_records_a_studio(city, as_user, staff_user):
    leader = MemberFactory(organisation=city.union_a)
    response = as_user(staff_user).post(
        url("studio_create"),
        {"name": "劳模创新工作室", "organisation": city.union_a.pk, "leader": leader.pk,
         "field": "innovation", "level": "city", "recognised_on": "2025-04-28",
         "exemplary_on": "2026-04-28"},
    )  # fmt: skip
    assert response.status_code == 302
    studio = InnovationStudio.objects.get()
    assert (studio.leader, studio.level, studio.exemplary_on) == (leader, "city", date(2026, 4, 28))


def test_the_member_timeline_shows_entries_honours_and_studios(city, as_user, staff_user):
    member = MemberFactory(organisation=city.union_a)
    competition = make_competition(city.city)
    add_entry(competition, city.union_a, member=member)
    Honour.objects.create(
        kind=HonourKind.objects.get(code="may_day_medal"), level="city", year=2025,
        awarding_body="市总", organisation=city.union_a, member=member,
        awarded_on=date(2025, 4, 28),
    )  # fmt: skip
    InnovationStudio.objects.create(
        name="张师傅创新工作室", organisation=city.union_a, leader=member, field="innovation",
        level="city", recognised_on=date(2024, 4, 28),
    )  # fmt: skip
    kinds = {e.kind for e in member_timeline(member)}
    assert {"competition", "honour", "studio"} <= kinds
    page = as_user(staff_user).get(reverse("members:member_detail", args=[member.pk]))
    assert "张师傅创新工作室" in page.content.decode()


@pytest.mark.parametrize(
    ("persona", "get", "post"),
    [("admin_user", 200, 302), ("staff_user", 200, 403), ("chair_a", 200, 403),
     ("auditor_user", 403, 403)],
)  # fmt: skip
def test_only_the_administrator_adds_honour_kinds(request, as_user, persona, get, post):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(url("honour_kinds")).status_code == get
    data = {"code": "craftsman", "name": "宜昌工匠", "recipient": "member"}
    assert client.post(url("honour_kinds"), data).status_code == post
    assert HonourKind.objects.filter(code="craftsman").exists() is (post == 302)


def test_criteria_are_removed_while_planned_only(city, as_user, staff_user, chair_a):
    competition = make_competition(city.city)
    first = competition.criteria.first()
    assert as_user(chair_a).post(url("criterion_remove", first.pk)).status_code == 403
    assert as_user(staff_user).get(url("criterion_remove", first.pk)).status_code == 405
    as_user(staff_user).post(url("criterion_remove", first.pk))
    assert competition.criteria.count() == 1
    competition.status = "registering"
    competition.save()
    as_user(staff_user).post(url("criterion_remove", competition.criteria.get().pk))
    assert competition.criteria.count() == 1


def test_a_member_honour_needs_a_member(city, as_user, staff_user):
    kind = HonourKind.objects.get(code="may_day_medal")
    response = as_user(staff_user).post(
        url("honour_create"),
        {"kind": kind.pk, "level": "city", "year": 2025, "awarding_body": "市总",
         "organisation": city.union_a.pk, "awarded_on": "2025-04-28"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert not Honour.objects.exists()


@pytest.mark.parametrize("status", ["planned", "judging", "published"])
def test_the_entry_form_is_closed_outside_registration(city, as_user, chair_a, status):
    competition = make_competition(city.city, status=status)
    response = as_user(chair_a).get(url("entry_create", competition.pk))
    assert response.status_code == 302
    assert response.url == url("competition_detail", competition.pk)


@pytest.mark.parametrize("page", ["competition_detail", "judge_sheet"])
def test_the_competition_and_the_sheet_cost_the_same_whatever_the_entries(
    city, as_user, chair_b, django_assert_max_num_queries, page
):
    competition = make_competition(city.city, status="judging", judges=[chair_b])
    staff = UserFactory(username="fedstaff")
    RoleFactory(user=staff, organisation=city.city, role=RoleName.FEDERATION_STAFF)
    client = as_user(chair_b if page == "judge_sheet" else staff)

    def grow(n):
        for _ in range(n):
            entry = add_entry(competition, city.union_a)
            score_all(competition, {entry: {chair_b: [80, 80]}})

    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(page, competition.pk)).status_code == 200
    grow(6)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url(page, competition.pk)).status_code == 200


def test_staff_assigns_entries_to_a_judge(city, as_user, staff_user, chair_a, chair_b):
    competition = make_competition(city.city, status="registering", judges=[chair_b])
    a, b = add_entry(competition, city.union_a), add_entry(competition, city.union_a)
    judge = Judge.objects.get()
    assert as_user(chair_a).get(url("judge_assign", judge.pk)).status_code == 403
    client = as_user(staff_user)
    assert client.get(url("judge_assign", judge.pk)).status_code == 200
    client.post(url("judge_assign", judge.pk), {"entries": [b.pk]})
    assert list(judge.entries.all()) == [b]
    competition.status = "judging"
    competition.save()
    sheet = as_user(chair_b).get(url("judge_sheet", competition.pk))
    assert [row["entry"] for row in sheet.context["rows"]] == [b]
    assert a.pk not in {row["entry"].pk for row in sheet.context["rows"]}
