create or replace view intermediate.agreement_sources as

with

statuses as (

    select * from core.agreement_status

),

articles as (

    select * from core.article

),

final as (

    select
        statuses.agreement_id,
        statuses.article_id,
        statuses.status,
        statuses.title,
        statuses.kind,
        statuses.location,
        statuses.review_status,
        articles.published_on,
        -- the source of the current status: curated first, then the latest
        -- published (undated last), then the greatest article id
        row_number() over (
            partition by statuses.agreement_id
            order by
                statuses.review_status = 'auto',
                articles.published_on desc nulls last,
                articles.article_id desc
        ) as recency_rank,
        -- the source of title, kind and location: curated first, then the
        -- earliest published (undated last), then the smallest article id
        row_number() over (
            partition by statuses.agreement_id
            order by
                statuses.review_status = 'auto',
                articles.published_on asc nulls last,
                articles.article_id asc
        ) as origin_rank
    from statuses
    inner join articles
        on statuses.article_id = articles.article_id

)

select * from final;

comment on view intermediate.agreement_sources is
'One row per article reporting an agreement, ranked twice: recency_rank 1 is the source whose status is current, origin_rank 1 the source whose title, kind and location the agreement takes.';
