create or replace view reporting.volume_schedule as

with

stored_schedule as (

    select * from mart.volume_schedule

),

schedule_parts as not materialized (

    -- per agreement, mineral, calendar year and bound: the figures counted
    -- under the rules of the view comment, kept current by triggers on
    -- core.volume and core.article (mart.refresh_schedule_parts, migration
    -- 0005)
    select * from mart.volume_schedule_part

),

stale_minerals as not materialized (

    select * from mart.stale_mineral

),

stale_parts as (

    -- only the minerals whose figures changed since the last load are summed
    -- here; the others are read from mart.volume_schedule (see etl/marts.py)
    select schedule_parts.*
    from schedule_parts
    where
        schedule_parts.mineral in (
            select stale_minerals.mineral_id from stale_minerals
        )

    union all

    select schedule_parts.*
    from schedule_parts
    where
        schedule_parts.mineral is null
        and exists (
            select 1 as stale from stale_minerals
            where stale_minerals.mineral_id is null
        )

),

computed_schedule as (

    select
        stale_parts.mineral,
        stale_parts.calendar_year,
        sum(stale_parts.tonnes)::numeric(28, 6) as tonnes,
        sum(stale_parts.amount_usd)::numeric(24, 2) as amount_usd,
        sum(stale_parts.volume_count)::bigint as volume_count,
        count(distinct stale_parts.agreement_id) as agreement_count,
        string_agg(
            distinct stale_parts.agreement_id, ', '
            order by stale_parts.agreement_id
        ) as agreement_ids,
        string_agg(
            distinct stale_parts.bound, ', ' order by stale_parts.bound
        ) as bounds
    from stale_parts
    group by 1, 2

),

final as (

    select
        stored_schedule.mineral,
        stored_schedule.calendar_year,
        stored_schedule.tonnes,
        stored_schedule.amount_usd,
        stored_schedule.volume_count,
        stored_schedule.agreement_count,
        stored_schedule.agreement_ids,
        stored_schedule.bounds
    from stored_schedule
    where
        not exists (
            select 1 as stale from stale_minerals
            where
                stale_minerals.mineral_id
                is not distinct from stored_schedule.mineral
        )

    union all

    select
        computed_schedule.mineral,
        computed_schedule.calendar_year,
        computed_schedule.tonnes,
        computed_schedule.amount_usd,
        computed_schedule.volume_count,
        computed_schedule.agreement_count,
        computed_schedule.agreement_ids,
        computed_schedule.bounds
    from computed_schedule

)

select * from final;

comment on view reporting.volume_schedule is
'Tonnes and US dollars committed per mineral and calendar year, summed over the agreement figures of reporting.volumes. Rules: a yearly rate (per_year) with a period_end counts in full in every calendar year from period_start to period_end (not prorated for part years); a yearly rate with no period_end (open-ended) counts once, in its period_start year; a one-off figure (not per_year) counts once, whole, in its period_start year, even when its period spans several years. Figures with no period_start, and shares and counts, are left out (see reporting.volumes). Figures are summed as stated whatever their bound (up_to, at_least, approx: see bounds). A figure several articles restate (same agreement, mineral, measure and period) counts once, from one source: a curated one before an auto-extracted one, then the latest published; reporting.conflicts lists where sources disagree.';

comment on column reporting.volume_schedule.mineral is
'Mineral slug; null for figures not about one mineral (e.g. an investment in several minerals).';
comment on column reporting.volume_schedule.calendar_year is
'Calendar year the tonnes and dollars are counted in.';
comment on column reporting.volume_schedule.tonnes is
'Metric tonnes scheduled for the year; null when no mass figure falls in it.';
comment on column reporting.volume_schedule.amount_usd is
'US dollars scheduled for the year; null when no money figure with a known exchange rate falls in it.';
comment on column reporting.volume_schedule.volume_count is
'Number of figures (reporting.volumes rows) counted in the year.';
comment on column reporting.volume_schedule.agreement_count is
'Number of distinct agreements those figures belong to.';
comment on column reporting.volume_schedule.agreement_ids is
'Those agreements (comma-separated agreement ids, alphabetical).';
comment on column reporting.volume_schedule.bounds is
'Bounds of the figures summed (exact, up_to, at_least, approx; comma-separated): anything but exact means the total is itself a bound or an estimate.';
