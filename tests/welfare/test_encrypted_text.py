"""Health and hardship text at rest (security.md F4, issue 14): hardship causes, household
notes and members' names, relief reasons, home visits, verifications, decision comments and
visit notes are ciphertext in the database (what a dump holds), plaintext on the pages; the
audit log records that they changed, not the words; welfare 0008 encrypts the rows it finds."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import FieldError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from members import crypto
from welfare import services
from welfare.models import HardshipFile, HouseholdMember, ReliefApplication

pytestmark = pytest.mark.django_db

CAUSE = "肺癌晚期化疗致贫"
NOTES = "配偶尿毒症透析"
PERSON = "王秀兰"
PERSON_NOTE = "二级肢体残疾"
REASON = "白血病住院治疗"
VISIT = "入户见其卧床不起"
INCOME = "民政核对：低保边缘户"
VISIT_NOTE = "探望抑郁症住院职工"
TEXTS = [CAUSE, NOTES, PERSON, PERSON_NOTE, REASON, VISIT, INCOME, VISIT_NOTE]


def _dump() -> str:
    """Every row of the welfare tables and the audit log as text, as a dump would hold them."""
    text = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND (tablename LIKE 'welfare\\_%%' OR tablename = 'auditlog_logentry')"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608 (catalogue names)
            text += [row[0] for row in cursor.fetchall()]
    return "\n".join(text)


@pytest.fixture
def records(chair_a, county_user, member_a):
    hf = services.file_open(
        actor=chair_a,
        member=member_a,
        year=2026,
        household_size=2,
        causes=CAUSE,
        household_notes=NOTES,
        household=[
            {"name": PERSON, "relation": "配偶", "annual_income": Decimal("0"), "note": PERSON_NOTE}
        ],
    )
    app = services.relief_create(
        actor=chair_a,
        member=member_a,
        kind="medical",
        reason=REASON,
        amount_requested=Decimal("3000"),
        today=date(2026, 3, 2),
    )
    app = services.relief_submit(actor=chair_a, application=app, home_visit=VISIT)
    app = services.relief_review(actor=county_user, application=app, income_verification=INCOME)
    services.visit_record(
        actor=chair_a,
        member=member_a,
        occasion="illness",
        visited_on=date(2026, 3, 2),
        in_cash=False,
        amount=Decimal("200"),
        visitors="工会主席",
        note=VISIT_NOTE,
    )
    return hf, app


def test_a_dump_of_the_welfare_tables_holds_none_of_the_health_and_hardship_text(records):
    dump = _dump()
    assert dump  # the rows are there
    assert [t for t in TEXTS if t in dump] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pg_dump_holds_no_resident_id_and_none_of_the_health_and_hardship_text(records):
    """security.md F4: no resident ID in `pg_dump` (`grep -cE '[1-9][0-9]{16}[0-9Xx]'`), and the
    dump holds none of the texts (committed rows, hence a transactional test).

    The grep as security.md writes it also matches inside a hex blind index: a 64-character
    HMAC holds a run of 18 decimal digits about once in 250 values (the factory's member 8,300
    does: ca31…8a871036130960956503b6c6…), so it fails by chance on any real register. A
    resident ID stands alone in a dump, between tabs or quotes, never inside a run of hex
    digits: the check below requires that boundary."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL")
    from django.core.cache import caches

    caches["shared"].set("probe", 1)  # the shared cache table is in the dump too
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            db.get("HOST") or "127.0.0.1",
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            db.get("USER") or "postgres",
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    ).stdout
    assert "welfare_hardshipfile" in dump
    assert re.findall(r"(?<![0-9A-Fa-f])[1-9][0-9]{16}[0-9Xx](?![0-9A-Fa-f])", dump) == []
    # and the boundary still catches an ID as a dump would hold it
    assert re.findall(
        r"(?<![0-9A-Fa-f])[1-9][0-9]{16}[0-9Xx](?![0-9A-Fa-f])", "\t42050219850615001X\t"
    )
    assert [t for t in TEXTS if t in dump] == []


