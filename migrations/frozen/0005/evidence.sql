create or replace view reporting.evidence as

with

evidence as (

    select * from core.evidence

),

articles as (

    select * from core.article

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

parties as (

    select * from core.party

),

facts as (

    select
        'agreement_status' as fact_type,
        statuses.agreement_id || '@' || statuses.article_id as fact_id,
        'status: ' || statuses.status as fact_summary,
        statuses.agreement_id,
        null::text as party_id,
        null::text as mineral,
        statuses.evidence_id,
        statuses.review_status
    from statuses

    union all

    select
        'volume' as fact_type,
        volumes.volume_id as fact_id,
        concat_ws(
            ' ',
            volumes.bound,
            trim_scale(volumes.quantity)::text,
            volumes.unit,
            volumes.mineral_id,
            case when volumes.per_year then 'per year' end
        ) as fact_summary,
        volumes.agreement_id,
        null::text as party_id,
        volumes.mineral_id as mineral,
        volumes.evidence_id,
        volumes.review_status
    from volumes

    union all

    select
        'market_claim' as fact_type,
        market_claims.claim_id as fact_id,
        concat_ws(
            ' ',
            market_claims.topic || ':',
            market_claims.bound,
            trim_scale(market_claims.quantity)::text,
            market_claims.unit,
            market_claims.mineral_id
        ) as fact_summary,
        null::text as agreement_id,
        market_claims.subject_party_id as party_id,
        market_claims.mineral_id as mineral,
        market_claims.evidence_id,
        market_claims.review_status
    from market_claims

    union all

    select
        'party_mention' as fact_type,
        party_mentions.party_id || '@' || party_mentions.article_id as fact_id,
        -- the party's name is added in final (a join here would keep the
        -- branch from using the fact tables' evidence_id indexes)
        null::text as fact_summary,
        null::text as agreement_id,
        party_mentions.party_id,
        null::text as mineral,
        party_mentions.evidence_id,
        party_mentions.review_status
    from party_mentions

),

final as (

    select
        facts.fact_type::text as fact_type,
        facts.fact_id,
        case
            when facts.fact_type = 'party_mention'
                then 'mentions ' || parties.name
            else facts.fact_summary
        end as fact_summary,
        facts.agreement_id,
        facts.party_id,
        facts.mineral,
        evidence.article_id,
        articles.title as article_title,
        articles.publisher,
        articles.url,
        articles.published_on,
        evidence.start_offset,
        evidence.end_offset,
        evidence.quote,
        facts.evidence_id,
        facts.review_status::text as review_status
    -- every fact has its evidence span and article (not-null foreign keys),
    -- so left joins return the same rows as inner joins and let PostgreSQL
    -- skip a join whose columns a query does not read; parties only names
    -- the party of a mention
    from facts
    left join evidence
        on facts.evidence_id = evidence.evidence_id
    left join articles
        on evidence.article_id = articles.article_id
    left join parties
        on facts.party_id = parties.party_id

)

select * from final;

comment on view reporting.evidence is
'Where every fact came from: one row per fact (agreement status, agreement figure, market claim, party mention) with the article, the exact quote and its character offsets in the article text. Filter on fact_id (e.g. a volume_id of reporting.volumes) to trace one number.';

comment on column reporting.evidence.fact_type is
'agreement_status (an article reports an agreement and its status), volume (a figure of reporting.volumes), market_claim (a market share or growth figure) or party_mention (an article names a party).';
comment on column reporting.evidence.fact_id is
'Id of the fact: the volume_id or claim_id; agreement_id@article_id for statuses; party_id@article_id for mentions.';
comment on column reporting.evidence.fact_summary is
'The fact in a few words, e.g. at_least 240 t antimony.';
comment on column reporting.evidence.agreement_id is
'Agreement the fact is about; null for market claims and party mentions.';
comment on column reporting.evidence.party_id is
'Party the fact is about (the mentioned party, or the subject of a market claim); null otherwise.';
comment on column reporting.evidence.mineral is
'Mineral slug the fact is about; null when none.';
comment on column reporting.evidence.article_id is
'The source article (see reporting.sources).';
comment on column reporting.evidence.article_title is
'Headline of the source article.';
comment on column reporting.evidence.publisher is
'Publisher of the source article; null when unknown.';
comment on column reporting.evidence.url is
'Web address of the source article; null when unknown.';
comment on column reporting.evidence.published_on is
'Publication date of the source article; null when unknown.';
comment on column reporting.evidence.start_offset is
'Character offset (0-based) where the quote starts in the article text.';
comment on column reporting.evidence.end_offset is
'Character offset just after the quote ends.';
comment on column reporting.evidence.quote is
'The quoted text, exactly as in the article.';
comment on column reporting.evidence.evidence_id is
'Id of the evidence span (several facts may share one).';
comment on column reporting.evidence.review_status is
'curated (checked by a person) or auto (machine-extracted).';
