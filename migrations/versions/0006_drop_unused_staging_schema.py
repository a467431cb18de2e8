"""drop the staging schema: the loader stages rows in temporary tables and never used it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:40:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No cascade: if someone put objects of their own there, the upgrade stops and says so.
    op.execute("drop schema if exists staging")


def downgrade() -> None:
    op.execute("create schema if not exists staging")
    op.execute("comment on schema staging is 'critmin staging area for bulk loads (transient).'")
    op.execute("revoke all on schema staging from public")
