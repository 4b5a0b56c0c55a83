"""The membership history (issue "membership history"): who was a member of which union on
which day, counted at each boundary, and past periods that stay as they were when records
dated after them are added or changed."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from members import services
from members.models import Member, MembershipSpell, MemberStatus, SpellStart
from members.stats import cards, membership
from tests.factories import MemberFactory, make_resident_id
from unionportal.core.models import StaleMonth
from unionportal.reporting.models import StatSnapshot
from unionportal.reporting.rollup import stats_rollup
from unionportal.reporting.sources import figures_for

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
Q4 = (date(2026, 10, 1), date(2026, 12, 31))


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def members_of(org, start, end) -> int:
    return figures_for(org, start, end)["members"]


def raw_members(org, day: date) -> int:
    """Independent of the stats module: active spells on `day` in the union's subtree."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FROM members_membershipspell s
            JOIN members_organisation o ON o.id = s.organisation_id
            WHERE o.path LIKE %s AND s.status = 'active' AND s.valid_from <= %s
              AND (s.valid_to IS NULL OR s.valid_to > %s)
            """,
            [org.path + "%", day, day],
        )
        return cursor.fetchone()[0]


def register(org, n: int, joined_on: date, **fields) -> Member:
    return services.member_register(
        actor=None,
        organisation=org,
        resident_id=make_resident_id(9000 + n),
        name=f"成员{n}",
        joined_on=joined_on,
        **fields,
    )


# --- Boundaries -----------------------------------------------------------------------------


def test_a_member_who_joins_on_the_last_day_of_a_quarter_counts_in_it_the_next_day_not(city):
    with at(date(2026, 10, 5)):
        register(city.union_a, 1, date(2026, 9, 30))
        register(city.union_a, 2, date(2026, 10, 1))
    assert members_of(city.union_a, *Q3) == 1 == raw_members(city.union_a, Q3[1])
    assert figures_for(city.union_a, *Q3)["new_members"] == 1
    assert figures_for(city.union_a, *Q4)["new_members"] == 1
    assert members_of(city.union_a, *Q4) == 2


@pytest.mark.parametrize(
    "decided, q3_a, q3_b", [(date(2026, 9, 30), 0, 1), (date(2026, 10, 1), 1, 0)]
)
def test_a_transfer_moves_the_count_in_the_quarter_it_is_decided(city, decided, q3_a, q3_b):
    member = MemberFactory(organisation=city.union_a, joined_on=date(2020, 1, 1))
    with at(decided):
        transfer = services.transfer_request(
            actor=None, member=member, to_organisation=city.union_b, reason="调动", side="sending"
        )
        services.transfer_accept(actor=None, transfer=transfer)
    assert (members_of(city.union_a, *Q3), members_of(city.union_b, *Q3)) == (q3_a, q3_b)
    assert (members_of(city.union_a, *Q4), members_of(city.union_b, *Q4)) == (0, 1)
    assert raw_members(city.union_b, Q3[1]) == q3_b
    # the county of both unions counts the member either way; the transfer is no new member
    assert figures_for(city.union_b, *Q4)["new_members"] == 0


def test_december_changes_leave_the_third_quarter_as_it_was(city):
    """A transfer, a withdrawal and a join in December leave Q3's prefill and snapshot."""
    with at(date(2026, 8, 1)):
        movers = [MemberFactory(organisation=city.union_a, is_migrant=True) for _ in range(2)]
        woman = register(city.union_a, 3, date(2026, 7, 15))
        MemberFactory(organisation=city.union_a)
    with at(date(2026, 10, 10)):
        q3_before = figures_for(city.union_a, *Q3)
        stats_rollup(month=date(2026, 9, 1))
    snap = StatSnapshot.objects.get(organisation=city.union_a, month=date(2026, 9, 1))
    before = (snap.members, snap.migrant_members, snap.women_members, snap.new_members)
    with at(date(2026, 12, 3)):
        transfer = services.transfer_request(
            actor=None,
            member=movers[0],
            to_organisation=city.union_b,
            reason="调动",
            side="sending",
        )
        services.transfer_accept(actor=None, transfer=transfer)
        services.member_change_status(
            actor=None, member=movers[1], to_status=MemberStatus.WITHDRAWN, reason="本人申请"
        )
        register(city.union_a, 4, date(2026, 12, 2))
        # an edit of the member's details counts from today as well
        services.member_update(actor=None, member=woman, is_migrant=True)
        assert figures_for(city.union_a, *Q3) == q3_before
        stats_rollup(month=date(2026, 9, 1))
    snap.refresh_from_db()
    assert (snap.members, snap.migrant_members, snap.women_members, snap.new_members) == before
    assert q3_before["members"] == 4 and q3_before["migrant_members"] == 2
    assert not StaleMonth.objects.exists()  # nothing dated in the past was changed


