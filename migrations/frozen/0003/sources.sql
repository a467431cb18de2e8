create or replace view reporting.sources as

with

articles as (

    select * from core.article

),

evidence as (

    select * from core.evidence

),

statuses as (

    select * from core.agreement_status

),

volumes as (

    select * from core.volume

),

market_claims as (

    select * from core.market_claim

),

party_mentions as (

    select * from core.party_mention

),

evidence_per_article as (

    select
        evidence.article_id,
        count(*) as evidence_count
    from evidence
    group by 1

),

agreements_per_article as (

    select
        statuses.article_id,
        count(distinct statuses.agreement_id) as agreement_count
    from statuses
    group by 1

),

volumes_per_article as (

    select
        volumes.article_id,
        count(*) as volume_count
    from volumes
    group by 1

),

claims_per_article as (

    select
        market_claims.article_id,
        count(*) as claim_count
    from market_claims
    group by 1

),

parties_per_article as (

    select
        party_mentions.article_id,
        count(distinct party_mentions.party_id) as party_count
    from party_mentions
    group by 1

),

final as (

    select
        articles.article_id,
        articles.title,
        articles.publisher,
        articles.url,
        articles.published_on,
        articles.published_precision,
        articles.language,
        coalesce(agreements_per_article.agreement_count, 0) as agreement_count,
        coalesce(parties_per_article.party_count, 0) as party_count,
        coalesce(volumes_per_article.volume_count, 0) as volume_count,
        coalesce(claims_per_article.claim_count, 0) as claim_count,
        coalesce(evidence_per_article.evidence_count, 0) as evidence_count,
        char_length(articles.body) as body_chars,
        articles.loaded_at
    from articles
    left join agreements_per_article
        on articles.article_id = agreements_per_article.article_id
    left join parties_per_article
        on articles.article_id = parties_per_article.article_id
    left join volumes_per_article
        on articles.article_id = volumes_per_article.article_id
    left join claims_per_article
        on articles.article_id = claims_per_article.article_id
    left join evidence_per_article
        on articles.article_id = evidence_per_article.article_id

)

select * from final;

comment on view reporting.sources is
'One row per source article, with how many facts critmin took from it.';

comment on column reporting.sources.article_id is
'Stable slug of the article (its seed file name).';
comment on column reporting.sources.title is
'Headline as published.';
comment on column reporting.sources.publisher is
'Publisher or outlet; null when unknown.';
comment on column reporting.sources.url is
'Web address of the article; null when unknown.';
comment on column reporting.sources.published_on is
'Publication date (the first day of the month or year when only those are known, see published_precision); null when unknown.';
comment on column reporting.sources.published_precision is
'Precision of published_on: day, month, year or unknown.';
comment on column reporting.sources.language is
'Language of the article: ko or en.';
comment on column reporting.sources.agreement_count is
'Number of distinct agreements the article reports.';
comment on column reporting.sources.party_count is
'Number of distinct parties the article mentions.';
comment on column reporting.sources.volume_count is
'Number of agreement figures taken from the article.';
comment on column reporting.sources.claim_count is
'Number of market claims taken from the article.';
comment on column reporting.sources.evidence_count is
'Number of quoted spans of the article that facts point at.';
comment on column reporting.sources.body_chars is
'Length of the article text in characters.';
comment on column reporting.sources.loaded_at is
'When this version of the article was loaded.';
