"""runs count deleted articles; agreements show curated/auto; conflicts and schedule compare sources once

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:25:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from etl.reporting import views

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANGED = ("agreements", "conflicts", "mineral_summary", "volume_schedule")  # no other view reads them


def upgrade() -> None:
    op.add_column("run", sa.Column("articles_deleted", sa.Integer(), server_default="0", nullable=False,
                                   comment="Articles deleted because their files left the seed folder."), schema="etl")
    views.apply_views(op.get_bind(), CHANGED, as_of=revision)


def downgrade() -> None:
    views.apply_views(op.get_bind(), CHANGED, as_of=down_revision)
    op.drop_column("run", "articles_deleted", schema="etl")
