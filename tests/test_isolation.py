"""Branch isolation (security.md D2, D3): chair A asking for any of union B's objects gets 404,
by GET and by POST, and union B's row is unchanged. Every URL with an argument must be listed
here: the guard test fails when a new one is missing."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from congress.models import (
    CongressSession,
    Delegate,
    Motion,
    MotionEvent,
    ReviewedItem,
    Suggestion,
)
from members.models import (
    DuesRecord,
    FundRecord,
    Member,
    Organisation,
    RemittanceRule,
    Role,
    ServiceCard,
    Transfer,
    User,
    WageBase,
)
from members.services import fund_record
from unionportal.core.models import FileJob

from .factories import MemberFactory, OrganisationFactory
from .test_security import all_patterns

pytestmark = pytest.mark.django_db


def union_b_job(kind: str):
    """A file job chair B started for union B (an import preview, an export to download)."""

    def make(city, chair_b) -> int:
        return FileJob.objects.create(
            kind=kind,
            name=f"members.{kind}",
            created_by=chair_b,
            organisation=city.union_b,
            status="done" if kind == "export" else "pending",
            params={"stage": "checked"},
        ).pk

    return make


def union_b_transfer(city, chair_b) -> int:
    """A transfer between union B and another county-B union: both sides outside A's scope."""
    other = OrganisationFactory(parent=city.county_b, name="夷陵丙公司工会")
    member = MemberFactory(organisation=city.union_b)
    return Transfer.objects.create(
        member=member,
        from_organisation=city.union_b,
        to_organisation=other,
        started_by_side=Transfer.Side.SENDING,
        reason="调动",
    ).pk


def union_b_card(city, chair_b) -> int:
    member = MemberFactory(organisation=city.union_b)
    return ServiceCard.objects.create(
        member=member, organisation=city.union_b, number=f"ISOL{member.pk:08d}"
    ).pk


def _union_b_member(city, chair_b) -> int:
    return MemberFactory(organisation=city.union_b).pk


def _union_b_fund(city, chair_b) -> int:
    return fund_record(
        actor=None, organisation=city.union_b, month=date(2025, 3, 1), payroll=Decimal("1000")
    ).pk


def _union_b_rule(city, chair_b) -> int:
    return RemittanceRule.objects.create(
        organisation=city.union_b, effective_from=date(2025, 1, 1), retained_percent=100
    ).pk


def _union_b_relief(city, chair_b) -> int:
    from welfare.services import relief_create

    member = MemberFactory(organisation=city.union_b)
    return relief_create(
        actor=None, member=member, kind="temporary", reason="x", amount_requested=Decimal("10")
    ).pk


def _union_b_proof(city, chair_b) -> int:
    from welfare.models import ReliefApplication, ReliefProof

    app = ReliefApplication.objects.get(pk=_union_b_relief(city, chair_b))
    return ReliefProof.objects.create(
        application=app, title="x", file="welfare/proofs/none.pdf", content_type="application/pdf"
    ).pk


def _union_b_assessment(city, chair_b):
    """A round county B opened: it holds union B's assessment only."""
    from assessment import services as assessment_services

    round_ = assessment_services.round_open(
        actor=None,
        organisation=city.county_b,
        name="夷陵区2026年度考评",
        year=2026,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 31),
        self_due_on=date(2026, 6, 30),
    )
    return round_.assessments.get()


def _union_b_evidence(city, chair_b) -> int:
    from assessment.models import Evidence

    score = _union_b_assessment(city, chair_b).scores.first()
    return Evidence.objects.create(
        score=score, title="x", file="assessment/evidence/none.pdf", content_type="application/pdf"
    ).pk


def _union_b_file(city, chair_b) -> int:
    from welfare.services import file_open

    member = MemberFactory(organisation=city.union_b)
    return file_open(actor=None, member=member, year=2026, household_size=1).pk


def _union_b_campaign(city, chair_b) -> int:
    from welfare.models import Campaign

    return Campaign.objects.create(
        organisation=city.union_b,
        name="乙送温暖",
        kind="winter",
        year=2026,
        budget=Decimal("100"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 2, 1),
    ).pk


