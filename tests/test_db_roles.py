"""The audit trail can't be changed by the application (security.md G2).

`manage.py db_roles` creates the application's role; connected as that role (a real login, not
a superuser: superusers ignore grants) the audit tables take INSERT and SELECT, axes' logout
time can be written, and every UPDATE of other columns, DELETE and TRUNCATE is refused with
"permission denied". The portal's own tables stay writable, their structure does not. Also:
`auditlogflush` is refused in production, and no account is ever deleted.
"""

from __future__ import annotations

import uuid

import psycopg2
import pytest
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError

from tests.factories import MemberFactory
from unionportal.core.audit import audit_event

PASSWORD = "app-role-test"


@pytest.fixture
def app_role(monkeypatch):
    """A fresh application role for this test (roles are global to the server: a unique name),
    dropped afterwards with everything granted to it."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only")
    name = f"up_app_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("APP_DB_PASSWORD", PASSWORD)
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE IF EXISTS "{name}"')


def connect_as(role: str):
    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname=s["NAME"],
        user=role,
        password=PASSWORD,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
    )
    conn.autocommit = True
    return conn


def refused(conn, statement: str) -> bool:
    with conn.cursor() as cursor:
        try:
            cursor.execute(statement)
        except psycopg2.errors.InsufficientPrivilege as e:
            return "permission denied" in str(e) or "must be owner" in str(e)
    return False


def allowed(conn, statement: str) -> int:
    with conn.cursor() as cursor:
        cursor.execute(statement)
        return cursor.rowcount


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_app_role_may_append_to_the_audit_trail_but_never_change_it(app_role, city):
    member = MemberFactory(organisation=city.union_a)
    audit_event(member, "member.reveal")
    AccessLog.objects.create(username="chair_a", ip_address="10.0.0.1", user_agent="x")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.2", user_agent="x")
    before = LogEntry.objects.count()
    call_command("db_roles", app_role=app_role)

    conn = connect_as(app_role)
    try:
        cols = ", ".join(f.column for f in LogEntry._meta.concrete_fields if f.column != "id")
        assert allowed(conn, "SELECT count(*) FROM auditlog_logentry") == 1
        assert (
            allowed(
                conn,
                f"INSERT INTO auditlog_logentry ({cols}) "
                f"SELECT {cols} FROM auditlog_logentry LIMIT 1",
            )
            == 1
        )
        for statement in (
            "UPDATE auditlog_logentry SET object_repr = 'forged'",
            "UPDATE auditlog_logentry SET remote_addr = '7.7.7.7'",
            "DELETE FROM auditlog_logentry",
            "TRUNCATE auditlog_logentry",
            "UPDATE axes_accesslog SET username = 'someone_else'",
            "DELETE FROM axes_accesslog",
            "TRUNCATE axes_accesslog",
            "UPDATE axes_accessfailurelog SET username = 'y'",
            "DELETE FROM axes_accessfailurelog",
            "TRUNCATE axes_accessfailurelog",
            # nor can the application change the tables' structure or drop them
            "ALTER TABLE auditlog_logentry DISABLE TRIGGER ALL",
            "DROP TABLE auditlog_logentry",
            "CREATE TABLE up_shadow (id int)",
        ):
            assert refused(conn, statement), statement
        # what the libraries must do still works: axes records a logout
        assert allowed(conn, "UPDATE axes_accesslog SET logout_time = now()") == 1
        # and the portal's own records stay writable
        assert (
            allowed(conn, f"UPDATE members_member SET gender = gender WHERE id = {member.pk}") == 1
        )
    finally:
        conn.close()
    assert LogEntry.objects.count() == before + 1
    assert AccessFailureLog.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_running_it_again_after_a_migration_keeps_the_grants(app_role):
    call_command("db_roles", app_role=app_role)
    call_command("db_roles", app_role=app_role)  # idempotent, as after every migrate
    conn = connect_as(app_role)
    try:
        assert refused(conn, "DELETE FROM auditlog_logentry")
        assert allowed(conn, "SELECT 1 FROM members_member LIMIT 1") in (0, 1)
    finally:
        conn.close()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_command_refuses_to_grant_to_the_role_it_runs_as():
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only")
    with pytest.raises(CommandError, match="owner"):
        call_command("db_roles", app_role=connection.settings_dict["USER"])


def test_auditlogflush_is_refused_in_production(settings, staff_user):
    settings.DEBUG = False
    audit_event(staff_user, "report.summary_export")
    with pytest.raises(CommandError, match="production"):
        call_command("auditlogflush", yes=True)
    assert LogEntry.objects.exists()


def test_an_account_is_never_deleted(staff_user):
    with pytest.raises(ProtectedError), transaction.atomic():
        staff_user.delete()
    assert type(staff_user).objects.filter(pk=staff_user.pk).exists()
