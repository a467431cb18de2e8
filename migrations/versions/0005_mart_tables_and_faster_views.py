"""faster reporting views: mart tables for volume_schedule and mineral_summary, join and CTE rewrites

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:45:00

volume_schedule and mineral_summary keep their rows in mart tables (per mineral), summed from
per-agreement parts (mart.*_part) that statement triggers on the core tables recompute for the
agreements a statement touches; the triggers also list the minerals whose rows may change in
mart.stale_mineral, the views compute those live from the parts, and every load stores them
before it commits (etl/load/marts.py of this revision's time). agreements inlines its import CTEs (indexes
serve a filter on one agreement); volumes, evidence and timeline join with left joins (same rows:
the foreign keys are not null) so a query skips the joins it does not read; country_links pairs
countries per agreement before counting.
"""
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
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

CHANGED = ("agreements", "country_links", "evidence", "mineral_summary", "timeline", "volume_schedule",
           "volumes")  # no other view reads them

MART_COMMENT = ("critmin stored results of the heaviest reporting views, kept current by every load "
                "(read them through reporting).")

# The parts functions and the trigger function (frozen in migrations/frozen/0005/mart_functions.sql: a later
# rule change redefines them in its own revision). One trigger function serves every trigger: the
# transition tables are new_rows (INSERT, UPDATE) and old_rows (UPDATE, DELETE); a statement that
# changed no row writes nothing.
MARK_STALE = (FROZEN / "0005" / "mart_functions.sql").read_text(encoding="utf-8")

