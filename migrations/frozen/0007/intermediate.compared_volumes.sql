create or replace view intermediate.compared_volumes as

with

volumes as (

    select * from core.volume

),

articles as (

    select * from core.article

),

final as (

    select
        volumes.volume_id,
        volumes.agreement_id,
        volumes.article_id,
        volumes.evidence_id,
        volumes.mineral_id,
        volumes.measure,
        volumes.bound,
        volumes.per_year,
        volumes.period_start,
        articles.published_on,
        -- sources in publication order (undated last, then by id)
        coalesce(articles.published_on, 'infinity'::date) as source_order_on,
        -- figures are compared in tonnes and US dollars where known
        case
            when
                volumes.measure = 'mass' and volumes.quantity_tonnes is not null
                then volumes.quantity_tonnes
            when
                volumes.measure = 'money' and volumes.amount_usd is not null
                then volumes.amount_usd
            else volumes.quantity
        end::numeric(28, 6) as compared_quantity,
        case
            when
                volumes.measure = 'mass' and volumes.quantity_tonnes is not null
                then 't'
            when
                volumes.measure = 'money' and volumes.amount_usd is not null
                then 'USD'
            else volumes.unit
        end as compared_unit
    from volumes
    inner join articles
        on volumes.article_id = articles.article_id

)

select * from final;

comment on view intermediate.compared_volumes is
'Every agreement figure with the quantity and unit it is compared in (tonnes for masses, US dollars for money with a known rate, else as stated) and the order of its source.';
