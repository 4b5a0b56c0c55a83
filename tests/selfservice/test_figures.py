"""Online joining figures (issue 19): applications, approved, median days to decide and the
migrant workers among them, per subtree, against an independent count of the records; on the
statistics and membership-rates pages; "no data" when nothing was decided; the demo."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from selfservice import stats
from selfservice.models import JoinApplication
from selfservice.services import applications
from tests.factories import make_resident_id

from .helpers import apply

pytestmark = pytest.mark.django_db


def backdate(app, days):
    JoinApplication.objects.filter(pk=app.pk).update(
        submitted_at=timezone.now() - timedelta(days=days)
    )
    app.refresh_from_db()
    return app


def test_nothing_decided_shows_no_data_not_zero(city, chair_a, as_user):
    apply(city.union_a)
    figures = stats.online_joining(city.county_a)
    assert figures.applications == 1 and figures.pending == 1
    assert figures.median_days is None and figures.approval_rate is None
    page = as_user(chair_a).get(reverse("members:membership_rates")).content.decode()
    section = page.split('data-testid="online-joining"')[1]
    assert 'data-testid="oj-median-days">暂无数据' in section
    assert 'data-testid="oj-applications">1<' in section


def test_the_figures_agree_with_a_count_of_the_records_per_subtree(
    city, chair_a, chair_b, county_user, as_user
):
    today = timezone.localdate()
    made = []
    for i, (org, chair, days, decide, migrant) in enumerate(
        [
            (city.union_a, chair_a, 4, "approve", True),
            (city.union_a, chair_a, 1, "approve", False),
            (city.union_a, chair_a, 9, "reject", True),
            (city.union_a, chair_a, 2, None, True),
            (city.branch_a, chair_a, 0, None, False),  # a branch is not a grassroots union
            (city.union_b, chair_b, 6, "approve", True),
        ]
    ):
        if org.kind == "branch":
            continue
        app = applications.application_submit(
            organisation=org,
            name=f"申请人{i}",
            resident_id=make_resident_id(600 + i),
            mobile=f"1391234{i:04d}",
            employment_type="permanent",
            is_migrant=migrant,
            consent=True,
        )
        app = backdate(app, days)
        if decide == "approve":
            applications.application_approve(actor=chair, application=app)
        elif decide == "reject":
            applications.application_reject(actor=chair, application=app, reason="不符合条件")
        made.append(app.pk)
    # the boundary of the year: last year's application is not counted
    old = backdate(apply(city.union_a, rid=make_resident_id(650)), today.timetuple().tm_yday + 1)
    rows = JoinApplication.objects.exclude(pk=old.pk).filter(
        organisation__path__startswith=city.county_a.path
    )
    decided = [r for r in rows if r.status != "pending"]
    expected_median = statistics.median(
        (timezone.localdate(r.decided_at) - timezone.localdate(r.submitted_at)).days
        for r in decided
    )
    figures = stats.online_joining(city.county_a)
    assert figures.applications == rows.count() == 4
    assert figures.approved == rows.filter(status="approved").count() == 2
    assert figures.rejected == 1 and figures.pending == 1
    assert figures.median_days == expected_median == 4  # days 1, 4, 9
    assert figures.migrant_applications == rows.filter(is_migrant=True).count() == 3
    assert figures.migrant_approved == 1
    assert figures.approval_rate == pytest.approx(66.7)
    assert stats.online_joining(city.city).applications == 5  # county B's one too
    page = as_user(county_user).get(reverse("statistics")).content.decode()
    section = page.split('data-testid="online-joining"')[1]
    assert 'data-testid="oj-approved">2<' in section and "66.7%" in section


def test_the_demo_has_every_state_and_is_idempotent(settings):
    from members import demo
    from members.models import Member
    from selfservice import demo as selfservice_demo
    from tests.factories import MemberFactory

    settings.DEBUG = True
    made = demo.seed_organisations()
    demo.seed_users(made)
    MemberFactory(organisation=made["420502-grassroots"])
    MemberFactory(organisation=made["420506-grassroots"])
    today = timezone.localdate()
    assert selfservice_demo.seed(today) > 20
    assert selfservice_demo.seed(today) == 0
    statuses = set(JoinApplication.objects.values_list("status", flat=True))
    assert statuses == {"pending", "approved", "rejected"}
    assert JoinApplication.objects.filter(transfer_needed=True).exists()
    assert Member.objects.filter(join_application__isnull=False).exists()
