"""The portal's two PostgreSQL roles (security.md G2): the owner runs migrations and owns every
table; the application role, which the web, worker and beat processes log in as, reads and
writes the portal's tables but may only append to the audit trail.

On the audit tables the application role has SELECT and INSERT, plus UPDATE of the one column a
library must update (axes writes `logout_time` when a user logs out). It has no DELETE, no
TRUNCATE and no UPDATE of anything else, so a compromised application cannot rewrite or erase
what the record shows. Superusers ignore grants: the application role is never one.

`statements()` is the whole SQL, idempotent, so it runs after every migration (new tables get
their grants) and can be printed for a database administrator to run by hand.
"""

from __future__ import annotations

from psycopg2 import sql

# Append-only tables: (table, columns the application may UPDATE).
AUDIT_TABLES: dict[str, tuple[str, ...]] = {
    "auditlog_logentry": (),
    "axes_accesslog": ("logout_time",),
    "axes_accessfailurelog": (),
}


def statements(
    app_role: str, database: str, password: str | None = None, schema: str = "public"
) -> list[sql.Composable]:
    """The statements that create (or update) the application role and its grants. Run them as
    the owner of the portal's tables."""
    role = sql.Identifier(app_role)
    ns = sql.Identifier(schema)
    create = sql.SQL(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN "
        "CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT; "
        "END IF; END $$"
    ).format(name=sql.Literal(app_role), role=role)
    out = [
        create,
        # Even if someone made it more: the grants below mean nothing to a superuser.
        sql.SQL("ALTER ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS").format(role),
    ]
    if password:
        out.append(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(password)))
    out += [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), role),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(ns, role),
        sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(ns, role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
            ns, role
        ),
        sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {} FROM {}").format(
            ns, role
        ),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(ns, role),
        # Tables the owner creates later (a migration) get the same; audit tables are narrowed
        # below on every run.
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE "
            "ON TABLES TO {}"
        ).format(ns, role),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}"
        ).format(ns, role),
    ]
    for table, updatable in AUDIT_TABLES.items():
        name = sql.Identifier(schema, table)
        out.append(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(name, role))
        out.append(sql.SQL("GRANT SELECT, INSERT ON TABLE {} TO {}").format(name, role))
        if updatable:
            out.append(
                sql.SQL("GRANT UPDATE ({}) ON TABLE {} TO {}").format(
                    sql.SQL(", ").join(sql.Identifier(c) for c in updatable), name, role
                )
            )
    return out