def _union_b_report(city, chair_b) -> int:
    """Union B's quarterly report, in a period whose only report it is: neither chair A nor
    county A's staff have anything in that period (its page is 404 for them)."""
    from unionportal.reporting.models import QuarterlyReport, ReportPeriod

    period, _ = ReportPeriod.objects.get_or_create(
        year=2025, quarter=1, defaults={"due_on": date(2025, 4, 15)}
    )
    return QuarterlyReport.objects.get_or_create(period=period, organisation=city.union_b)[0].pk


def _union_b_period(city, chair_b) -> int:
    from unionportal.reporting.models import QuarterlyReport

    return QuarterlyReport.objects.get(pk=_union_b_report(city, chair_b)).period_id


def _union_b_notification(city, chair_b) -> int:
    from unionportal.reporting.models import Notification

    return Notification.objects.create(
        recipient=chair_b, kind="reminder", report_id=_union_b_report(city, chair_b)
    ).pk


# url name -> how to find union B's object for it (given the city and chair B)
def _union_b_competition(city, chair_b) -> int:
    from competitions.models import Competition

    return Competition.objects.create(
        organiser=city.union_b,
        name="乙公司技能比武",
        field="vocational",
        kind="skills",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 6, 30),
        registration_opens=date(2026, 3, 1),
        registration_closes=date(2026, 3, 31),
        status="registering",
    ).pk


def _union_b_competition_entry(city, chair_b) -> int:
    from competitions.models import Entry

    return Entry.objects.create(
        competition_id=_union_b_competition(city, chair_b),
        organisation=city.union_b,
        member=MemberFactory(organisation=city.union_b),
        registered_on=date(2026, 3, 2),
    ).pk


def _union_b_criterion(city, chair_b) -> int:
    from competitions.models import Criterion

    return Criterion.objects.create(
        competition_id=_union_b_competition(city, chair_b), name="x", weight=50
    ).pk


def _union_b_judge(city, chair_b) -> int:
    from competitions.models import Judge

    return Judge.objects.create(competition_id=_union_b_competition(city, chair_b), user=chair_b).pk


def _union_b_round(city, chair_b) -> int:
    from competitions.models import HonourKind, NominationRound

    round_ = NominationRound.objects.create(
        organiser=city.union_b,
        kind=HonourKind.objects.first(),
        level="city",
        year=2026,
        awarding_body="乙",
    )
    round_.quotas.create(organisation=city.union_b, seats=3)
    return round_.pk


def _union_b_rule(city, chair_b) -> int:
    from competitions.models import QuotaRule

    return QuotaRule.objects.create(
        round_id=_union_b_round(city, chair_b), attribute="women", operator="gte", percent=20
    ).pk


def _union_b_nomination(city, chair_b) -> int:
    from competitions.models import Nomination

    return Nomination.objects.create(
        round_id=_union_b_round(city, chair_b),
        organisation=city.union_b,
        member=MemberFactory(organisation=city.union_b),
    ).pk


def _union_b_contract(city, chair_b) -> int:
    """Union B's wage contract, signed and not yet sent (every action is open on it)."""
    from tests.rights.contract_helpers import signed

    return signed(None, city.union_b, date(2026, 3, 1)).pk


def _union_b_mediation(city, chair_b) -> int:
    from rights import services as rights_services

    rights_services.committee_save(
        actor=None, organisation=city.union_b, set_up_on=date(2025, 1, 1), active=True, members=[]
    )
    return rights_services.mediation_register(
        actor=None,
        organisation=city.union_b,
        applied_on=date(2026, 3, 1),
        applicant="乙职工",
        respondent="乙公司",
        subject="工资",
        today=date(2026, 3, 1),
    ).pk


def _union_b_case(city, chair_b) -> int:
    """A case union B received, accepted and dispatched to its branch."""
    from rights import services as rights_services
    from tests.rights.helpers import register

    day = date(2026, 3, 2)
    case = register(chair_b, city.union_b, on=day, today=day)
    case = rights_services.case_accept(actor=chair_b, case=case, on=day, today=day)
    return rights_services.case_dispatch(
        actor=chair_b, case=case, to=city.branch_b, due_on=day, on=day, today=day
    ).pk


def _union_b_case_attachment(city, chair_b) -> int:
    from rights.models import CaseAttachment

    return CaseAttachment.objects.create(
        case_id=_union_b_case(city, chair_b),
        title="x",
        file="rights/attachments/none.pdf",
        content_type="application/pdf",
    ).pk


