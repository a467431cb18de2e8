create or replace view intermediate.volume_schedule as

with

schedule_parts as (

    -- the stored parts, kept current by every load (mart.refresh_parts)
    select * from mart.volume_schedule_part

),

final as (

    select
        schedule_parts.mineral,
        schedule_parts.calendar_year,
        sum(schedule_parts.tonnes)::numeric(28, 6) as tonnes,
        sum(schedule_parts.amount_usd)::numeric(24, 2) as amount_usd,
        sum(schedule_parts.volume_count)::bigint as volume_count,
        count(distinct schedule_parts.agreement_id) as agreement_count,
        string_agg(
            distinct schedule_parts.agreement_id, ', '
            order by schedule_parts.agreement_id
        ) as agreement_ids,
        string_agg(
            distinct schedule_parts.bound, ', ' order by schedule_parts.bound
        ) as bounds
    from schedule_parts
    group by 1, 2

)

select * from final;

comment on view intermediate.volume_schedule is
'The rows of reporting.volume_schedule summed from the stored parts (what mart.refresh_totals stores in mart.volume_schedule).';
