"""reporting.agreements shows curated or auto; reporting.conflicts compares multi-source agreements only

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:25:00

"""
from collections.abc import Sequence

from alembic import op

from etl import views

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANGED = ("agreements", "conflicts")  # no other view reads them


def upgrade() -> None:
    views.apply_views(op.get_bind(), CHANGED, as_of=revision)


def downgrade() -> None:
    views.apply_views(op.get_bind(), CHANGED, as_of=down_revision)