def _union_b_join_application(city, chair_b) -> int:
    from tests.selfservice.helpers import apply

    return apply(city.union_b).pk


UNION_B_OBJECTS = {
    "members:organisation_detail": lambda city, chair_b: city.union_b.pk,
    "statistics_org": lambda city, chair_b: city.union_b.pk,
    "members:organisation_children": lambda city, chair_b: city.union_b.pk,
    "members:organisation_update": lambda city, chair_b: city.union_b.pk,
    "members:organisation_move": lambda city, chair_b: city.branch_b.pk,
    "members:organisation_dissolve": lambda city, chair_b: city.branch_b.pk,
    "members:account_detail": lambda city, chair_b: chair_b.pk,
    "members:account_update": lambda city, chair_b: chair_b.pk,
    "members:role_grant": lambda city, chair_b: chair_b.pk,
    "members:account_reset_password": lambda city, chair_b: chair_b.pk,
    "members:account_reset_two_step": lambda city, chair_b: chair_b.pk,
    "members:account_deactivate": lambda city, chair_b: chair_b.pk,
    "members:account_activate": lambda city, chair_b: chair_b.pk,
    "members:role_end": lambda city, chair_b: chair_b.roles.get().pk,
    "members:role_confirm": lambda city, chair_b: chair_b.roles.get().pk,
    "members:import_preview": union_b_job("import"),
    "members:import_commit": union_b_job("import"),
    "members:job_detail": union_b_job("export"),
    "members:job_status": union_b_job("export"),
    "members:job_download": union_b_job("export"),
    "members:member_detail": lambda city, chair_b: MemberFactory(organisation=city.union_b).pk,
    "members:member_update": lambda city, chair_b: MemberFactory(organisation=city.union_b).pk,
    "members:member_status": lambda city, chair_b: MemberFactory(organisation=city.branch_b).pk,
    "members:member_reveal": lambda city, chair_b: MemberFactory(organisation=city.union_b).pk,
    "members:transfer_detail": union_b_transfer,
    "members:transfer_accept": union_b_transfer,
    "members:transfer_reject": union_b_transfer,
    "members:transfer_cancel": union_b_transfer,
    "members:card_issue": lambda city, chair_b: MemberFactory(organisation=city.union_b).pk,
    "members:card_activate": union_b_card,
    "members:card_report_lost": union_b_card,
    "members:card_replace": union_b_card,
    "members:dues_member": _union_b_member,
    "members:dues_member_pay": _union_b_member,
    "members:dues_member_pay_ahead": _union_b_member,
    "members:expulsion_acknowledge": lambda city, chair_b: _union_b_expulsion(city),
    "members:dues_wage_base_set": _union_b_member,
    "members:fund_detail": _union_b_fund,
    "members:remittance_rule_edit": _union_b_rule,
    # congress (union B's session, its delegates, motion and suggestion)
    "congress:session_detail": lambda city, chair_b: _union_b_congress(city)["session"],
    "congress:session_update": lambda city, chair_b: _union_b_congress(city)["session"],
    "congress:session_attendance": lambda city, chair_b: _union_b_congress(city)["session"],
    "congress:delegate_add": lambda city, chair_b: _union_b_congress(city)["session"],
    "congress:motion_create": lambda city, chair_b: _union_b_congress(city)["session"],
    "congress:session_register": lambda city, chair_b: _union_b_congress(city)["session"],
    "congress:session_register_export": lambda city, chair_b: _union_b_congress(city)["session"],
    "congress:item_create": lambda city, chair_b: _union_b_congress(city)["session"],
    "congress:delegate_remove": lambda city, chair_b: _union_b_congress(city)["delegate"],
    "congress:motion_detail": lambda city, chair_b: _union_b_congress(city)["motion"],
    "congress:motion_act": lambda city, chair_b: _union_b_congress(city)["motion"],
    "congress:suggestion_evaluate": lambda city, chair_b: _union_b_congress(city)["suggestion"],
    "welfare:relief_detail": _union_b_relief,
    "welfare:relief_update": _union_b_relief,
    "welfare:relief_submit": _union_b_relief,
    "welfare:relief_review": _union_b_relief,
    "welfare:relief_notice": _union_b_relief,
    "welfare:relief_approve": _union_b_relief,
    "welfare:relief_reject": _union_b_relief,
    "welfare:relief_pay": _union_b_relief,
    "welfare:relief_proof_upload": _union_b_relief,
    "welfare:relief_proof": _union_b_proof,
    "welfare:file_detail": _union_b_file,
    "welfare:file_update": _union_b_file,
    "welfare:file_status": _union_b_file,
    "welfare:file_reviewed": _union_b_file,
    "welfare:campaign_detail": _union_b_campaign,
    "welfare:campaign_budget": _union_b_campaign,
    # competitions: a competition union B runs, and an entry in it
    **{
        f"competitions:{name}": _union_b_competition
        for name in (
            "competition_detail",
            "criterion_add",
            "judge_add",
            "competition_advance",
            "competition_publish",
            "winners_to_honours",
            "competition_export",
            "entry_create",
            "judge_sheet",
        )
    },
    "competitions:score_save": _union_b_competition_entry,
    **{
        f"competitions:{name}": _union_b_round
        for name in (
            "round_detail",
            "rule_add",
            "quota_set",
            "round_notice",
            "round_decide",
            "nomination_create",
            "round_export",
        )
    },
    "competitions:rule_remove": _union_b_rule,
    "competitions:objection_add": _union_b_nomination,
    "competitions:nomination_withdraw": _union_b_nomination,
    "competitions:criterion_remove": _union_b_criterion,
    "competitions:judge_assign": _union_b_judge,
    # quarterly reports: union B's report, a period holding only union B's report, and chair
    # B's notification about it
    **{
        f"reporting:{name}": _union_b_report
        for name in ("report_detail", "report_submit", "report_review", "report_print")
    },
    **{
        f"reporting:{name}": _union_b_period
        for name in ("period_detail", "period_due", "period_remind")
    },
    "reporting:notification_read": _union_b_notification,
    # collective contracts and mediation (issue 17)
    **{
        f"contracts:{name}": _union_b_contract
        for name in (
            "contract_detail",
            "contract_update",
            "contract_send",
            "contract_outcome",
            "contract_text",
        )
    },
    "contracts:mediation_update": _union_b_mediation,
    "contracts:committee": lambda city, chair_b: city.union_b.pk,
    # 六有六好: a round holding only union B's assessment, that assessment, its evidence
    **{
        f"assessment:{name}": lambda city, chair_b: _union_b_assessment(city, chair_b).round_id
        for name in ("round_detail", "round_finish", "round_export", "round_notice")
    },
    **{
        f"assessment:{name}": lambda city, chair_b: _union_b_assessment(city, chair_b).pk
        for name in (
            "assessment_detail",
            "assessment_save",
            "assessment_review",
            "assessment_accept",
            "assessment_return",
            "assessment_confirm",
            "evidence_upload",
            "assessment_print",
        )
    },
    "assessment:evidence_file": _union_b_evidence,
    # rights casework: union B's dispatched case, every action on it, its file and slip
    **{
        f"rights:{name}": _union_b_case
        for name in (
            "case_detail",
            "case_slip",
            "case_attach",
            "case_accept",
            "case_reject",
            "case_consult",
            "case_dispatch",
            "case_note",
            "case_extend",
            "case_answer",
            "case_close",
            "case_follow_up",
            "case_review",
        )
    },  # fmt: skip
    "rights:attachment": _union_b_case_attachment,
    # online joining (issue 19): union B's application, and a union B member's account page
    **{
        f"selfservice:{name}": _union_b_join_application
        for name in (
            "application_detail",
            "application_approve",
            "application_reject",
            "application_transfer",
        )
    },
    "selfservice:account_issue": _union_b_member,
}


