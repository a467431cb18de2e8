create or replace view reporting.volume_schedule as

with

volumes as (

    select * from core.volume

),

articles as (

    select * from core.article

),

ranked_sources as (

    -- the same figure restated by several articles counts once: per agreement, mineral,
    -- measure and period, the figures of one source (curated first, then the latest)
    select
        volumes.*,
        dense_rank() over (
            partition by
                volumes.agreement_id,
                volumes.mineral_id,
                volumes.measure,
                volumes.per_year,
                volumes.period_start,
                volumes.period_end
            order by
                volumes.review_status = 'auto',
                articles.published_on desc nulls last,
                articles.article_id desc
        ) as source_rank
    from volumes
    inner join articles
        on volumes.article_id = articles.article_id

),

dated_volumes as (

    select
        volumes.volume_id,
        volumes.agreement_id,
        volumes.mineral_id,
        volumes.bound,
        volumes.quantity_tonnes,
        volumes.amount_usd,
        extract(year from volumes.period_start)::integer as first_year,
        case
            when volumes.per_year and volumes.period_end is not null
                then extract(year from volumes.period_end)::integer
            else extract(year from volumes.period_start)::integer
        end as last_year
    from ranked_sources as volumes
    where
        volumes.source_rank = 1
        and volumes.measure in ('mass', 'money')
        and volumes.period_start is not null

),

volume_years as (

    select
        dated_volumes.volume_id,
        dated_volumes.agreement_id,
        dated_volumes.mineral_id,
        dated_volumes.bound,
        dated_volumes.quantity_tonnes,
        dated_volumes.amount_usd,
        schedule_years.schedule_year
    from dated_volumes
    cross join lateral generate_series(
        dated_volumes.first_year, dated_volumes.last_year
    ) as schedule_years (schedule_year)

),

final as (

    select
        volume_years.mineral_id as mineral,
        volume_years.schedule_year as calendar_year,
        sum(volume_years.quantity_tonnes)::numeric(28, 6) as tonnes,
        sum(volume_years.amount_usd)::numeric(24, 2) as amount_usd,
        count(distinct volume_years.volume_id) as volume_count,
        count(distinct volume_years.agreement_id) as agreement_count,
        string_agg(
            distinct volume_years.agreement_id, ', '
            order by volume_years.agreement_id
        ) as agreement_ids,
        string_agg(
            distinct volume_years.bound, ', ' order by volume_years.bound
        ) as bounds
    from volume_years
    group by 1, 2

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
