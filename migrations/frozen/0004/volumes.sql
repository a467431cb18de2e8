create or replace view reporting.volumes as

with

volumes as (

    select * from core.volume

),

agreements as (

    select * from core.agreement

),

evidence as (

    select * from core.evidence

),

articles as (

    select * from core.article

),

final as (

    select
        volumes.volume_id,
        volumes.agreement_id,
        agreements.title as agreement_title,
        volumes.mineral_id as mineral,
        volumes.measure,
        volumes.quantity,
        volumes.unit,
        volumes.bound,
        volumes.per_year,
        volumes.period_start,
        volumes.period_end,
        volumes.quantity_tonnes,
        volumes.amount_usd,
        volumes.article_id,
        evidence.quote as evidence,
        volumes.review_status,
        volumes.evidence_id,
        articles.published_on as article_published_on
    from volumes
    inner join agreements
        on volumes.agreement_id = agreements.agreement_id
    inner join evidence
        on volumes.evidence_id = evidence.evidence_id
    inner join articles
        on volumes.article_id = articles.article_id

)

select * from final;

comment on view reporting.volumes is
'One row per figure an article attaches to an agreement (tonnes, money, share or count), as that article states it, with the quote it came from. The same figure reported by two articles is two rows.';

comment on column reporting.volumes.volume_id is
'Stable id of the figure (from the article, the evidence span and the figure).';
comment on column reporting.volumes.agreement_id is
'The agreement the figure belongs to (see reporting.agreements).';
comment on column reporting.volumes.agreement_title is
'Short English title of the agreement.';
comment on column reporting.volumes.mineral is
'Mineral slug the figure is about; null when it is not about one mineral.';
comment on column reporting.volumes.measure is
'mass, money, share or count.';
comment on column reporting.volumes.quantity is
'The number as stated, scaled by number words (10만톤 → 100000; 1400억원 → 140000000000).';
comment on column reporting.volumes.unit is
'Unit as stated: t, kg, lb, USD, KRW, EUR, JPY, CNY, % or count.';
comment on column reporting.volumes.bound is
'exact, up_to (최대, up to), at_least (이상, more than) or approx (거의, nearly, about).';
comment on column reporting.volumes.per_year is
'True when the figure is a yearly rate (연간, per year).';
comment on column reporting.volumes.period_start is
'First day the figure applies to (relative dates such as 올해 or next year resolved against the article date); null when not stated.';
comment on column reporting.volumes.period_end is
'Last day the figure applies to; null when open-ended or not stated.';
comment on column reporting.volumes.quantity_tonnes is
'Mass in metric tonnes; null for other measures.';
comment on column reporting.volumes.amount_usd is
'Money in US dollars at the dated exchange rate (core.fx_rate); null for other measures or when no rate applies.';
comment on column reporting.volumes.article_id is
'The article stating the figure (see reporting.sources).';
comment on column reporting.volumes.evidence is
'The exact quote of the article the figure was taken from.';
comment on column reporting.volumes.review_status is
'curated (checked by a person) or auto (machine-extracted).';
comment on column reporting.volumes.evidence_id is
'Id of the evidence span (see reporting.evidence for its offsets).';
comment on column reporting.volumes.article_published_on is
'Publication date of the article stating the figure; null when unknown.';