# (table, events) the mart tables depend on
TRIGGERS = (
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


def _triggers():
    for table, events in TRIGGERS:
        for event in events:
            yield table, event, f"mart_stale_{event}"


def upgrade() -> None:
    op.execute("create schema if not exists mart")
    op.execute(sa.text(f"comment on schema mart is '{MART_COMMENT}'"))
    op.execute("revoke all on schema mart from public")  # the reader reads the views, never these tables
    op.create_table('mineral_summary',
    sa.Column('mineral_id', sa.Text(), nullable=False, comment='Canonical mineral slug.'),
    sa.Column('name_en', sa.Text(), nullable=True, comment='English name.'),
    sa.Column('name_ko', sa.Text(), nullable=True, comment='Korean name.'),
    sa.Column('symbol', sa.String(length=8), nullable=True, comment='Chemical symbol; null for groups.'),
    sa.Column('mineral_group', sa.String(length=16), nullable=True, comment='Mineral group.'),
    sa.Column('agreement_count', sa.BigInteger(), nullable=False, comment='Distinct agreements covering the mineral or stating a figure about it.'),
    sa.Column('party_count', sa.BigInteger(), nullable=False, comment='Distinct parties in those agreements.'),
    sa.Column('countries', sa.Text(), nullable=True, comment='Countries of those parties (comma-separated, alphabetical).'),
    sa.Column('volume_count', sa.BigInteger(), nullable=False, comment='Agreement figures about the mineral.'),
    sa.Column('stated_tonnes', sa.Numeric(precision=28, scale=6), nullable=True, comment='Sum of the tonnes stated (a restated figure once).'),
    sa.Column('stated_amount_usd', sa.Numeric(precision=24, scale=2), nullable=True, comment='Sum of the US dollars stated (a restated figure once).'),
    sa.Column('claim_count', sa.BigInteger(), nullable=False, comment='Market claims about the mineral.'),
    sa.Column('source_count', sa.BigInteger(), nullable=False, comment='Distinct articles with any fact about the mineral.'),
    sa.PrimaryKeyConstraint('mineral_id', name=op.f('pk_mineral_summary')),
    schema='mart',
    comment='Stored rows of reporting.mineral_summary (same columns, see its comments) for the minerals not listed in mart.stale_mineral.'
    )
    op.create_table('stale_mineral',
    sa.Column('mineral_id', sa.Text(), nullable=True, comment='A mineral whose facts changed since the mart tables were last refreshed; null stands for figures not about one mineral.'),
    schema='mart',
    comment='Minerals whose rows in the mart tables are out of date: the reporting views compute them live until the load (or the next one) refreshes them. Written by triggers on the core tables; empty after every load.'
    )
    op.create_table('volume_schedule',
    sa.Column('mineral', sa.Text(), nullable=True, comment='Mineral slug; null for figures not about one mineral.'),
    sa.Column('calendar_year', sa.Integer(), nullable=False, comment='Calendar year the tonnes and dollars are counted in.'),
    sa.Column('tonnes', sa.Numeric(precision=28, scale=6), nullable=True, comment='Metric tonnes scheduled for the year.'),
    sa.Column('amount_usd', sa.Numeric(precision=24, scale=2), nullable=True, comment='US dollars scheduled for the year.'),
    sa.Column('volume_count', sa.BigInteger(), nullable=False, comment='Number of figures counted in the year.'),
    sa.Column('agreement_count', sa.BigInteger(), nullable=False, comment='Number of distinct agreements those figures belong to.'),
    sa.Column('agreement_ids', sa.Text(), nullable=True, comment='Those agreements (comma-separated agreement ids, alphabetical).'),
    sa.Column('bounds', sa.Text(), nullable=True, comment='Bounds of the figures summed (comma-separated).'),
    schema='mart',
    comment='Stored rows of reporting.volume_schedule (same columns, see its comments) for the minerals not listed in mart.stale_mineral.'
    )
    op.create_table('volume_schedule_part',
    sa.Column('agreement_id', sa.Text(), nullable=False, comment='The agreement the figures belong to.'),
    sa.Column('mineral', sa.Text(), nullable=True, comment='Mineral slug; null for figures not about one mineral.'),
    sa.Column('calendar_year', sa.Integer(), nullable=False, comment='Calendar year the figures are counted in.'),
    sa.Column('bound', sa.String(length=8), nullable=False, comment='Bound of the figures: exact, up_to, at_least or approx.'),
    sa.Column('tonnes', sa.Numeric(), nullable=True, comment='Sum of their metric tonnes; null when none is a mass.'),
    sa.Column('amount_usd', sa.Numeric(), nullable=True, comment='Sum of their US dollars; null when none is money with a known rate.'),
    sa.Column('volume_count', sa.BigInteger(), nullable=False, comment='Number of figures.'),
    schema='mart',
    comment='The figures reporting.volume_schedule counts (one source per restated figure), summed per agreement, mineral, calendar year and bound; kept current by triggers on core.volume and core.article.'
    )
    op.create_index(op.f('ix_volume_schedule_part_agreement_id'), 'volume_schedule_part', ['agreement_id'], unique=False, schema='mart')
    op.create_index(op.f('ix_volume_schedule_part_mineral_calendar_year_agreement_id'), 'volume_schedule_part', ['mineral', 'calendar_year', 'agreement_id'], unique=False, schema='mart', postgresql_include=['bound', 'tonnes', 'amount_usd', 'volume_count'])
    op.create_table('mineral_summary_part',
    sa.Column('mineral_id', sa.Text(), nullable=False, comment='The mineral.'),
    sa.Column('agreement_id', sa.Text(), nullable=False, comment='An agreement that covers the mineral or states a figure about it.'),
    sa.Column('article_id', sa.Text(), nullable=False, comment='The article reporting it.'),
    sa.Column('volume_count', sa.BigInteger(), nullable=False, comment='Figures about the mineral the article attaches to the agreement.'),
    sa.Column('stated_tonnes', sa.Numeric(), nullable=True, comment='Sum of their tonnes, a figure restated by several articles counted once (with its chosen source).'),
    sa.Column('stated_amount_usd', sa.Numeric(), nullable=True, comment='Sum of their US dollars, a restated figure counted once (with its chosen source).'),
    sa.PrimaryKeyConstraint('mineral_id', 'agreement_id', 'article_id', name=op.f('pk_mineral_summary_part')),
    schema='mart',
    comment='The agreement facts reporting.mineral_summary counts, per mineral, agreement and article; kept current by triggers on core.volume, core.agreement_mineral and core.article.'
    )
    op.create_index(op.f('ix_mineral_summary_part_agreement_id'), 'mineral_summary_part', ['agreement_id'], unique=False, schema='mart')
    op.execute(MARK_STALE)
    for table, event, name in _triggers():
        op.execute(f"create trigger {name} after {event} on core.{table} referencing {_REFERENCING[event]} "
                   f"for each statement execute function mart.mark_stale_minerals()")
    _apply_views(CHANGED, revision)
    # fill the mart tables from what is loaded already (what etl.load.marts.refresh did in this
    # revision's time, frozen here): every mineral listed stale, its rows stored, the list emptied
    _execute("""
        select mart.refresh_schedule_parts(array(select agreement_id from core.agreement));
        select mart.refresh_mineral_parts(array(select agreement_id from core.agreement));
        delete from mart.stale_mineral;
        insert into mart.volume_schedule
        select
            p.mineral, p.calendar_year,
            sum(p.tonnes)::numeric(28, 6), sum(p.amount_usd)::numeric(24, 2), sum(p.volume_count)::bigint,
            count(distinct p.agreement_id),
            string_agg(distinct p.agreement_id, ', ' order by p.agreement_id),
            string_agg(distinct p.bound, ', ' order by p.bound)
        from mart.volume_schedule_part as p
        group by 1, 2;
        insert into mart.stale_mineral (mineral_id) select mineral_id from core.mineral;
        insert into mart.mineral_summary select * from reporting.mineral_summary;
        delete from mart.stale_mineral;
    """)


def downgrade() -> None:
    _apply_views(CHANGED, down_revision)
    for table, _event, name in _triggers():
        op.execute(f"drop trigger {name} on core.{table}")
    op.execute("drop function mart.mark_stale_minerals()")
    op.execute("drop function mart.agreement_minerals(text[])")
    op.execute("drop function mart.refresh_schedule_parts(text[])")
    op.execute("drop function mart.refresh_mineral_parts(text[])")
    op.execute("drop function mart.add_stale_minerals(text[])")
    op.drop_index(op.f('ix_volume_schedule_part_mineral_calendar_year_agreement_id'), table_name='volume_schedule_part', schema='mart')
    op.drop_index(op.f('ix_volume_schedule_part_agreement_id'), table_name='volume_schedule_part', schema='mart')
    op.drop_table('volume_schedule_part', schema='mart')
    op.drop_table('volume_schedule', schema='mart')
    op.drop_table('stale_mineral', schema='mart')
    op.drop_table('mineral_summary', schema='mart')
    op.drop_index(op.f('ix_mineral_summary_part_agreement_id'), table_name='mineral_summary_part', schema='mart')
    op.drop_table('mineral_summary_part', schema='mart')
    op.execute("drop schema mart")
