create or replace view intermediate.counted_volumes as

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
        volumes.mineral_id,
        volumes.measure,
        volumes.bound,
        volumes.per_year,
        volumes.period_start,
        volumes.period_end,
        volumes.quantity_tonnes,
        volumes.amount_usd,
        -- the same figure restated by several articles counts once: per
        -- agreement, mineral, measure and period, the figures of one source
        -- (curated first, then the latest published) rank 1
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

)

select * from final;

comment on view intermediate.counted_volumes is
'Every agreement figure with source_rank: 1 for the figures counted in sums (a figure several articles restate counts once, from one source: curated first, then the latest published).';
