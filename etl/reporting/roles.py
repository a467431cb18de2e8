"""The read-only reader: the NOLOGIN group role, its logins and their passwords."""

from __future__ import annotations

import re
import secrets

import psycopg
from psycopg import sql

from etl.errors import UsageError

READER_ROLE = "critmin_reader"


# A login name a user can type into a BI tool without quoting.
_LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


# The group role: NOLOGIN, cluster-wide, created by migration 0002 (this copy is used by
# `ensure_reader_login`, so a login can be made even before the first migration).
CREATE_READER_ROLE = """
do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'critmin_reader') then
        create role critmin_reader nologin;
    end if;
exception
    -- another database of the same cluster created it at the same moment
    when duplicate_object or unique_violation then null;
end
$$;
"""


def _check_login_name(name: str) -> None:
    if not _LOGIN_NAME.match(name):
        raise UsageError(
            f"login name {name!r} is not allowed: use lower-case letters, digits and _ "
            "(starting with a letter or _), at most 63 characters"
        )


def _login_statements(name: str, password: str, *, exists: bool | None) -> list[sql.Composable]:
    """SQL making `name` a login in critmin_reader with `password` (exists=None: decide at run time)."""
    ident, secret, group = sql.Identifier(name), sql.Literal(password), sql.Identifier(READER_ROLE)
    create = sql.SQL("create role {} with login inherit password {}").format(ident, secret)
    alter = sql.SQL("alter role {} with login inherit password {}").format(ident, secret)
    statements: list[sql.Composable] = [sql.SQL(CREATE_READER_ROLE.strip().rstrip(";"))]
    if exists is None:
        statements.append(sql.SQL(
            "do $do$\nbegin\n    if exists (select from pg_catalog.pg_roles where rolname = {}) then\n"
            "        {};\n    else\n        {};\n    end if;\nend\n$do$"
        ).format(sql.Literal(name), alter, create))
    else:
        statements.append(alter if exists else create)
    statements.append(sql.SQL("grant {} to {}").format(group, ident))
    statements.append(sql.SQL("alter role {} set search_path = reporting").format(ident))
    return statements


def reader_sql(name: str, password: str) -> str:
    """The SQL (for psql, run by a role with CREATEROLE) that creates or updates a reader login."""
    _check_login_name(name)
    body = ";\n".join(s.as_string(None) for s in _login_statements(name, password, exists=None))
    return (
        f"-- critmin: login {name} with read-only access to the reporting schema "
        f"(member of {READER_ROLE})\n{body};\n"
    )


def generate_password() -> str:
    return secrets.token_urlsafe(24)


def ensure_reader_login(url: str, name: str, password: str) -> None:
    """Create (or update the password of) login role `name` as a member of critmin_reader.

    Refuses a name that belongs to a role which is not already a reader (the owner, a superuser, an
    unrelated role), so it can never change another role's password or privileges.
    """
    _check_login_name(name)
    with psycopg.connect(url) as conn:  # one transaction: all or nothing
        row = conn.execute(
            """
            select r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolname = current_user,
                   exists (select from pg_catalog.pg_auth_members m
                           join pg_catalog.pg_roles g on g.oid = m.roleid
                           where m.member = r.oid and g.rolname = %s)
            from pg_catalog.pg_roles r where r.rolname = %s
            """,
            (READER_ROLE, name),
        ).fetchone()
        if row is not None and (row[0] or not row[1]):
            raise UsageError(
                f"role {name!r} already exists and is not a critmin reader login: choose another name"
            )
        for statement in _login_statements(name, password, exists=row is not None):
            conn.execute(statement)


def ensure_embedded_reader(url: str) -> str:
    """Make the embedded server's reader login (critmin_bi) work; returns its name.

    The password is the one kept (0600) in CRITMIN_HOME/reader.password. `url` is the owner's.
    """
    from etl.db.server import READER_LOGIN, EmbeddedServer

    ensure_reader_login(url, READER_LOGIN, EmbeddedServer().reader_password())
    return READER_LOGIN
