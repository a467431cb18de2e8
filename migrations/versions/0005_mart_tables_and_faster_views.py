"""faster reporting views: mart tables for volume_schedule and mineral_summary, join and CTE rewrites

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:45:00

volume_schedule and mineral_summary keep their rows in mart tables (per mineral), summed from
per-agreement parts (mart.*_part) that statement triggers on the core tables recompute for the
agreements a statement touches; the triggers also list the minerals whose rows may change in
mart.stale_mineral, the views compute those live from the parts, and every load stores them
before it commits (etl/load/marts.py, called by etl.load.write.finish_load). agreements inlines its import CTEs (indexes
serve a filter on one agreement); volumes, evidence and timeline join with left joins (same rows:
the foreign keys are not null) so a query skips the joins it does not read; country_links pairs
countries per agreement before counting.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from etl.load import marts
from etl.reporting import views

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANGED = ("agreements", "country_links", "evidence", "mineral_summary", "timeline", "volume_schedule",
           "volumes")  # no other view reads them

MART_COMMENT = ("critmin stored results of the heaviest reporting views, kept current by every load "
                "(read them through reporting).")

# The parts functions and the trigger function (frozen here, like _history/ for views: a later
# rule change redefines them in its own revision). One trigger function serves every trigger: the
# transition tables are new_rows (INSERT, UPDATE) and old_rows (UPDATE, DELETE); a statement that
# changed no row writes nothing.
MARK_STALE = r"""
create function mart.add_stale_minerals(minerals text[]) returns void
language sql as $$
    insert into mart.stale_mineral (mineral_id)
    select distinct m.mineral_id from unnest(minerals) as m (mineral_id)
    where not exists (select from mart.stale_mineral as s where s.mineral_id is not distinct from m.mineral_id)
$$;

create function mart.agreement_minerals(agreement_ids text[]) returns text[]
language sql stable
set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off
as $$
    select array(
        select am.mineral_id from core.agreement_mineral as am where am.agreement_id = any(agreement_ids)
        union
        select v.mineral_id from core.volume as v where v.agreement_id = any(agreement_ids) and v.mineral_id is not null
    )
$$;

