create or replace view reporting.mineral_summary as

with

minerals as (

    select * from core.mineral

),

agreement_minerals as (

    select * from core.agreement_mineral

),

volumes as (

    select * from core.volume

),

market_claims as (

    select * from core.market_claim

),

agreement_parties as (

    select * from core.agreement_party

),

parties as (

    select * from core.party

),

mineral_agreements as (

    select
        agreement_minerals.mineral_id,
        agreement_minerals.agreement_id,
        agreement_minerals.article_id
    from agreement_minerals

    union

    select
        volumes.mineral_id,
        volumes.agreement_id,
        volumes.article_id
    from volumes
    where volumes.mineral_id is not null

),

agreements_per_mineral as (

    select
        mineral_agreements.mineral_id,
        count(distinct mineral_agreements.agreement_id) as agreement_count
    from mineral_agreements
    group by 1

),

parties_per_mineral as (

    select
        mineral_agreements.mineral_id,
        count(distinct parties.party_id) as party_count,
        string_agg(
            distinct parties.country_code, ', ' order by parties.country_code
        ) as countries
    from mineral_agreements
    inner join agreement_parties
        on mineral_agreements.agreement_id = agreement_parties.agreement_id
    inner join parties
        on agreement_parties.party_id = parties.party_id
    group by 1

),

volumes_per_mineral as (

    select
        volumes.mineral_id,
        count(*) as volume_count,
        sum(volumes.quantity_tonnes)::numeric(28, 6) as stated_tonnes,
        sum(volumes.amount_usd)::numeric(24, 2) as stated_amount_usd
    from volumes
    where volumes.mineral_id is not null
    group by 1

),

claims_per_mineral as (

    select
        market_claims.mineral_id,
        count(*) as claim_count
    from market_claims
    where market_claims.mineral_id is not null
    group by 1

),

sources_per_mineral as (

    select
        mineral_sources.mineral_id,
        count(distinct mineral_sources.article_id) as source_count
    from (
        select
            mineral_agreements.mineral_id,
            mineral_agreements.article_id
        from mineral_agreements

        union

        select
            market_claims.mineral_id,
            market_claims.article_id
        from market_claims
        where market_claims.mineral_id is not null
    ) as mineral_sources
    group by 1

),

final as (

    select
        minerals.mineral_id,
        minerals.name_en,
        minerals.name_ko,
        minerals.symbol,
        minerals.mineral_group,
        coalesce(agreements_per_mineral.agreement_count, 0) as agreement_count,
        coalesce(parties_per_mineral.party_count, 0) as party_count,
        parties_per_mineral.countries,
        coalesce(volumes_per_mineral.volume_count, 0) as volume_count,
        volumes_per_mineral.stated_tonnes,
        volumes_per_mineral.stated_amount_usd,
        coalesce(claims_per_mineral.claim_count, 0) as claim_count,
        coalesce(sources_per_mineral.source_count, 0) as source_count
    from minerals
    inner join sources_per_mineral
        on minerals.mineral_id = sources_per_mineral.mineral_id
    left join agreements_per_mineral
        on minerals.mineral_id = agreements_per_mineral.mineral_id
    left join parties_per_mineral
        on minerals.mineral_id = parties_per_mineral.mineral_id
    left join volumes_per_mineral
        on minerals.mineral_id = volumes_per_mineral.mineral_id
    left join claims_per_mineral
        on minerals.mineral_id = claims_per_mineral.mineral_id

)

select * from final;

comment on view reporting.mineral_summary is
'One row per mineral that at least one source reports on (in an agreement, a figure or a market claim): how many agreements, parties, countries, figures and sources concern it. Minerals of the lexicon no source mentions are left out.';

comment on column reporting.mineral_summary.mineral_id is
'Canonical mineral slug, e.g. antimony, rare_earths.';
comment on column reporting.mineral_summary.name_en is
'English name.';
comment on column reporting.mineral_summary.name_ko is
'Korean name.';
comment on column reporting.mineral_summary.symbol is
'Chemical symbol; null for groups such as rare_earths.';
comment on column reporting.mineral_summary.mineral_group is
'rare_earth, battery_metal, minor_metal, base_metal, precious_metal or other.';
comment on column reporting.mineral_summary.agreement_count is
'Number of distinct agreements that cover the mineral or carry a figure about it.';
comment on column reporting.mineral_summary.party_count is
'Number of distinct parties taking part in those agreements.';
comment on column reporting.mineral_summary.countries is
'ISO countries of those parties (comma-separated, alphabetical); null when none has a country.';
comment on column reporting.mineral_summary.volume_count is
'Number of agreement figures about the mineral (see reporting.volumes).';
comment on column reporting.mineral_summary.stated_tonnes is
'Sum of the tonnes of those figures as stated (yearly rates counted once, not multiplied by years; for tonnes per year see reporting.volume_schedule); null when none is a mass.';
comment on column reporting.mineral_summary.stated_amount_usd is
'Sum of the US-dollar amounts of those figures as stated; null when none is money with a known rate.';
comment on column reporting.mineral_summary.claim_count is
'Number of market claims (shares, growth forecasts) about the mineral.';
comment on column reporting.mineral_summary.source_count is
'Number of distinct articles reporting an agreement, figure or market claim about the mineral.';