def test_a_correction_dated_in_august_is_recomputed_by_the_next_nightly_rollup(city):
    from unionportal.reporting.tasks import rollup_recent_stats_task

    with at(date(2026, 7, 1)):
        member = MemberFactory(organisation=city.union_a, joined_on=date(2020, 1, 1))
    august = date(2026, 8, 1)
    with at(date(2026, 9, 2)):
        stats_rollup(month=august)
    assert StatSnapshot.objects.get(organisation=city.union_a, month=august).members == 1
    with at(date(2026, 12, 2)):
        services.member_change_status(
            actor=None,
            member=member,
            to_status=MemberStatus.WITHDRAWN,
            on=date(2026, 8, 20),
            reason="8月已离职，补录",
        )
        marked = set(StaleMonth.objects.values_list("month", flat=True))
        # August to October: November and December the nightly run covers anyway
        assert marked == {august, date(2026, 9, 1), date(2026, 10, 1)}
        assert StatSnapshot.objects.get(organisation=city.union_a, month=august).members == 1
    with at(date(2026, 12, 3), hour=3):
        rollup_recent_stats_task()
    assert StatSnapshot.objects.get(organisation=city.union_a, month=august).members == 0
    assert not StaleMonth.objects.exists()
    assert members_of(city.union_a, date(2026, 8, 1), date(2026, 8, 19)) == 1


def test_a_mark_before_the_oldest_snapshot_creates_no_snapshots(city):
    from unionportal.reporting.tasks import rollup_recent_stats_task

    with at(date(2026, 12, 2)):
        register(city.union_a, 5, date(2019, 5, 1))
        assert StaleMonth.objects.filter(month=date(2019, 5, 1)).exists()
        rollup_recent_stats_task()
    assert set(StatSnapshot.objects.values_list("month", flat=True)) == {
        date(2026, 11, 1),
        date(2026, 12, 1),
    }
    assert not StaleMonth.objects.exists()


def test_a_change_cannot_be_dated_before_the_members_last_change(city):
    from django.core.exceptions import ValidationError

    member = MemberFactory(organisation=city.union_a, joined_on=date(2020, 1, 1))
    with at(date(2026, 11, 2)):
        transfer = services.transfer_request(
            actor=None, member=member, to_organisation=city.union_b, reason="调动", side="sending"
        )
        services.transfer_accept(actor=None, transfer=transfer)
    with at(date(2026, 12, 2)), pytest.raises(ValidationError) as exc:
        services.member_change_status(
            actor=None,
            member=member,
            to_status=MemberStatus.WITHDRAWN,
            on=date(2026, 11, 1),
            reason="补录",
        )
    assert "on" in exc.value.error_dict


# --- Membership from approval ---------------------------------------------------------------


def test_approval_on_11_20_counts_from_11_20_and_keeps_the_application_date(city):
    with at(date(2026, 10, 5)):
        applicant = register(city.union_a, 6, date(2026, 10, 5), status=MemberStatus.APPLIED)
    assert not MembershipSpell.objects.filter(member=applicant).exists()
    with at(date(2026, 11, 25)):
        services.member_change_status(
            actor=None, member=applicant, to_status=MemberStatus.ACTIVE, on=date(2026, 11, 20)
        )
    applicant.refresh_from_db()
    assert (applicant.applied_on, applicant.joined_on) == (date(2026, 10, 5), date(2026, 11, 20))
    assert members_of(city.union_a, date(2026, 10, 1), date(2026, 10, 31)) == 0
    assert members_of(city.union_a, date(2026, 11, 1), date(2026, 11, 19)) == 0
    assert members_of(city.union_a, date(2026, 11, 1), date(2026, 11, 20)) == 1
    assert figures_for(city.union_a, date(2026, 11, 1), date(2026, 11, 30))["new_members"] == 1
    assert figures_for(city.union_a, date(2026, 10, 1), date(2026, 10, 31))["new_members"] == 0