-- The rules of reporting.volume_schedule, per agreement (a restated figure is ranked among the
-- figures of its own agreement, so each agreement's part is independent of the others).
create function mart.refresh_schedule_parts(agreement_ids text[]) returns void
language sql
-- called for a few thousand agreements at a time inside a load, whose tables have no statistics
-- for the rows it is writing: look the agreements up by index, never scan a growing table whole
set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off
as $$
    delete from mart.volume_schedule_part as p where p.agreement_id = any(agreement_ids);

    insert into mart.volume_schedule_part
        (agreement_id, mineral, calendar_year, bound, tonnes, amount_usd, volume_count)
    with ranked_sources as (
        -- the same figure restated by several articles counts once: per agreement, mineral,
        -- measure and period, the figures of one source (curated first, then the latest)
        select
            v.*,
            dense_rank() over (
                partition by v.agreement_id, v.mineral_id, v.measure, v.per_year, v.period_start, v.period_end
                order by v.review_status = 'auto', a.published_on desc nulls last, a.article_id desc
            ) as source_rank
        from core.volume as v
        inner join core.article as a on v.article_id = a.article_id
        where v.agreement_id = any(agreement_ids)
    ),
    dated_volumes as (
        select
            r.agreement_id, r.mineral_id, r.bound, r.quantity_tonnes, r.amount_usd,
            extract(year from r.period_start)::integer as first_year,
            case
                when r.per_year and r.period_end is not null then extract(year from r.period_end)::integer
                else extract(year from r.period_start)::integer
            end as last_year
        from ranked_sources as r
        where r.source_rank = 1 and r.measure in ('mass', 'money') and r.period_start is not null
    )
    select d.agreement_id, d.mineral_id, y.schedule_year, d.bound,
           sum(d.quantity_tonnes), sum(d.amount_usd), count(*)
    from dated_volumes as d
    cross join lateral generate_series(d.first_year, d.last_year) as y (schedule_year)
    group by 1, 2, 3, 4
$$;

-- The per-agreement facts of reporting.mineral_summary: every (mineral, agreement, article) an
-- agreement_mineral or a volume gives, with its figures and the sums of the restated-once ones.
create function mart.refresh_mineral_parts(agreement_ids text[]) returns void
language sql
-- called for a few thousand agreements at a time inside a load, whose tables have no statistics
-- for the rows it is writing: look the agreements up by index, never scan a growing table whole
set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off
as $$
    delete from mart.mineral_summary_part as p where p.agreement_id = any(agreement_ids);

    insert into mart.mineral_summary_part
        (mineral_id, agreement_id, article_id, volume_count, stated_tonnes, stated_amount_usd)
    with ranked_sources as (
        -- a figure several articles restate counts once in the sums (as in volume_schedule)
        select
            v.mineral_id, v.agreement_id, v.article_id, v.quantity_tonnes, v.amount_usd,
            dense_rank() over (
                partition by v.agreement_id, v.mineral_id, v.measure, v.per_year, v.period_start, v.period_end
                order by v.review_status = 'auto', a.published_on desc nulls last, a.article_id desc
            ) as source_rank
        from core.volume as v
        inner join core.article as a on v.article_id = a.article_id
        where v.agreement_id = any(agreement_ids) and v.mineral_id is not null
    ),
    facts as (
        select
            r.mineral_id, r.agreement_id, r.article_id, 1 as volume_count,
            case when r.source_rank = 1 then r.quantity_tonnes end as stated_tonnes,
            case when r.source_rank = 1 then r.amount_usd end as stated_amount_usd
        from ranked_sources as r
        union all
        select am.mineral_id, am.agreement_id, am.article_id, 0, null, null
        from core.agreement_mineral as am
        where am.agreement_id = any(agreement_ids)
    )
    select f.mineral_id, f.agreement_id, f.article_id, sum(f.volume_count), sum(f.stated_tonnes),
           sum(f.stated_amount_usd)
    from facts as f
    group by 1, 2, 3
$$;

create function mart.mark_stale_minerals() returns trigger
language plpgsql as $$
declare
    changed text[];
begin
    if tg_table_name in ('volume', 'agreement_mineral', 'market_claim') then
        -- the minerals of the facts written or removed
        if tg_op <> 'DELETE' then
            perform mart.add_stale_minerals(array(select distinct r.mineral_id from new_rows as r));
        end if;
        if tg_op <> 'INSERT' then
            perform mart.add_stale_minerals(array(select distinct r.mineral_id from old_rows as r));
        end if;
        -- and the parts of the agreements whose figures or minerals changed
        if tg_table_name in ('volume', 'agreement_mineral') then
            if tg_op = 'INSERT' then
                changed := array(select distinct r.agreement_id from new_rows as r);
            elsif tg_op = 'DELETE' then
                changed := array(select distinct r.agreement_id from old_rows as r);
            else
                changed := array(select r.agreement_id from new_rows as r union select r.agreement_id from old_rows as r);
            end if;
            perform mart.refresh_mineral_parts(changed);
            if tg_table_name = 'volume' then
                perform mart.refresh_schedule_parts(changed);
            end if;
        end if;
    elsif tg_table_name = 'agreement_party' then
        -- a party counts for every mineral of its agreement, whichever article named the mineral
        if tg_op <> 'DELETE' then
            perform mart.add_stale_minerals(mart.agreement_minerals(
                array(select distinct r.agreement_id from new_rows as r)));
        end if;
        if tg_op <> 'INSERT' then
            perform mart.add_stale_minerals(mart.agreement_minerals(
                array(select distinct r.agreement_id from old_rows as r)));
        end if;
    elsif tg_table_name = 'article' then
        -- the publication date picks the source of a restated figure: re-dated articles' figures
        perform mart.add_stale_minerals(array(
            select distinct v.mineral_id from core.volume as v
            where v.article_id in (select n.article_id from new_rows as n join old_rows as o using (article_id)
                                   where n.published_on is distinct from o.published_on)));
        changed := array(
            select distinct v.agreement_id from core.volume as v
            where v.article_id in (select n.article_id from new_rows as n join old_rows as o using (article_id)
                                   where n.published_on is distinct from o.published_on));
        perform mart.refresh_schedule_parts(changed);
        perform mart.refresh_mineral_parts(changed);
    elsif tg_table_name = 'party' then
        -- a party's country counts for every mineral of its agreements: all of them
        if exists (select from new_rows as n join old_rows as o using (party_id)
                   where n.country_code is distinct from o.country_code) then
            perform mart.add_stale_minerals(array(select ms.mineral_id from mart.mineral_summary as ms));
        end if;
    elsif tg_table_name = 'mineral' then
        -- names, symbol and group are columns of mineral_summary
        perform mart.add_stale_minerals(array(
            select n.mineral_id from new_rows as n join old_rows as o using (mineral_id)
            where (n.name_en, n.name_ko, n.symbol, n.mineral_group)
                  is distinct from (o.name_en, o.name_ko, o.symbol, o.mineral_group)));
    end if;
    return null;
end
$$;

revoke all on function mart.refresh_schedule_parts(text[]) from public;
revoke all on function mart.refresh_mineral_parts(text[]) from public;
revoke all on function mart.add_stale_minerals(text[]) from public;
revoke all on function mart.agreement_minerals(text[]) from public;
revoke all on function mart.mark_stale_minerals() from public;
"""

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
    views.apply_views(op.get_bind(), CHANGED, as_of=revision)
    # fill the mart tables from what is loaded already (etl.load.marts.refresh reads the views just applied)
    with views._dbapi(op.get_bind()).cursor() as cur:
        cur.execute("select mart.refresh_schedule_parts(array(select agreement_id from core.agreement))")
        cur.execute("select mart.refresh_mineral_parts(array(select agreement_id from core.agreement))")
        marts.mark_all_stale(cur)
        marts.refresh(cur)


def downgrade() -> None:
    views.apply_views(op.get_bind(), CHANGED, as_of=down_revision)
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
