"""Demo casework for the demo city (members/demo.py): the seed's half-year of petitions at
demo scale (about a tenth of "685案次1311人次 来访, 23件来信, 390人次来电"), received by the county
federations and a few grassroots unions, taken through the services into every state:
registered (some overdue), not accepted, accepted, dispatched (some past their due date),
answered, closed and followed up, a collective visit, 12351 hotline calls, consultations
answered at once, an extended and a reviewed case. Idempotent: does nothing when cases exist."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from members.models import Organisation, OrgKind, Role, User

from . import services
from .models import Case, CaseKind, Category, Channel, Satisfaction

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["师傅", "女士", "先生", "大姐", "师傅", "女士"]
REQUESTS = {
    "wages": "反映企业拖欠{n}个月工资，要求工会协调补发",
    "social_insurance": "反映单位未足额缴纳社会保险，要求补缴",
    "contract": "反映单位未签订书面劳动合同，要求依法签订",
    "injury": "反映工伤认定后待遇未落实，请求帮助",
    "safety": "反映车间防护设施不到位，存在安全隐患",
    "hours": "反映长期加班未安排调休，也未支付加班费",
    "women": "反映孕期被调岗降薪，要求维护女职工权益",
    "democracy": "反映企业未召开职代会审议薪酬调整方案",
    "other": "咨询劳动争议调解和仲裁的办理程序",
}
ANSWERS = ["经协调，企业承诺限期解决", "已约谈企业负责人，达成一致意见", "已转劳动监察部门依法处理"]
OUTCOMES = ["问题已解决，反映人表示认可", "企业已整改到位", "已按政策答复，反映人无异议"]

# (channel, cases, people): the visits total 131 people, a collective visit of 12 among them.
PLAN = [(Channel.VISIT, 1, 12)] + [(Channel.VISIT, 1, 2)] * 51 + [(Channel.VISIT, 1, 1)] * 17
PLAN += [(Channel.LETTER, 1, 1)] * 3 + [(Channel.CALL, 1, 1)] * 39 + [(Channel.ONLINE, 1, 1)] * 10


def _user_at(org: Organisation) -> User | None:
    role = Role.objects.current().filter(organisation=org, user__is_active=True).first()
    return role.user if role else None


def _receivers() -> list[Organisation]:
    counties = list(Organisation.objects.filter(kind=OrgKind.FEDERATION, depth=2).order_by("path"))
    grassroots = list(
        Organisation.objects.filter(kind=OrgKind.GRASSROOTS, active=True).order_by("path")[:4]
    )
    return counties * 3 + grassroots


@transaction.atomic
def seed(today: date) -> int:
    if Case.objects.exists():
        return 0
    receivers = _receivers()
    if not receivers:
        return 0
    rng = random.Random(16)
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    made = 0
    plan = list(PLAN)
    rng.shuffle(plan)
    for i, (channel, _, people) in enumerate(plan):
        received_on = today - timedelta(days=rng.randint(1, 175))
        receiver = receivers[i % len(receivers)]
        code = rng.choice([c for c in categories if c != "other"])
        case = _register(rng, receiver, channel, people, received_on, categories[code], today, i)
        _take(rng, case, today, i)
        made += 1
    for i in range(8):  # consultations, answered and closed at once
        day = today - timedelta(days=rng.randint(0, 120))
        receiver = receivers[i % len(receivers)]
        case = _register(
            rng, receiver, Channel.CALL, 1, day, categories["other"], today, 200 + i,
            kind=CaseKind.CONSULTATION,
        )  # fmt: skip
        services.case_consult(
            actor=_user_at(receiver), case=case, on=day, answer="已当场解答", today=today
        )
        made += 1
    return made


def _register(rng, receiver, channel, people, day, category, today, i, kind=CaseKind.REQUEST):
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
    return services.case_register(
        actor=_user_at(receiver),
        received_by=receiver,
        channel=channel,
        hotline=channel == Channel.CALL and i % 3 == 0,
        kind=kind,
        received_on=day,
        people=people,
        category=category,
        petitioner_name=name,
        petitioner_contact=f"139{rng.randint(10000000, 99999999)}",
        employer_name="" if i % 4 else "宜昌某建筑劳务有限公司",
        request=REQUESTS[category.code].format(n=rng.randint(2, 6)),
        today=today,
    )


def _take(rng: random.Random, case: Case, today: date, i: int) -> None:
    """Take a case as far as its age and a deterministic draw allow."""
    receiver = case.received_by
    actor = _user_at(receiver)
    age = (today - case.received_on).days
    fate = i % 20
    if age < 3 or fate == 0:  # still to decide (overdue when older than 15 days)
        return
    accepted = case.received_on + timedelta(days=rng.randint(0, 2))
    if fate == 1:
        services.case_reject(
            actor=actor, case=case, on=accepted, reason="不属于工会受理范围，已告知", today=today
        )
        return
    case = services.case_accept(actor=actor, case=case, on=accepted, today=today)
    if fate == 2:  # accepted, being handled by the receiver (overdue when old)
        return
    handler_actor = actor
    targets = list(services.dispatch_targets(case).order_by("path")[:6])
    if targets and fate % 3 != 0:
        to = targets[i % len(targets)]
        due = min(accepted + timedelta(days=20), case.conclude_by)
        case = services.case_dispatch(
            actor=actor, case=case, to=to, due_on=due, on=accepted, comment="请按期办理并答复",
            today=today,
        )  # fmt: skip
        handler_actor = _user_at(to)
        if fate in (4, 10, 11):  # dispatched, not answered yet (past its due date when old)
            return
    if fate == 5 and today <= case.conclude_by:
        services.case_extend(
            actor=actor, case=case, days=30, reason="涉及多个部门，需进一步调查", on=accepted,
            today=today,
        )  # fmt: skip
    room = (today - accepted).days
    if room < 4:
        return
    answered = accepted + timedelta(days=rng.randint(3, min(45, room - 1)))
    services.case_note(
        actor=handler_actor, case=case, on=answered, text="约谈企业负责人，核实情况", today=today
    )
    case = services.case_answer(
        actor=handler_actor, case=case, on=answered, answer=rng.choice(ANSWERS), today=today
    )
    if fate == 6:  # answered, for the receiver to close
        return
    closed = answered + timedelta(days=1)
    case = services.case_close(
        actor=actor, case=case, on=closed, outcome=rng.choice(OUTCOMES), today=today
    )
    if fate == 7 or (today - closed).days < 2:
        return  # closed, follow-up still to do
    if fate == 8 and (today - answered).days > 5:  # a review request reopens and ends again
        review = answered + timedelta(days=5)
        case = services.case_review(
            actor=actor, case=case, on=review, reason="对答复有异议，申请复查", today=today
        )
        case = services.case_answer(
            actor=actor, case=case, on=review, answer="复查维持原答复意见", today=today
        )
        services.case_close(actor=actor, case=case, on=review, outcome="复查办结", today=today)
        return
    answers = [Satisfaction.SATISFIED] * 6 + [Satisfaction.BASICALLY] * 2
    answers += [Satisfaction.DISSATISFIED, Satisfaction.UNREACHABLE]
    services.case_follow_up(
        actor=actor, case=case, on=closed + timedelta(days=1), satisfaction=rng.choice(answers),
        today=today,
    )  # fmt: skip
