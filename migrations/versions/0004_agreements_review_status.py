"""runs count deleted articles; agreements show curated/auto; conflicts and schedule compare sources once

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:25:00

"""
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
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

CHANGED = ("agreements", "conflicts", "mineral_summary", "volume_schedule")  # no other view reads them


def upgrade() -> None:
    op.add_column("run", sa.Column("articles_deleted", sa.Integer(), server_default="0", nullable=False,
                                   comment="Articles deleted because their files left the seed folder."), schema="etl")
    _apply_views(CHANGED, revision)


def downgrade() -> None:
    _apply_views(CHANGED, down_revision)
    op.drop_column("run", "articles_deleted", schema="etl")
