create or replace view reporting.mineral_summary as

with

stored_summary as not materialized (

    select * from mart.mineral_summary

),

stale_minerals as not materialized (

    select * from mart.stale_mineral

),

summary_parts as not materialized (

    -- per mineral, agreement and article: the agreement facts counted below
    -- (a figure several articles restate summed once, as in volume_schedule),
    -- kept current by triggers on core.volume, core.agreement_mineral and
    -- core.article (mart.refresh_mineral_parts, migration 0005)
    select * from mart.mineral_summary_part

),

agreement_parties as (

    select * from core.agreement_party

),

parties as (

    select * from core.party

),

-- only the minerals whose facts changed since the last load are computed
-- here; the others are read from mart.mineral_summary (see etl/marts.py)

minerals as (

    select core_minerals.*
    from core.mineral as core_minerals
    where
        core_minerals.mineral_id in (
            select stale_minerals.mineral_id from stale_minerals
        )

),

market_claims as (

    select core_market_claims.*
    from core.market_claim as core_market_claims
    where
        core_market_claims.mineral_id in (
            select stale_minerals.mineral_id from stale_minerals
        )

),

stale_parts as (

    select summary_parts.*
    from summary_parts
    where
        summary_parts.mineral_id in (
            select stale_minerals.mineral_id from stale_minerals
        )

),

mineral_agreements as (

    select distinct
        stale_parts.mineral_id,
        stale_parts.agreement_id
    from stale_parts

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
        stale_parts.mineral_id,
        sum(stale_parts.volume_count)::bigint as volume_count,
        sum(stale_parts.stated_tonnes)::numeric(28, 6) as stated_tonnes,
        sum(stale_parts.stated_amount_usd)::numeric(24, 2) as stated_amount_usd
    from stale_parts
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
            stale_parts.mineral_id,
            stale_parts.article_id
        from stale_parts

        union

        select
            market_claims.mineral_id,
            market_claims.article_id
        from market_claims
    ) as mineral_sources
    group by 1

),

computed_summary as (

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

),

final as (

    select
        stored_summary.mineral_id,
        stored_summary.name_en,
        stored_summary.name_ko,
        stored_summary.symbol,
        stored_summary.mineral_group,
        stored_summary.agreement_count,
        stored_summary.party_count,
        stored_summary.countries,
        stored_summary.volume_count,
        stored_summary.stated_tonnes,
        stored_summary.stated_amount_usd,
        stored_summary.claim_count,
        stored_summary.source_count
    from stored_summary
    where
        stored_summary.mineral_id not in (
            select stale_minerals.mineral_id from stale_minerals
            where stale_minerals.mineral_id is not null
        )

    union all

    select
        computed_summary.mineral_id,
        computed_summary.name_en,
        computed_summary.name_ko,
        computed_summary.symbol,
        computed_summary.mineral_group,
        computed_summary.agreement_count,
        computed_summary.party_count,
        computed_summary.countries,
        computed_summary.volume_count,
        computed_summary.stated_tonnes,
        computed_summary.stated_amount_usd,
        computed_summary.claim_count,
        computed_summary.source_count
    from computed_summary

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
'Sum of the tonnes of those figures as stated (yearly rates counted once, not multiplied by years; for tonnes per year see reporting.volume_schedule); a figure several articles restate counts once (curated source first, then the latest); null when none is a mass.';
comment on column reporting.mineral_summary.stated_amount_usd is
'Sum of the US-dollar amounts of those figures as stated, a restated figure counted once; null when none is money with a known rate.';
comment on column reporting.mineral_summary.claim_count is
'Number of market claims (shares, growth forecasts) about the mineral.';
comment on column reporting.mineral_summary.source_count is
'Number of distinct articles reporting an agreement, figure or market claim about the mineral.';