def _union_b_congress(city) -> dict[str, int]:
    from congress import services as congress_services
    from tests.congress.helpers import make_delegates, make_motion, make_session

    session = make_session(city.union_b)
    delegates = make_delegates(session, 4)
    motion = make_motion(session, delegates)
    suggestion = congress_services.suggestion_create(
        actor=None, submitter=delegates[0].member, title="t", body="b"
    )
    return {
        "session": session.pk,
        "delegate": delegates[3].pk,
        "motion": motion.pk,
        "suggestion": suggestion.pk,
    }


def test_every_url_with_an_argument_is_in_the_isolation_list():
    with_args = {name for name, p in all_patterns() if p.pattern.converters}
    missing = with_args - set(UNION_B_OBJECTS)
    assert not missing, f"add these to UNION_B_OBJECTS: {sorted(missing)}"


def _union_b_expulsion(city) -> int:
    """An expulsion in union B, filed with county B."""
    from members import services
    from members.models import MemberStatusChange

    member = MemberFactory(organisation=city.union_b)
    services.member_change_status(
        actor=None,
        member=member,
        to_status="expelled",
        reason="判决",
        category="criminal_penalty",
    )
    return MemberStatusChange.objects.get(member=member, to_status="expelled").pk


def welfare_models():
    from rights.models import CollectiveContract, MediationCase, MediationCommittee
    from welfare.models import Campaign, HardshipFile, ReliefApplication

    return [
        (ReliefApplication, "organisation"),
        (HardshipFile, "organisation"),
        (Campaign, "organisation"),
        (CollectiveContract, "organisation"),
        (MediationCase, "organisation"),
        (MediationCommittee, "organisation"),
    ]


