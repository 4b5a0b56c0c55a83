"""Builders for congress tests."""

from __future__ import annotations

from datetime import date

from congress import services
from congress.models import CongressSession, Delegate, Motion
from tests.factories import MemberFactory

HELD_ON = date(2026, 3, 20)
IN_WINDOW = date(2026, 3, 1)


def make_session(org, *, term=3, number=1, expected=30, held_on=HELD_ON) -> CongressSession:
    return services.session_create(
        actor=None,
        organisation=org,
        term=term,
        session_number=number,
        held_on=held_on,
        delegates_expected=expected,
    )


def make_delegates(session, n: int, **flags) -> list[Delegate]:
    return [
        Delegate.objects.create(
            organisation=session.organisation,
            term=session.term,
            member=MemberFactory(organisation=session.organisation),
            **flags,
        )
        for _ in range(n)
    ]


def make_motion(session, delegates=None, *, actor=None, title="食堂增加夜班供餐") -> Motion:
    delegates = delegates or make_delegates(session, 3)
    return services.motion_submit(
        actor=actor,
        session=session,
        proposer=delegates[0],
        cosigners=delegates[1:3],
        title=title,
        body="夜班职工无处就餐，建议食堂夜间供餐。",
        category="welfare",
        today=IN_WINDOW,
    )
