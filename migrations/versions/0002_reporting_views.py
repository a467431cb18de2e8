"""reporting views and read-only role

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:00:00

Applies the reporting views as this revision wrote them (migrations/frozen/0002/) and sets up
read-only access:
the NOLOGIN role critmin_reader may use the reporting schema and read its views, nothing else.

Roles are cluster-wide: critmin_reader is created only if missing (a database of the same server
may have created it), and downgrade revokes what this database granted but keeps the role, which
other critmin databases on the server may still use. Drop it by hand (`drop role critmin_reader`)
once no database grants it anything.
"""
from collections.abc import Sequence
from pathlib import Path

from alembic import context, op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The texts this revision applies, frozen with it (migrations/frozen/<rev>/<view>.sql): the files
# under sql/ may change later without changing what this revision does.
FROZEN = Path(__file__).resolve().parents[1] / "frozen"


def _execute(text: str) -> None:
    # Raw psycopg: several statements at once, no bind-parameter parsing of the SQL text.
    with op.get_bind().connection.dbapi_connection.cursor() as cur:
        cur.execute(text)


def _drop_views(names) -> None:
    for name in sorted(names, reverse=True):
        op.execute(f"drop view if exists reporting.{name}")


def _apply_views(names, as_of: str) -> None:
    """Drop and re-create the views with their text as of revision `as_of`."""
    _drop_views(names)
    for name in sorted(names):
        _execute((FROZEN / as_of / f"{name}.sql").read_text(encoding="utf-8"))

# Frozen: the views this revision creates. A view added later belongs to its own revision.
VIEWS = (
    "agreement_parties",
    "agreements",
    "conflicts",
    "country_links",
    "evidence",
    "mineral_summary",
    "parties",
    "sources",
    "timeline",
    "volume_schedule",
    "volumes",
)

CREATE_ROLE = """
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

GRANT = """
do $$
begin
    execute format('grant connect on database %I to critmin_reader', current_database());
end
$$;
revoke all on schema core, etl, staging from public;
revoke all on all tables in schema core, etl, staging from public;
revoke all on all sequences in schema core, etl, staging from public;
revoke create on schema public from public;
revoke all on schema core, etl, staging, public from critmin_reader;
revoke all on all tables in schema core, etl, staging, public from critmin_reader;
grant usage on schema reporting to critmin_reader;
grant select on all tables in schema reporting to critmin_reader;
alter default privileges in schema reporting grant select on tables to critmin_reader;
"""

REVOKE = """
alter default privileges in schema reporting revoke select on tables from critmin_reader;
revoke all on all tables in schema reporting from critmin_reader;
revoke all on schema reporting from critmin_reader;
do $$
begin
    execute format('revoke connect on database %I from critmin_reader', current_database());
end
$$;
"""


def upgrade() -> None:
    if context.is_offline_mode():
        raise RuntimeError("revision 0002 runs SQL files: offline (--sql) mode is not supported")
    _execute(CREATE_ROLE)
    _apply_views(VIEWS, revision)
    _execute(GRANT)


def downgrade() -> None:
    if context.is_offline_mode():
        raise RuntimeError("revision 0002 runs SQL files: offline (--sql) mode is not supported")
    _execute(REVOKE)
    _drop_views(VIEWS)