def snapshot(city, chair_b):
    return (
        list(
            Organisation.objects.filter(path__startswith=city.county_b.path).values().order_by("pk")
        ),
        list(User.objects.filter(pk=chair_b.pk).values()),
        list(Role.objects.filter(user=chair_b).values()),
        list(FileJob.objects.filter(organisation=city.union_b).values().order_by("pk")),
        [
            list(
                model.objects.filter(**{f"{field}__path__startswith": city.county_b.path})
                .values()
                .order_by("pk")
            )
            for model, field in (
                (Member, "organisation"),
                (WageBase, "member__organisation"),
                (DuesRecord, "organisation"),
                (FundRecord, "organisation"),
                (RemittanceRule, "organisation"),
                *welfare_models(),
            )
        ],
        list(Transfer.objects.values().order_by("pk")),
        [
            list(model.objects.values().order_by("pk"))
            for model in (CongressSession, Delegate, Motion, MotionEvent, Suggestion, ReviewedItem)
        ],
        list(ServiceCard.objects.values().order_by("pk")),
        reporting_rows(),
        assessment_rows(),
        rights_rows(),
    )


def assessment_rows():
    from assessment.models import Assessment, AssessmentEvent, Evidence, ItemScore, Round

    return [
        list(model.objects.values().order_by("pk"))
        for model in (Round, Assessment, ItemScore, AssessmentEvent, Evidence)
    ]


def rights_rows():
    from rights.models import Case, CaseAttachment, CaseStep
    from selfservice.models import JoinApplication, MemberAccount

    return [
        list(model.objects.values().order_by("pk"))
        for model in (Case, CaseStep, CaseAttachment, JoinApplication, MemberAccount)
    ]


def reporting_rows():
    from unionportal.reporting.models import (
        Notification,
        QuarterlyReport,
        ReportEvent,
        ReportPeriod,
    )

    return [
        list(model.objects.values().order_by("pk"))
        for model in (ReportPeriod, QuarterlyReport, ReportEvent, Notification)
    ]


@pytest.mark.parametrize("name", sorted(UNION_B_OBJECTS))
@pytest.mark.parametrize("persona", ["chair_a", "county_user"])
def test_another_unions_object_is_404_by_get_and_post(
    request, city, chair_b, as_user, name, persona
):
    user = request.getfixturevalue(persona)
    client = as_user(user)
    url = reverse(name, args=[UNION_B_OBJECTS[name](city, chair_b)])
    before = snapshot(city, chair_b)
    # 405 answers a method the view never takes, whatever the object: it reveals nothing.
    assert client.get(url).status_code in (404, 405)
    assert client.post(
        url,
        {
            "name": "篡改",
            "parent": city.union_a.pk,
            "reason": "x",
            "on": "2026-01-01",
            "role": "branch_chair",
            "organisation": city.union_a.pk,
            "to_status": "expelled",
            "field": "resident_id",
            "resident_id": "11010519491231002X",
            "joined_on": "2024-01-01",
            "version": 0,
        },
    ).status_code in (404, 405)
    assert snapshot(city, chair_b) == before
