"""The assessment pages through the client: the permission matrix (who may open, score,
review and confirm), the checklist's form errors, the review beside the self score, the
printouts and the export."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import AssessmentStatus
from members.models import Organisation

from .helpers import full_marks, open_round, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(city):
    return open_round(city)


def _a(round_, union):
    return round_.assessments.get(organisation=union)


def _form(round_, **override):
    data = {f"score_{k}": v for k, v in full_marks(round_).items()}
    data.update({f"score_{k}": v for k, v in override.items()})
    return data


def test_the_chair_fills_the_checklist_and_submits(city, chair_a, as_user, round_):
    client = as_user(chair_a)
    a = _a(round_, city.union_a)
    page = client.get(a.get_absolute_url()).content.decode()
    assert 'data-testid="checklist"' in page and "组织建设" in page
    assert "来自记录: 入会率 0.0%（职工 100 人，会员 0 人）" in page  # computed, with its source
    response = client.post(reverse("assessment:assessment_save", args=[a.pk]), _form(round_))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.self_total == 68  # 100 less the computed items, which the records do not meet
    client.post(
        reverse("assessment:assessment_save", args=[a.pk]), {**_form(round_), "then": "submit"}
    )
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED
    page = client.get(a.get_absolute_url()).content.decode()
    assert 'data-testid="checklist"' not in page and 'data-testid="accept"' not in page


def test_a_bad_score_is_a_clear_chinese_error_and_nothing_is_saved(city, chair_a, as_user, round_):
    client = as_user(chair_a)
    a = _a(round_, city.union_a)
    url = reverse("assessment:assessment_save", args=[a.pk])
    response = client.post(url, _form(round_, culture="9", home="abc"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert" in page
    assert a.scores.exclude(self_score=None).filter(item_code="home").count() == 0
    assert a.scores.filter(self_scored_by__isnull=False).count() == 0


def test_the_county_reviews_beside_the_self_score_and_needs_a_reason(
    city, chair_a, county_user, as_user, round_
):
    a = _a(round_, city.union_a)
    score_all(a, chair_a)
    client = as_user(county_user)
    page = client.get(a.get_absolute_url()).content.decode()
    assert 'data-testid="review-culture"' in page and 'data-testid="accept"' in page
    url = reverse("assessment:assessment_review", args=[a.pk])
    page = client.post(url, {"item_code": "culture", "score": "2"}, follow=True)
    assert "原因" in page.content.decode()
    assert a.scores.get(item_code="culture").reviewer_score is None
    client.post(url, {"item_code": "culture", "score": "2", "reason": "记录不全"})
    row = a.scores.get(item_code="culture")
    assert (row.self_score, row.reviewer_score) == (5, 2)
    client.post(reverse("assessment:assessment_accept", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == AssessmentStatus.REVIEWED and a.total == 65


# Who may do what: (persona, view name, expected status for union A's assessment)
MATRIX = [
    ("chair_a", "assessment_save", 302),
    ("officer_a", "assessment_save", 302),
    ("county_user", "assessment_save", 403),
    ("staff_user", "assessment_save", 403),
    ("chair_a", "assessment_accept", 403),
    ("officer_a", "assessment_accept", 403),
    ("staff_user", "assessment_accept", 302),
    ("county_user", "assessment_accept", 302),
    ("chair_a", "assessment_confirm", 403),
    ("county_user", "assessment_confirm", 403),
    ("admin_user", "assessment_confirm", 302),
]


@pytest.mark.parametrize(("persona", "view", "expected"), MATRIX)
def test_the_permission_matrix(request, city, as_user, round_, persona, view, expected):
    user = request.getfixturevalue(persona)
    a = _a(round_, city.union_a)
    assert as_user(user).post(reverse(f"assessment:{view}", args=[a.pk])).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("chair_a", 403),
        ("county_user", 200),
        ("staff_user", 200),
        ("auditor_user", 403),
    ],
)
def test_who_may_open_a_round(request, city, as_user, persona, expected):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse("assessment:round_create")).status_code == expected


def test_staff_open_a_round_and_a_bad_date_is_a_form_error(city, staff_user, as_user):
    client = as_user(staff_user)
    url = reverse("assessment:round_create")
    data = {
        "organisation": city.city.pk,
        "name": "2026年度考评",
        "year": 2026,
        "starts_on": "2026-03-01",
        "ends_on": "2026-02-01",
        "self_due_on": "2026-02-15",
    }
    page = client.post(url, data).content.decode()
    assert 'data-testid="errors"' in page
    response = client.post(url, {**data, "ends_on": "2026-12-31", "self_due_on": "2026-06-30"})
    assert response.status_code == 302
    # The same dates again: overlapping, refused on the form.
    page = client.post(url, {**data, "ends_on": "2026-12-31", "self_due_on": "2026-06-30"})
    assert "重叠" in page.content.decode()


def test_a_chair_sees_only_their_own_union_in_the_round(city, chair_a, as_user, round_):
    page = as_user(chair_a).get(round_.get_absolute_url()).content.decode()
    assert city.union_a.name in page and city.union_b.name not in page
    other = _a(round_, city.union_b)
    assert as_user(chair_a).get(other.get_absolute_url()).status_code == 404


def test_the_sheet_and_the_notice_print_and_the_round_exports(
    city, chair_a, county_user, staff_user, as_user, round_
):
    from assessment import services

    a = _a(round_, city.union_a)
    score_all(a, chair_a)
    services.accept(actor=county_user, assessment=a)
    services.confirm(actor=staff_user, assessment=a, today=date(2026, 11, 1))
    client = as_user(staff_user)
    sheet = client.get(reverse("assessment:assessment_print", args=[a.pk])).content.decode()
    assert "建成职工之家" in sheet and "盖章" in sheet and "<nav" not in sheet
    notice = client.get(reverse("assessment:round_notice", args=[round_.pk])).content.decode()
    assert city.union_a.name in notice and "未达标" in notice
    response = client.get(reverse("assessment:round_export", args=[round_.pk]))
    wb = load_workbook(BytesIO(response.content))
    rows = list(wb.active.iter_rows(min_row=2, values_only=True))
    by_path = sorted([city.union_a, city.union_b], key=lambda o: o.path)
    assert [r[0] for r in rows] == [o.name for o in by_path]


def test_the_todo_panel_counts_self_assessments_and_reviews(
    city, chair_a, county_user, as_user, round_
):
    from unionportal.core.todo import todo_items

    assert {i.label: i.count for i in todo_items(chair_a)}.get("待完成的自评") == 1
    assert "待审核的考评" not in {i.label for i in todo_items(county_user)}
    score_all(_a(round_, city.union_a), chair_a)
    assert {i.label: i.count for i in todo_items(chair_a)}.get("待完成的自评") is None
    assert {i.label: i.count for i in todo_items(county_user)}["待审核的考评"] == 1


def test_an_organisation_record_change_shows_in_the_computed_item(city, chair_a, as_user, round_):
    Organisation.objects.filter(pk=city.union_a.pk).update(has_women_committee=True)
    a = _a(round_, city.union_a)
    as_user(chair_a).get(a.get_absolute_url())
    assert a.scores.get(item_code="women_committee").self_score == 3


def test_evidence_is_attached_and_only_pdf_jpeg_png_are_taken(city, chair_a, as_user, round_):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = _a(round_, city.union_a)
    client = as_user(chair_a)
    url = reverse("assessment:evidence_upload", args=[a.pk])
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/pdf")
    page = client.post(url, {"item_code": "home", "title": "照片", "file": bad}, follow=True)
    assert "仅支持 PDF、JPEG 和 PNG 格式的文件" in page.content.decode()
    assert not a.scores.get(item_code="home").evidence.exists()
    pdf = SimpleUploadedFile("home.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(url, {"item_code": "home", "title": "职工之家照片", "file": pdf})
    evidence = a.scores.get(item_code="home").evidence.get()
    response = client.get(reverse("assessment:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "职工之家照片" in client.get(a.get_absolute_url()).content.decode()
