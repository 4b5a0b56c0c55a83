"""Who may be helped, and how a hardship file is opened (domain.md E, issue 13 item 10):
files and relief only for active or retained members; 建档 has an income verification, a
public notice and an approver who did not open, submit or verify the file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from members.models import MemberStatus
from tests.factories import MemberFactory
from welfare import services
from welfare.models import FileStatus, HardshipFile, ReliefApplication

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


def _open(member, actor):
    return services.file_open(
        actor=actor, member=member, year=2026, household_size=2, annual_income=Decimal("0")
    )


def _chinese(exc) -> str:
    with translation.override("zh-hans"):
        return " ".join(exc.value.messages)


REFUSED = [MemberStatus.APPLIED, MemberStatus.WITHDRAWN, MemberStatus.TRANSFERRED_OUT]


@pytest.mark.parametrize("status", REFUSED)
def test_a_file_is_refused_for_an_applicant_or_a_member_who_left(city, chair_a, status):
    member = MemberFactory(
        organisation=city.union_a, status=status, status_changed_on=date(2025, 6, 1)
    )
    with pytest.raises(ValidationError) as exc:
        _open(member, chair_a)
    assert "在职会员或保留会籍" in _chinese(exc)
    assert not HardshipFile.objects.exists()


@pytest.mark.parametrize("status", REFUSED)
def test_relief_is_refused_for_an_applicant_or_a_member_who_left(city, chair_a, status):
    member = MemberFactory(
        organisation=city.union_a, status=status, status_changed_on=date(2025, 6, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.relief_create(
            actor=chair_a, member=member, kind="temporary", reason="x", amount_requested="100"
        )
    assert "在职会员或保留会籍" in _chinese(exc)
    assert not ReliefApplication.objects.exists()


@pytest.mark.parametrize("status", [MemberStatus.ACTIVE, MemberStatus.RETAINED])
def test_active_and_retained_members_are_helped(city, chair_a, status):
    member = MemberFactory(
        organisation=city.union_a, status=status, status_changed_on=date(2025, 6, 1)
    )
    assert _open(member, chair_a).status == FileStatus.DRAFT
    app = services.relief_create(
        actor=chair_a, member=member, kind="temporary", reason="x", amount_requested="100"
    )
    assert app.status == "draft"


def test_a_file_is_verified_put_on_notice_and_approved_by_someone_else(
    chair_a, county_user, staff_user, member_a
):
    f = _open(member_a, chair_a)
    f = services.file_set_status(actor=chair_a, hardship_file=f, to_status="submitted")
    with pytest.raises(ValidationError):  # straight to approval is no longer a step
        services.file_set_status(actor=staff_user, hardship_file=f, to_status="approved")
    with pytest.raises((ValidationError, PermissionDenied)):  # the submitter does not verify
        services.file_verify(actor=chair_a, hardship_file=f, income_verification="属实")
    with pytest.raises(ValidationError):  # a verification says what was found
        services.file_verify(actor=county_user, hardship_file=f, income_verification=" ")
    f = services.file_verify(actor=county_user, hardship_file=f, income_verification="民政核对属实")
    assert (f.status, f.reviewed_by) == (FileStatus.REVIEWED, county_user)
    f = services.file_start_notice(actor=county_user, hardship_file=f, today=DAY)
    assert f.status == FileStatus.ON_NOTICE and f.notice_ends == DAY + timedelta(days=7)
    with pytest.raises(ValidationError) as exc:  # the notice still runs
        services.file_set_status(
            actor=staff_user, hardship_file=f, to_status="approved", today=DAY + timedelta(days=6)
        )
    assert "公示" in _chinese(exc)
    f = services.file_set_status(
        actor=staff_user, hardship_file=f, to_status="approved", today=DAY + timedelta(days=7)
    )
    assert (f.status, f.approved_by, f.submitted_by) == (FileStatus.APPROVED, staff_user, chair_a)


def test_the_person_who_opened_the_file_cannot_approve_it(staff_user, county_user, member_a):
    f = _open(member_a, staff_user)
    services.file_set_status(actor=None, hardship_file=f, to_status="submitted")
    services.file_verify(actor=county_user, hardship_file=f, income_verification="属实")
    services.file_start_notice(actor=county_user, hardship_file=f, today=DAY)
    with pytest.raises(ValidationError) as exc:
        services.file_set_status(
            actor=staff_user, hardship_file=f, to_status="approved", today=DAY + timedelta(days=8)
        )
    assert "由您建立" in _chinese(exc)
    assert HardshipFile.objects.get(pk=f.pk).status == FileStatus.ON_NOTICE


def test_the_verifier_cannot_approve_the_file(chair_a, staff_user, member_a):
    f = _open(member_a, chair_a)
    services.file_set_status(actor=chair_a, hardship_file=f, to_status="submitted")
    services.file_verify(actor=staff_user, hardship_file=f, income_verification="属实")
    services.file_start_notice(actor=None, hardship_file=f, today=DAY)
    with pytest.raises(ValidationError):
        services.file_set_status(
            actor=staff_user, hardship_file=f, to_status="approved", today=DAY + timedelta(days=8)
        )
