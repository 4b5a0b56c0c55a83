"""Delegates and the size of a congress (domain.md F, issue 13 item 9): delegates are active
members; a congress has at least 5% of the workers as delegates and at least 30; with fewer
than 100 workers the workers meet as an all-worker assembly (职工大会), without delegates."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from congress import services
from congress.models import CongressRule, Delegate, SessionKind
from members.models import MemberStatus, Organisation

from ..factories import MemberFactory
from .helpers import HELD_ON, make_delegates

pytestmark = pytest.mark.django_db


def _with_workers(org: Organisation, workers: int) -> Organisation:
    Organisation.objects.filter(pk=org.pk).update(employees=workers, migrant_employees=0)
    org.refresh_from_db()
    return org


def _session(org, *, expected, kind=None, number=1):
    return services.session_create(
        actor=None,
        organisation=org,
        term=3,
        session_number=number,
        kind=kind,
        held_on=HELD_ON,
        delegates_expected=expected,
    )


def _message(exc: pytest.ExceptionInfo, field: str) -> str:
    with translation.override("zh-hans"):
        return " ".join(exc.value.message_dict[field])


@pytest.mark.parametrize(
    "workers, required",
    [(99, None), (100, 30), (599, 30), (600, 30), (601, 31), (999, 50), (1000, 50), (1001, 51)],
)
def test_the_rule_requires_5_percent_of_the_workers_and_at_least_30(workers, required):
    assert CongressRule.current(HELD_ON).delegates_required(workers) == required


def test_a_workforce_that_is_not_reported_requires_no_known_number():
    rule = CongressRule.current(HELD_ON)
    assert rule.delegates_required(None) is None and not rule.holds_assembly(None)


def test_99_workers_meet_as_an_assembly_and_a_congress_is_refused(city):
    org = _with_workers(city.union_a, 99)
    with pytest.raises(ValidationError) as exc:
        _session(org, expected=30, kind=SessionKind.CONGRESS)
    assert "职工大会" in _message(exc, "kind")
    session = _session(org, expected=99)
    assert session.kind == SessionKind.ASSEMBLY


def test_100_workers_hold_a_congress_of_at_least_30(city):
    org = _with_workers(city.union_a, 100)
    with pytest.raises(ValidationError) as exc:
        _session(org, expected=29)
    assert "30" in _message(exc, "delegates_expected")
    session = _session(org, expected=30)
    assert session.kind == SessionKind.CONGRESS


def test_600_workers_need_30_delegates(city):
    org = _with_workers(city.union_a, 600)
    with pytest.raises(ValidationError):
        _session(org, expected=29)
    assert _session(org, expected=30).delegates_expected == 30


def test_1000_workers_need_50_delegates_49_are_refused(city):
    org = _with_workers(city.union_a, 1000)
    with pytest.raises(ValidationError) as exc:
        _session(org, expected=49)
    assert "50" in _message(exc, "delegates_expected")
    assert _session(org, expected=50).delegates_expected == 50


def test_an_update_cannot_shrink_the_congress_below_the_rule(city):
    org = _with_workers(city.union_a, 1000)
    session = _session(org, expected=50)
    with pytest.raises(ValidationError):
        services.session_update(
            actor=None,
            session=session,
            kind=SessionKind.CONGRESS,
            held_on=session.held_on,
            collection_opens=session.collection_opens,
            collection_closes=session.collection_closes,
            delegates_expected=49,
        )
    session.refresh_from_db()
    assert session.delegates_expected == 50


def test_an_assembly_has_no_delegates(city):
    org = _with_workers(city.union_a, 99)
    session = _session(org, expected=99)
    member = MemberFactory(organisation=org)
    with pytest.raises(ValidationError) as exc:
        services.delegate_add(actor=None, session=session, member=member)
    assert "职工大会" in _message(exc, "member")
    assert not Delegate.objects.exists()


@pytest.mark.parametrize(
    "status", [MemberStatus.APPLIED, MemberStatus.RETAINED, MemberStatus.WITHDRAWN]
)
def test_only_an_active_member_can_be_a_delegate(city, status):
    session = _session(_with_workers(city.union_a, 100), expected=30)
    member = MemberFactory(
        organisation=city.union_a, status=status, status_changed_on=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.delegate_add(actor=None, session=session, member=member)
    assert "在职会员" in _message(exc, "member")
    assert not Delegate.objects.exists()


def test_an_active_member_is_chosen(city):
    session = _session(_with_workers(city.union_a, 100), expected=30)
    member = MemberFactory(organisation=city.branch_a, status=MemberStatus.ACTIVE)
    assert services.delegate_add(actor=None, session=session, member=member).member == member


def test_the_page_checks_the_delegates_chosen_against_the_workforce(city, as_user, chair_a):
    session = _session(_with_workers(city.union_a, 1000), expected=50)
    make_delegates(session, 49)
    page = as_user(chair_a).get(reverse("congress:session_detail", args=[session.pk]))
    html = page.content.decode()
    assert 'data-testid="check-size" data-passed="no"' in html
    make_delegates(session, 1)
    page = as_user(chair_a).get(reverse("congress:session_detail", args=[session.pk]))
    assert 'data-testid="check-size" data-passed="yes"' in page.content.decode()


def test_an_unreported_workforce_shows_no_data_not_a_pass(city, as_user, chair_a):
    session = _session(_with_workers(city.union_a, 0), expected=30)
    page = as_user(chair_a).get(reverse("congress:session_detail", args=[session.pk]))
    html = page.content.decode()
    assert 'data-testid="check-size" data-passed="unknown"' in html
    assert "暂无数据" in html
