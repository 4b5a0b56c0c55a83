from datetime import date

import pytest
from django.urls import reverse

from welfare import services

from .conftest import on_notice
from .helpers import verify_and_notice

pytestmark = pytest.mark.django_db


def test_the_member_timeline_shows_relief_files_and_visits(as_user, chair_a, county_user, member_a):
    services.file_open(actor=chair_a, member=member_a, year=2026, household_size=2)
    app = on_notice(member_a, chair_a, county_user)
    services.visit_record(
        actor=chair_a,
        member=member_a,
        occasion="birthday",
        visited_on=date(2026, 5, 1),
        in_cash=False,
        amount="200",
        visitors="主席",
    )
    response = as_user(chair_a).get(reverse("members:member_detail", args=[member_a.pk]))
    content = response.content.decode()
    assert app.get_absolute_url() in content
    assert member_a.hardship_files.get().get_absolute_url() in content
    kinds = {e.kind for e in response.context["timeline"]}
    assert {"relief", "hardship", "visit"} <= kinds


def test_the_dashboard_lists_relief_to_review_and_files_due(
    as_user, chair_a, county_user, member_a
):
    app = services.relief_create(
        actor=chair_a, member=member_a, kind="temporary", reason="x", amount_requested="100"
    )
    services.relief_submit(actor=chair_a, application=app, home_visit="走访")
    f = services.file_open(actor=chair_a, member=member_a, year=2026, household_size=2)
    services.file_set_status(actor=chair_a, hardship_file=f, to_status="submitted")
    verify_and_notice(f, approve_on=date(2025, 3, 1))
    services.file_set_status(
        actor=None, hardship_file=f, to_status="approved", today=date(2025, 3, 1)
    )
    content = as_user(county_user).get(reverse("todo_panel")).content.decode()
    assert reverse("welfare:relief_list") + "?status=submitted" in content
    assert reverse("welfare:file_list") + "?due=1" in content
    chair_page = as_user(chair_a).get(reverse("todo_panel")).content.decode()
    assert "?status=submitted" not in chair_page


def test_the_daily_task_records_the_files_due(chair_a, county_user, member_a):
    from unionportal.core.models import JobRun
    from welfare.tasks import files_due_for_review

    f = services.file_open(actor=chair_a, member=member_a, year=2026, household_size=2)
    services.file_set_status(actor=chair_a, hardship_file=f, to_status="submitted")
    verify_and_notice(f, approve_on=date(2025, 3, 1))
    services.file_set_status(
        actor=None, hardship_file=f, to_status="approved", today=date(2025, 3, 1)
    )
    files_due_for_review.delay()
    assert JobRun.objects.get(task="welfare_files_due_for_review").rows == 1
