"""Honours: the award date (required, not in the future, after a round's notice), kinds tied to
a level, and the kinds named in Chinese on every page."""

import re
from datetime import date
from importlib import import_module

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions import nominations, services
from competitions.models import Honour, HonourKind, NominationRound
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)
LATIN = re.compile(r"[A-Za-z]")


def record(city, code="may_day_medal", level="city", awarded_on=TODAY):
    return services.honour_create(
        actor=None, kind=HonourKind.objects.get(code=code), level=level, year=2026,
        awarded_on=awarded_on, awarding_body="宜昌市总工会", organisation=city.union_a,
        member=MemberFactory(organisation=city.union_a), today=TODAY,
    )  # fmt: skip


def test_an_honour_is_awarded_today_at_the_latest(city):
    assert record(city, awarded_on=TODAY).awarded_on == TODAY
    with pytest.raises(ValidationError) as exc:
        record(city, awarded_on=date(2026, 12, 3))
    assert "awarded_on" in exc.value.message_dict
    assert Honour.objects.count() == 1


def test_a_kind_tied_to_a_level_is_awarded_at_that_level_only(city):
    record(city, code="national_model_worker", level="national")
    with pytest.raises(ValidationError) as exc:
        record(city, code="national_model_worker", level="city")
    assert "level" in exc.value.message_dict
    record(city, code="may_day_medal", level="provincial")  # any level


def test_every_builtin_kind_is_named_in_chinese():
    names = list(HonourKind.objects.filter(builtin=True).values_list("name", flat=True))
    assert len(names) == 13 and not [n for n in names if LATIN.search(n)]
    assert {"全国劳动模范", "省劳动模范", "五一劳动奖状", "五一劳动奖章", "工人先锋号"} <= set(
        names
    )


def test_no_page_shows_an_english_honour_kind(city, as_user, staff_user, chair_a):
    record(city, code="pioneer_team", level="city")
    round_ = nominations.round_create(
        actor=staff_user, organiser=city.city, kind=HonourKind.objects.get(code="may_day_medal"),
        level="city", year=2027, awarding_body="宜昌市总工会",
    )  # fmt: skip
    english = [n for _c, n, _r in import_module("competitions.migrations.0002_honour_kinds").KINDS]
    pages = [
        reverse("competitions:honour_list"),
        reverse("competitions:honour_kinds"),
        reverse("competitions:honour_create"),
        reverse("competitions:round_list"),
        round_.get_absolute_url(),
    ]
    for user in (staff_user, chair_a):
        client = as_user(user)
        for page in pages:
            response = client.get(page)
            if response.status_code == 403:
                continue
            content = response.content.decode()
            assert response.status_code == 200, page
            assert not [n for n in english if n in content], page
    content = as_user(staff_user).get(round_.get_absolute_url()).content.decode()
    assert "2027年五一劳动奖章" in content
    assert str(NominationRound.objects.get()) == "2027年五一劳动奖章"


def _round_on_notice(city, staff_user, chair_a):
    round_ = nominations.round_create(
        actor=staff_user, organiser=city.city, kind=HonourKind.objects.get(code="may_day_medal"),
        level="city", year=2026, awarding_body="宜昌市总工会", with_defaults=False,
    )  # fmt: skip
    nominations.quota_set(actor=staff_user, round_=round_, organisation=city.union_a, seats=2)
    member = MemberFactory(organisation=city.union_a)
    nomination = nominations.nominate(
        actor=chair_a, round_=round_, organisation=city.union_a, member=member
    )
    nominations.round_start_notice(
        actor=staff_user, round_=round_, notice_from=date(2026, 4, 1), notice_to=date(2026, 4, 7)
    )
    return round_, nomination


def test_a_rounds_honours_are_awarded_after_its_notice(city, staff_user, chair_a):
    round_, nomination = _round_on_notice(city, staff_user, chair_a)
    decide = lambda day: nominations.round_decide(  # noqa: E731
        actor=staff_user, round_=round_, awarded={nomination.pk}, awarded_on=day,
        today=date(2026, 4, 30),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        decide(date(2026, 4, 7))  # the notice's last day
    decide(date(2026, 4, 8))
    assert Honour.objects.get().awarded_on == date(2026, 4, 8)


def test_the_outcome_form_takes_the_award_date(city, as_user, staff_user, chair_a):
    round_, nomination = _round_on_notice(city, staff_user, chair_a)
    client = as_user(staff_user)
    with time_machine.travel("2026-04-30 10:00 +0800"):
        page = client.get(round_.get_absolute_url()).content.decode()
        assert 'data-testid="awarded-on"' in page
        client.post(
            reverse("competitions:round_decide", args=[round_.pk]),
            {"awarded": [nomination.pk], "awarded_on": "2026-04-28"},
        )
    assert Honour.objects.get().awarded_on == date(2026, 4, 28)


def test_the_honour_list_shows_the_award_date(city, as_user, chair_a):
    record(city, awarded_on=date(2026, 9, 30))
    content = as_user(chair_a).get(reverse("competitions:honour_list")).content.decode()
    assert "2026-09-30" in content and "五一劳动奖章" in content