def test_an_approval_cannot_come_before_the_application(city):
    from django.core.exceptions import ValidationError

    with at(date(2026, 10, 5)):
        applicant = register(city.union_a, 7, date(2026, 10, 5), status=MemberStatus.APPLIED)
    with at(date(2026, 11, 25)), pytest.raises(ValidationError) as exc:
        services.member_change_status(
            actor=None, member=applicant, to_status=MemberStatus.ACTIVE, on=date(2026, 10, 4)
        )
    assert "on" in exc.value.error_dict


def test_a_corrected_joining_date_moves_the_history_and_marks_the_months(city):
    with at(date(2026, 12, 2)):
        member = register(city.union_a, 8, date(2026, 6, 10))
        StaleMonth.objects.all().delete()
        services.member_update(actor=None, member=member, joined_on=date(2026, 7, 10))
        assert StaleMonth.objects.filter(month=date(2026, 6, 1)).exists()
    assert members_of(city.union_a, date(2026, 6, 1), date(2026, 6, 30)) == 0
    assert members_of(city.union_a, date(2026, 7, 1), date(2026, 7, 31)) == 1


# --- Cards and dues as of the end -------------------------------------------------------------


def test_a_card_lost_in_december_still_counts_valid_at_the_end_of_september(city):
    member = MemberFactory(organisation=city.union_a)
    with at(date(2026, 8, 5)):
        card = services.card_issue(
            actor=None, member=member, number="6217000000000001", issued_on=date(2026, 8, 1)
        )
        services.card_activate(actor=None, card=card, on=date(2026, 8, 2))
    with at(date(2026, 12, 2)):
        services.card_report_lost(actor=None, card=card, on=date(2026, 12, 1))
    card.refresh_from_db()
    assert card.ended_on == date(2026, 12, 1)

    def figures(end):
        return next(iter(cards(date(2026, 7, 1), end, city.union_a)), {})

    assert (figures(Q3[1])["cards_valid"], figures(Q3[1])["cards_active"]) == (1, 1)
    assert figures(date(2026, 12, 1))["cards_valid"] == 0
    assert figures(date(2026, 11, 30))["cards_valid"] == 1


def test_dues_paid_after_the_period_do_not_change_its_collected_figure(city):
    from tests.members.dues_helpers import record

    member = MemberFactory(organisation=city.union_a)
    record(member, date(2026, 9, 1), amount="20.00", paid_on=date(2026, 9, 30))
    record(member, date(2026, 8, 1), amount="25.00", paid_on=date(2026, 10, 1))
    q3 = figures_for(city.union_a, *Q3)
    assert q3["dues_expected"] == 45 and q3["dues_collected"] == 20
    assert figures_for(city.union_a, date(2026, 8, 1), date(2026, 10, 1))["dues_collected"] == 45


# --- Members held above the grassroots ------------------------------------------------------


def test_a_closed_employers_retained_members_go_to_the_county_and_the_union_dissolves(
    city, county_user
):
    retired = MemberFactory(organisation=city.union_a, joined_on=date(2001, 1, 1))
    worker = MemberFactory(organisation=city.union_a, joined_on=date(2010, 1, 1))
    with at(date(2026, 11, 1)):
        services.member_change_status(
            actor=None,
            member=retired,
            to_status=MemberStatus.RETAINED,
            reason="企业破产，保留会籍",
            category="employer_closed",
        )
    with at(date(2026, 11, 2)):
        for m, to in ((retired, city.county_a), (worker, city.union_b)):
            t = services.transfer_request(
                actor=None, member=m, to_organisation=to, reason="企业破产", side="sending"
            )
            services.transfer_accept(actor=None, transfer=t)
        for branch_member in Member.objects.filter(organisation=city.branch_a):
            branch_member.delete()
        services.organisation_dissolve(
            actor=None, organisation=city.branch_a, on=date(2026, 11, 2), reason="企业破产"
        )
        services.organisation_dissolve(
            actor=None, organisation=city.union_a, on=date(2026, 11, 2), reason="企业破产"
        )
    retired.refresh_from_db()
    assert retired.organisation == city.county_a and retired.retained_reason == "employer_closed"
    spell = MembershipSpell.objects.get(member=retired, valid_to__isnull=True)
    assert (spell.organisation, spell.status, spell.started_by) == (
        city.county_a,
        "retained",
        SpellStart.TRANSFER,
    )
    rows = {r["organisation_id"]: r for r in membership(*Q4, city.county_a)}
    assert rows[city.county_a.pk]["retained_members"] == 1


