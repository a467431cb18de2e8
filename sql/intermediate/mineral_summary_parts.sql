create or replace view intermediate.mineral_summary_parts as

with

counted_volumes as (

    select * from intermediate.counted_volumes

),

agreement_minerals as (

    select * from core.agreement_mineral

),

facts as (

    select
        counted_volumes.mineral_id,
        counted_volumes.agreement_id,
        counted_volumes.article_id,
        1 as volume_count,
        case
            when counted_volumes.source_rank = 1
                then counted_volumes.quantity_tonnes
        end as stated_tonnes,
        case
            when counted_volumes.source_rank = 1
                then counted_volumes.amount_usd
        end as stated_amount_usd
    from counted_volumes
    where counted_volumes.mineral_id is not null

    union all

    select
        agreement_minerals.mineral_id,
        agreement_minerals.agreement_id,
        agreement_minerals.article_id,
        0 as volume_count,
        null as stated_tonnes,
        null as stated_amount_usd
    from agreement_minerals

),

final as (

    select
        facts.mineral_id,
        facts.agreement_id,
        facts.article_id,
        sum(facts.volume_count) as volume_count,
        sum(facts.stated_tonnes) as stated_tonnes,
        sum(facts.stated_amount_usd) as stated_amount_usd
    from facts
    group by 1, 2, 3

)

select * from final;

comment on view intermediate.mineral_summary_parts is
'Every mineral, agreement and article an agreement mineral or figure gives, with its figures and the sums of the counted ones (the plain computation of mart.mineral_summary_part).';
