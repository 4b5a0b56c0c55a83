"""Writing the import: every member in one transaction with bulk inserts, their history and
one summarising audit row."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core import stale
from unionportal.core.audit import audit_event
from unionportal.core.models import FileJob

from .. import crypto
from ..models import Member, Organisation, User
from ..validators import mask_resident_id
from .file_checks import BATCH, Progress
from .validation import ImportCheck, member_import_check

# --- The import -------------------------------------------------------------------------------


def member_import(
    *,
    actor: User | None,
    organisation: Organisation,
    fileobj: IO[bytes],
    progress: Progress | None = None,
    job: FileJob | None = None,
    on_written: Callable[[ImportCheck], None] | None = None,
) -> ImportCheck:
    """Check the file again and, when every row is good, register all its members at once.
    With any bad row nothing is written and the check (with its errors) is returned.
    `on_written` runs in the transaction that writes the members, after them."""
    check = member_import_check(
        actor=actor, organisation=organisation, fileobj=fileobj, progress=progress
    )
    if not check.ok:
        return check
    if job is not None:
        job.params = {**job.params, "stage": "importing"}
        FileJob.objects.filter(pk=job.pk).update(params=job.params)
    try:
        with transaction.atomic():
            check.created = _write(check, actor=actor, organisation=organisation, job=job)
            if on_written is not None:
                on_written(check)
    except IntegrityError:
        raise ValidationError(
            _(
                "Someone registered one of these people while the import ran. Nothing was "
                "imported; check the file again."
            ),
            code="conflict",
        ) from None
    return check


# The first status change, wage base and membership spell of each imported member, written
# set-based from the member rows just inserted (constant SQL; the ids are one array or JSON
# parameter): building 2 x 10,000 objects for bulk_create cost as much as the members themselves.
_HISTORY_SQL = {
    "postgresql": (
        """
        INSERT INTO members_memberstatuschange
            (member_id, organisation_id, from_status, to_status, changed_on, reason, category,
             changed_by_id, created_at)
        SELECT m.id, m.organisation_id, '', m.status, m.joined_on, %(reason)s, '', %(actor)s,
               %(now)s
        FROM members_member m WHERE m.id = ANY(%(ids)s)
        """,
        """
        INSERT INTO members_wagebase (member_id, effective_month, amount, created_at)
        SELECT m.id, CAST(date_trunc('month', m.joined_on) AS date), m.wage_base, %(now)s
        FROM members_member m WHERE m.id = ANY(%(ids)s) AND m.wage_base > 0
        """,
        """
        INSERT INTO members_membershipspell
            (member_id, organisation_id, status, retained_reason, gender, is_migrant,
             is_frontline, valid_from, valid_to, started_by, created_at)
        SELECT m.id, m.organisation_id, m.status, m.retained_reason, m.gender, m.is_migrant,
               m.is_frontline, m.joined_on, NULL, 'join', %(now)s
        FROM members_member m WHERE m.id = ANY(%(ids)s) AND m.status IN ('active', 'retained')
        """,
    ),
    "sqlite": (
        """
        INSERT INTO members_memberstatuschange
            (member_id, organisation_id, from_status, to_status, changed_on, reason, category,
             changed_by_id, created_at)
        SELECT m.id, m.organisation_id, '', m.status, m.joined_on, %(reason)s, '', %(actor)s,
               %(now)s
        FROM members_member m WHERE m.id IN (SELECT value FROM json_each(%(ids)s))
        """,
        """
        INSERT INTO members_wagebase (member_id, effective_month, amount, created_at)
        SELECT m.id, date(m.joined_on, 'start of month'), m.wage_base, %(now)s
        FROM members_member m
        WHERE m.id IN (SELECT value FROM json_each(%(ids)s)) AND m.wage_base > 0
        """,
        """
        INSERT INTO members_membershipspell
            (member_id, organisation_id, status, retained_reason, gender, is_migrant,
             is_frontline, valid_from, valid_to, started_by, created_at)
        SELECT m.id, m.organisation_id, m.status, m.retained_reason, m.gender, m.is_migrant,
               m.is_frontline, m.joined_on, NULL, 'join', %(now)s
        FROM members_member m
        WHERE m.id IN (SELECT value FROM json_each(%(ids)s)) AND m.status IN ('active', 'retained')
        """,
    ),
}


def _write_history(ids: list[int], *, reason: str, actor: User | None) -> None:
    vendor = connection.vendor
    params = {
        "ids": ids if vendor == "postgresql" else json.dumps(ids),
        "reason": reason,
        "actor": actor.pk if actor else None,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        for sql in _HISTORY_SQL[vendor]:
            cursor.execute(sql, params)


@transaction.atomic
def _write(
    check: ImportCheck, *, actor: User | None, organisation: Organisation, job: FileJob | None
) -> int:
    reason = _("Imported from Excel")
    created = 0
    rows = check.clean
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        members = []
        for row in batch:
            fields = row.fields
            member = Member(
                organisation_id=row.organisation_id,
                gender=row.gender,
                birth_date=row.birth_date,
                status_changed_on=fields["joined_on"],
                **fields,
            )
            member.resident_id_cipher = crypto.encrypt(row.number)
            member.resident_id_index = row.index
            member.resident_id_masked = mask_resident_id(row.number)
            if member.status == "applied":
                member.applied_on = member.applied_on or member.joined_on
            members.append(member)
        Member.objects.bulk_create(members, batch_size=BATCH)
        _write_history([m.pk for m in members], reason=str(reason), actor=actor)
        created += len(members)
        earliest = min(m.joined_on for m in members) if members else None
        stale.mark_since(earliest, "member.import")
    audit_event(
        organisation,
        "member.import",
        actor=actor,
        rows=created,
        organisation=organisation.name,
        job=job.pk if job else None,
    )
    return created
