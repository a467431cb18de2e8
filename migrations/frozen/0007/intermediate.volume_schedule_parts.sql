create or replace view intermediate.volume_schedule_parts as

with

counted_volumes as (

    select * from intermediate.counted_volumes

),

dated_volumes as (

    select
        counted_volumes.agreement_id,
        counted_volumes.mineral_id,
        counted_volumes.bound,
        counted_volumes.quantity_tonnes,
        counted_volumes.amount_usd,
        extract(year from counted_volumes.period_start)::integer as first_year,
        -- a yearly rate with an end counts in every year up to it; anything
        -- else once, in its first year
        case
            when
                counted_volumes.per_year
                and counted_volumes.period_end is not null
                then extract(year from counted_volumes.period_end)::integer
            else extract(year from counted_volumes.period_start)::integer
        end as last_year
    from counted_volumes
    where
        counted_volumes.source_rank = 1
        and counted_volumes.measure in ('mass', 'money')
        and counted_volumes.period_start is not null

),

final as (

    select
        dated_volumes.agreement_id,
        dated_volumes.mineral_id as mineral,
        schedule_years.calendar_year,
        dated_volumes.bound,
        sum(dated_volumes.quantity_tonnes) as tonnes,
        sum(dated_volumes.amount_usd) as amount_usd,
        count(*) as volume_count
    from dated_volumes
    cross join
        lateral generate_series(
            dated_volumes.first_year, dated_volumes.last_year
        ) as schedule_years (calendar_year)
    group by 1, 2, 3, 4

)

select * from final;

comment on view intermediate.volume_schedule_parts is
'The figures reporting.volume_schedule counts, summed per agreement, mineral, calendar year and bound (the plain computation of mart.volume_schedule_part).';
