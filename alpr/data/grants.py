"""Postgres: the role the app and the worker connect as gets rows, never ownership. Without
ownership it can neither alter, disable nor drop a trigger; nor may it truncate, or update an
append-only table (the triggers refuse the rest)."""

from __future__ import annotations

from sqlalchemy import Connection, text

# Tables whose rows the app role only adds (deletes, where a trigger allows them, stay granted
# for the purge's anchored delete of access records past retention).
_NO_UPDATE = (
    "access_records",
    "access_log_mac_start",
    "access_log_checkpoints",
    "purge_runs",
    "alert_reviews",
    "release_decisions",
    "policy_changes",
    "exigent_reviews",
)


def check_app_role(conn: Connection, role: str) -> None:
    """ValueError, naming why, if ``role`` is missing or could act as the owner."""
    refusal = _refusal(conn, role)
    if refusal:
        raise ValueError(refusal)


def _refusal(conn: Connection, role: str) -> str | None:
    found = conn.execute(
        text(
            "SELECT rolsuper, pg_has_role(:role, current_user, 'MEMBER') "
            "FROM pg_roles WHERE rolname = :role"
        ),
        {"role": role},
    ).first()
    if found is None:
        return f"the app's database role {role!r} does not exist: create it (LOGIN) first"
    superuser, member_of_owner = found
    if superuser:
        return f"the app's database role {role!r} is a superuser: it could disable the triggers"
    if member_of_owner:
        return f"the app's database role {role!r} acts as the owner: it could disable the triggers"
    return None


def grant_app_role(conn: Connection, role: str) -> None:
    """Grant ``role`` the rows of every table, now and for tables the owner creates later
    (monthly partitions); ValueError if the role could act as the owner."""
    check_app_role(conn, role)
    name = conn.dialect.identifier_preparer.quote(role)
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
        f"REVOKE UPDATE ON {', '.join(_NO_UPDATE)} FROM {name}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {name}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {name}",
    ):
        conn.execute(text(statement))
