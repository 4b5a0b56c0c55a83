"""Builders for casework tests: cases taken through the services, as a union worker would."""

from __future__ import annotations

from datetime import date, timedelta

from rights import services
from rights.models import Case, Category, Channel


def category(code: str = "wages") -> Category:
    return Category.objects.get(code=code)


def register(actor, union, *, on: date, channel=Channel.VISIT, people=1, **kw) -> Case:
    kw.setdefault("petitioner_name", "王师傅")
    kw.setdefault("request", "讨要被拖欠的三个月工资")
    return services.case_register(
        actor=actor,
        received_by=union,
        channel=channel,
        received_on=on,
        people=people,
        category=kw.pop("category", None) or category(),
        today=kw.pop("today", on),
        **kw,
    )


def closed(actor, union, *, on: date, channel=Channel.VISIT, people=1, days=10, **kw) -> Case:
    """A case received, accepted the same day, answered and closed `days` days later."""
    case = register(actor, union, on=on, channel=channel, people=people, **kw)
    today = on + timedelta(days=days)
    case = services.case_accept(actor=actor, case=case, on=on, today=today)
    case = services.case_answer(actor=actor, case=case, on=today, answer="已协调支付", today=today)
    return services.case_close(actor=actor, case=case, on=today, outcome="已解决", today=today)
