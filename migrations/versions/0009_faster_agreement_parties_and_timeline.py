"""faster reporting.agreement_parties and reporting.timeline at a million facts (same rows and columns)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:20:00

* reporting.agreement_parties counts the rows of each (agreement, party, role) group (the primary
  key makes each one a distinct article) and reads parties and agreements through left joins (not
  null foreign keys: the same rows), so a query that reads neither skips both joins;
* reporting.timeline no longer stores the status history once for its three branches (the stored
  copy was written out whole and sorted with every column): each branch reads the statuses it
  needs, the window that finds the previous status sorts only the columns it needs, and every
  branch gives the same column types, so PostgreSQL plans each branch on its own and computes
  only the columns a query reads.

The texts are this revision's frozen copies (migrations/frozen/0009/reporting.<view>.sql); the
downgrade restores those of revisions 0003 (agreement_parties) and 0008 (timeline).
"""
import re
from collections.abc import Sequence
from pathlib import Path

from alembic import op
from alembic_utils.pg_view import PGView

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = Path(__file__).resolve().parents[1] / "frozen"
# view -> the frozen file of the revision before this one that last changed it
BEFORE = {"agreement_parties": ("0003", "agreement_parties.sql"), "timeline": ("0008", "reporting.timeline.sql")}


def _execute(text: str) -> None:
    # Raw psycopg: several statements at once, no bind-parameter parsing of the SQL text.
    with op.get_bind().connection.dbapi_connection.cursor() as cur:
        cur.execute(text)


def upgrade() -> None:
    for name in BEFORE:  # same columns: replaced in place, grants kept
        text = (FROZEN / revision / f"reporting.{name}.sql").read_text(encoding="utf-8")
        # a statement ends with ';' at the end of a line (comment texts hold '; ' inside quotes)
        create, *comments = [s.strip() for s in re.split(r";[ \t]*\n", text.strip() + "\n") if s.strip()]
        op.replace_entity(PGView.from_sql(create))
        for comment in comments:
            _execute(comment)


def downgrade() -> None:
    for folder, file in BEFORE.values():
        _execute((FROZEN / folder / file).read_text(encoding="utf-8"))
