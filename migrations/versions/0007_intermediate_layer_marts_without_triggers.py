"""intermediate layer holds the shared rules once; marts refreshed by the load, without triggers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:45:00

* schema `intermediate` (private: the reader cannot use it) with the views holding each rule once:
  which source wins for an agreement (agreement_sources), a figure restated by several sources
  counted once (counted_volumes), compared quantities (compared_volumes), and the plain
  computations of the mart parts and totals;
* reporting.agreements and reporting.conflicts read those rules; reporting.volume_schedule and
  reporting.mineral_summary read their stored rows (mart.*) only;
* the statement triggers of revision 0005, their functions and mart.stale_mineral go: the load
  refreshes the parts of the agreements it touched and the totals of their minerals before it
  commits (mart.refresh_parts, mart.refresh_totals), `critmin refresh` does it after hand edits;
* the rule that settles an agreement's title, kind and location is a function
  (etl.settle_agreements) instead of a Python string.

Views and functions are alembic_utils entities built from this revision's frozen copies of the
sql/ files (migrations/frozen/0007/<schema>.<name>.sql); migrations/env.py registers the current
files, so `alembic check` reports any difference between them and the database.
"""
from collections.abc import Sequence
from pathlib import Path

from alembic import op
from alembic_utils.pg_function import PGFunction
from alembic_utils.pg_view import PGView

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = Path(__file__).resolve().parents[1] / "frozen"

# dependency order
INTERMEDIATE = ("agreement_sources", "compared_volumes", "counted_volumes", "volume_schedule_parts",
                "mineral_summary_parts", "volume_schedule", "mineral_summary")
REPORTING = ("agreements", "conflicts", "mineral_summary", "volume_schedule")
# the revision whose text of each of them the downgrade restores (the last one that changed it)
REPORTING_BEFORE = {"agreements": "0005", "conflicts": "0004", "mineral_summary": "0005", "volume_schedule": "0005"}
FUNCTIONS = ("etl.settle_agreements", "mart.refresh_parts", "mart.refresh_totals")

# revision 0005's triggers (table, events) and functions, dropped here and restored by downgrade
TRIGGERS_0005 = (
    ("volume", ("insert", "update", "delete")),
    ("agreement_mineral", ("insert", "update", "delete")),
    ("market_claim", ("insert", "update", "delete")),
    ("agreement_party", ("insert", "update", "delete")),
    ("article", ("update",)),
    ("party", ("update",)),
    ("mineral", ("update",)),
)
_REFERENCING = {"insert": "new table as new_rows", "update": "old table as old_rows new table as new_rows",
                "delete": "old table as old_rows"}
FUNCTIONS_0005 = ("mart.mark_stale_minerals()", "mart.agreement_minerals(text[])",
                  "mart.refresh_schedule_parts(text[])", "mart.refresh_mineral_parts(text[])",
                  "mart.add_stale_minerals(text[])")

TABLE_COMMENTS = {
    # table: (comment of this revision, comment of revision 0005)
    "volume_schedule": (
        "Stored rows of reporting.volume_schedule (same columns, see its comments), summed from "
        "mart.volume_schedule_part by mart.refresh_totals inside every load and `critmin refresh`.",
        "Stored rows of reporting.volume_schedule (same columns, see its comments) for the minerals not listed in mart.stale_mineral."),
    "mineral_summary": (
        "Stored rows of reporting.mineral_summary (same columns, see its comments), computed from "
        "mart.mineral_summary_part by mart.refresh_totals inside every load and `critmin refresh`.",
        "Stored rows of reporting.mineral_summary (same columns, see its comments) for the minerals not listed in mart.stale_mineral."),
    "volume_schedule_part": (
        "The figures reporting.volume_schedule counts (one source per restated figure), summed per "
        "agreement, mineral, calendar year and bound; stored by mart.refresh_parts for the agreements a load touched.",
        "The figures reporting.volume_schedule counts (one source per restated figure), summed per agreement, mineral, calendar year and bound; kept current by triggers on core.volume and core.article."),
    "mineral_summary_part": (
        "The agreement facts reporting.mineral_summary counts, per mineral, agreement and article; "
        "stored by mart.refresh_parts for the agreements a load touched.",
        "The agreement facts reporting.mineral_summary counts, per mineral, agreement and article; kept current by triggers on core.volume, core.agreement_mineral and core.article."),
}