def test_the_models_and_pages_still_read_the_plaintext(records, as_user, chair_a):
    hf, app = records
    hf = HardshipFile.objects.get(pk=hf.pk)
    assert (hf.causes, hf.household_notes) == (CAUSE, NOTES)
    assert [(p.name, p.note) for p in HouseholdMember.objects.filter(hardship_file=hf)] == [
        (PERSON, PERSON_NOTE)
    ]
    app = ReliefApplication.objects.get(pk=app.pk)
    assert (app.reason, app.home_visit, app.income_verification) == (REASON, VISIT, INCOME)
    client = as_user(chair_a)
    page = client.get(reverse("welfare:file_detail", args=[hf.pk])).content.decode()
    assert CAUSE in page and NOTES in page and PERSON in page and PERSON_NOTE in page
    page = client.get(reverse("welfare:relief_detail", args=[app.pk])).content.decode()
    assert REASON in page and VISIT in page and INCOME in page
    # The edit form shows the household rows as typed.
    page = client.get(reverse("welfare:file_update", args=[hf.pk])).content.decode()
    assert PERSON in page and CAUSE in page


def test_the_audit_log_records_a_change_of_the_text_but_not_the_words(records):
    hf, app = records
    entries = LogEntry.objects.get_for_object(app)
    assert any("reason" in (e.changes_dict or {}) for e in entries)
    assert any("home_visit" in (e.changes_dict or {}) for e in entries)
    logged = " ".join(str(e.changes_dict) for e in LogEntry.objects.all())
    assert [t for t in TEXTS if t in logged] == []


def test_bulk_writes_are_encrypted_too(records):
    hf, app = records
    ReliefApplication.objects.filter(pk=app.pk).update(reject_reason="精神分裂症复发")
    app.override_reason = "癫痫"
    ReliefApplication.objects.bulk_update([app], ["override_reason"])
    dump = _dump()
    assert "精神分裂症" not in dump and "癫痫" not in dump
    app.refresh_from_db()
    assert (app.reject_reason, app.override_reason) == ("精神分裂症复发", "癫痫")


def test_a_search_on_the_ciphertext_fails_loudly_instead_of_finding_nothing(records):
    with pytest.raises(FieldError):
        list(ReliefApplication.objects.filter(reason__icontains="白血病"))
    # Blank tests still work: an empty text is stored empty.
    assert ReliefApplication.objects.filter(reject_reason="").count() == 1


def test_a_name_longer_than_60_characters_is_still_refused(records):
    hf, _ = records
    person = HouseholdMember(hardship_file=hf, name="张" * 61, relation="子女")
    with pytest.raises(Exception, match="60"):
        person.full_clean()


BEFORE = [("welfare", "0007_visit_enterprise")]
AFTER = [("welfare", "0008_encrypt_health_text")]


def _migrate(target):
    with connection.cursor() as cursor:  # no deferred checks pending before an ALTER TABLE
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_migration_encrypts_an_existing_plaintext_row_and_back(records):
    hf, app = records
    person = HouseholdMember.objects.get(hardship_file=hf)
    _migrate(BEFORE)
    # Rows as the old code wrote them: plaintext.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE welfare_hardshipfile SET causes = %s, household_notes = '' WHERE id = %s",
            [CAUSE, hf.pk],
        )
        cursor.execute(
            "UPDATE welfare_householdmember SET name = %s WHERE id = %s", [PERSON, person.pk]
        )
        cursor.execute(
            "UPDATE welfare_reliefapplication SET reason = %s WHERE id = %s", [REASON, app.pk]
        )
    _migrate(AFTER)
    assert crypto.is_ciphertext(_raw("welfare_hardshipfile", "causes", hf.pk))
    assert _raw("welfare_hardshipfile", "household_notes", hf.pk) == ""
    assert crypto.is_ciphertext(_raw("welfare_householdmember", "name", person.pk))
    assert crypto.is_ciphertext(_raw("welfare_reliefapplication", "reason", app.pk))
    assert HardshipFile.objects.get(pk=hf.pk).causes == CAUSE
    assert HouseholdMember.objects.get(pk=person.pk).name == PERSON
    assert ReliefApplication.objects.get(pk=app.pk).reason == REASON
    # Running the step again leaves ciphertext alone (no double encryption).
    migration = importlib.import_module("welfare.migrations.0008_encrypt_health_text")
    migration.encrypt_rows(None, connection.schema_editor())
    assert ReliefApplication.objects.get(pk=app.pk).reason == REASON
    _migrate(BEFORE)
    assert _raw("welfare_hardshipfile", "causes", hf.pk) == CAUSE
    assert _raw("welfare_householdmember", "name", person.pk) == PERSON
    assert _raw("welfare_reliefapplication", "reason", app.pk) == REASON
    assert _raw("welfare_reliefapplication", "home_visit", app.pk) == VISIT
    _migrate(AFTER)