def test_a_member_can_be_registered_at_a_township_union(city):
    from tests.factories import OrganisationFactory

    township = OrganisationFactory(parent=city.county_a, kind="township_union", name="某街道工会")
    with at(date(2026, 12, 2)):
        m = register(township, 9, date(2026, 12, 1))
    assert MembershipSpell.objects.get(member=m).organisation == township


def test_a_county_member_cannot_be_moved_down_on_the_member_form(city):
    from django.core.exceptions import ValidationError

    held = MemberFactory(organisation=city.county_a)
    with pytest.raises(ValidationError) as exc:
        services.member_update(actor=None, member=held, organisation=city.union_a)
    assert "organisation" in exc.value.error_dict


# --- Lapse, expulsion, dues ahead -------------------------------------------------------------


@pytest.mark.parametrize("unpaid, allowed", [(5, False), (6, True)])
def test_a_lapse_needs_six_months_unpaid_in_a_row(city, unpaid, allowed):
    from django.core.exceptions import ValidationError

    from members.dues import add_months
    from tests.members.dues_helpers import record

    member = MemberFactory(organisation=city.union_a, joined_on=date(2020, 1, 1))
    on = date(2026, 12, 2)
    for i in range(6):
        month = add_months(date(2026, 12, 1), -(i + 1))
        record(member, month, paid_on=None if i < unpaid else month)
    with at(on):
        if allowed:
            services.member_change_status(
                actor=None, member=member, to_status=MemberStatus.LAPSED, reason="谈话后仍拒缴"
            )
            assert Member.objects.get(pk=member.pk).status == MemberStatus.LAPSED
        else:
            with pytest.raises(ValidationError) as exc:
                services.member_change_status(
                    actor=None, member=member, to_status=MemberStatus.LAPSED, reason="谈话后仍拒缴"
                )
            assert "to_status" in exc.value.error_dict


def test_an_expulsion_needs_its_ground_and_is_filed_with_the_higher_union(city, chair_a):
    from auditlog.models import LogEntry
    from django.core.exceptions import ValidationError

    from members.models import MemberStatusChange

    member = MemberFactory(organisation=city.branch_a)
    with pytest.raises(ValidationError) as exc:
        services.member_change_status(
            actor=chair_a, member=member, to_status=MemberStatus.EXPELLED, reason="判决书"
        )
    assert "category" in exc.value.error_dict
    services.member_change_status(
        actor=chair_a,
        member=member,
        to_status=MemberStatus.EXPELLED,
        reason="（2026）鄂0502刑初1号判决",
        category="criminal_penalty",
    )
    change = MemberStatusChange.objects.get(member=member, to_status="expelled")
    assert change.category == "criminal_penalty" and change.filed_with == city.county_a
    assert LogEntry.objects.filter(additional_data__event="member.expulsion_filed").exists()
    assert not MembershipSpell.objects.filter(member=member, valid_to__isnull=True).exists()


def test_dues_can_be_paid_up_to_a_year_ahead_and_count_in_their_months(city, chair_a):
    from django.core.exceptions import ValidationError

    from members.models import DuesRecord

    member = MemberFactory(organisation=city.union_a, wage_base="4567.89")
    with at(date(2026, 12, 2)):
        with pytest.raises(ValidationError) as exc:
            services.dues_pay_ahead(
                actor=chair_a,
                member=member,
                through=date(2028, 1, 1),
                paid_on=date(2026, 12, 2),
                paid_how="cash",
            )
        assert "through" in exc.value.error_dict
        paid = services.dues_pay_ahead(
            actor=chair_a,
            member=member,
            through=date(2027, 12, 1),
            paid_on=date(2026, 12, 2),
            paid_how="cash",
        )
    assert paid == 12  # January to December 2027: a year ahead is the most
    records = DuesRecord.objects.filter(member=member, month__gt=date(2026, 12, 1))
    assert {str(r.amount) for r in records} == {"22.80"}
    assert all(r.paid_on == date(2026, 12, 2) for r in records)
    with at(date(2027, 3, 1)):
        assert services.dues_generate(month=date(2027, 3, 1)) == 0  # already there, paid
        march = figures_for(city.union_a, date(2027, 3, 1), date(2027, 3, 31))
    assert march["dues_expected"] == march["dues_collected"] == Decimal("22.80")
