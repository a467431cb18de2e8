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
