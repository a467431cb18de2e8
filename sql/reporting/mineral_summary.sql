create or replace view reporting.mineral_summary as

with

stored as (

    -- stored by every load (mart.refresh_totals over intermediate.mineral_summary)
    select * from mart.mineral_summary

),

final as (

    select
        stored.mineral_id,
        stored.name_en,
        stored.name_ko,
        stored.symbol,
        stored.mineral_group,
        stored.agreement_count,
        stored.party_count,
        stored.countries,
        stored.volume_count,
        stored.stated_tonnes,
        stored.stated_amount_usd,
        stored.claim_count,
        stored.source_count
    from stored

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