STALE_MINERAL_COMMENT = ("Minerals whose rows in the mart tables are out of date: the reporting views compute them live until "
                         "the load (or the next one) refreshes them. Written by triggers on the core tables; empty after every load.")
STALE_MINERAL_COLUMN = ("A mineral whose facts changed since the mart tables were last refreshed; null stands for figures "
                        "not about one mineral.")


def _execute(text: str) -> None:
    # Raw psycopg: several statements at once, no bind-parameter parsing of the SQL text.
    with op.get_bind().connection.dbapi_connection.cursor() as cur:
        cur.execute(text)


def _statements(text: str) -> list[str]:
    # a statement ends with ';' at the end of a line (comment texts hold '; ' inside quotes)
    import re

    return [s.strip() for s in re.split(r";[ \t]*\n", text.strip() + "\n") if s.strip()]


def _view(schema: str, name: str) -> tuple[PGView, list[str]]:
    create, *comments = _statements((FROZEN / revision / f"{schema}.{name}.sql").read_text(encoding="utf-8"))
    return PGView.from_sql(create), comments


def _function(name: str) -> PGFunction:
    return PGFunction.from_sql((FROZEN / revision / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";"))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.execute("create schema intermediate")
    op.execute("comment on schema intermediate is 'critmin private rules shared by the reporting views "
               "(which source wins, restated figures counted once, compared quantities); not for readers.'")
    op.execute("revoke all on schema intermediate from public")
    for table, events in TRIGGERS_0005:
        for event in events:
            op.execute(f"drop trigger mart_stale_{event} on core.{table}")
    for signature in FUNCTIONS_0005:
        op.execute(f"drop function {signature}")
    for name in INTERMEDIATE:
        entity, comments = _view("intermediate", name)
        op.create_entity(entity)
        for comment in comments:
            _execute(comment)
    for name in REPORTING:  # same columns: replaced in place, grants kept
        entity, comments = _view("reporting", name)
        op.replace_entity(entity)
        for comment in comments:
            _execute(comment)
    op.drop_table("stale_mineral", schema="mart")
    for table, (comment, old) in TABLE_COMMENTS.items():
        op.create_table_comment(table, comment, existing_comment=old, schema="mart")
    for name in FUNCTIONS:
        entity = _function(name)
        op.create_entity(entity)
        op.execute(f"revoke all on function {entity.schema}.{entity.signature.split('(')[0]}(text[]) from public")
    # store the parts and totals of everything loaded already
    op.execute("select mart.refresh_parts(null)")
    op.execute("select mart.refresh_totals(null)")


def downgrade() -> None:
    for name in reversed(FUNCTIONS):
        op.drop_entity(_function(name))
    op.execute("create table mart.stale_mineral (mineral_id text)")
    op.execute(f"comment on table mart.stale_mineral is {_quote(STALE_MINERAL_COMMENT)}")
    op.execute(f"comment on column mart.stale_mineral.mineral_id is {_quote(STALE_MINERAL_COLUMN)}")
    for table, (comment, old) in TABLE_COMMENTS.items():
        op.create_table_comment(table, old, existing_comment=comment, schema="mart")
    for name in REPORTING:  # the texts before this revision, replaced in place (same columns, grants kept)
        _execute((FROZEN / REPORTING_BEFORE[name] / f"{name}.sql").read_text(encoding="utf-8"))
    for name in reversed(INTERMEDIATE):
        op.drop_entity(_view("intermediate", name)[0])
    op.execute("drop schema intermediate")
    _execute((FROZEN / "0005" / "mart_functions.sql").read_text(encoding="utf-8"))
    for table, events in TRIGGERS_0005:
        for event in events:
            op.execute(f"create trigger mart_stale_{event} after {event} on core.{table} referencing "
                       f"{_REFERENCING[event]} for each statement execute function mart.mark_stale_minerals()")
