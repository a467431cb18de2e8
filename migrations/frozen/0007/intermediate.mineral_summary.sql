create or replace view intermediate.mineral_summary as

with

summary_parts as (

    -- the stored parts, kept current by every load (mart.refresh_parts)
    select * from mart.mineral_summary_part

),

minerals as (

    select * from core.mineral

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

    select distinct
        summary_parts.mineral_id,
        summary_parts.agreement_id
    from summary_parts

),

agreements_per_mineral as (

    select
        mineral_agreements.mineral_id,
        count(*) as agreement_count
    from mineral_agreements
    group by 1

),

mineral_parties as (

    select distinct
        mineral_agreements.mineral_id,
        parties.party_id,
        parties.country_code
    from mineral_agreements
    inner join agreement_parties
        on mineral_agreements.agreement_id = agreement_parties.agreement_id
    inner join parties
        on agreement_parties.party_id = parties.party_id

),

parties_per_mineral as (

    select
        mineral_parties.mineral_id,
        count(distinct mineral_parties.party_id) as party_count,
        string_agg(
            distinct mineral_parties.country_code, ', '
            order by mineral_parties.country_code
        ) as countries
    from mineral_parties
    group by 1

),

volumes_per_mineral as (

    select
        summary_parts.mineral_id,
        sum(summary_parts.volume_count)::bigint as volume_count,
        sum(summary_parts.stated_tonnes)::numeric(28, 6) as stated_tonnes,
        sum(summary_parts.stated_amount_usd)::numeric(24, 2)
            as stated_amount_usd
    from summary_parts
    group by 1

),

claims_per_mineral as (

    select
        market_claims.mineral_id,
        count(*) as claim_count
    from market_claims
    group by 1

),

sources_per_mineral as (

    select
        mineral_sources.mineral_id,
        count(*) as source_count
    from (
        -- union: each mineral and article once
        select
            summary_parts.mineral_id,
            summary_parts.article_id
        from summary_parts

        union

        select
            market_claims.mineral_id,
            market_claims.article_id
        from market_claims
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

comment on view intermediate.mineral_summary is
'The rows of reporting.mineral_summary computed from the stored parts and the core tables (what mart.refresh_totals stores in mart.mineral_summary).';
