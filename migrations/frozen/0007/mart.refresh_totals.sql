create or replace function mart.refresh_totals(mineral_keys text[])
returns void
language plpgsql
as $$
-- Store the rows of reporting.volume_schedule and reporting.mineral_summary
-- for the given minerals ('' for figures not about one mineral; null: every
-- mineral) from the stored parts: one merge per mart, writing only the rows
-- that differ.
begin
    merge into mart.volume_schedule as m
    using (
        select * from intermediate.volume_schedule as s
        where
            mineral_keys is null
            or coalesce(s.mineral, '') = any(mineral_keys)
    ) as s
        on
            coalesce(m.mineral, '') = coalesce(s.mineral, '')
            and m.calendar_year = s.calendar_year
    when matched and (
        m.tonnes, m.amount_usd, m.volume_count, m.agreement_count,
        m.agreement_ids, m.bounds
    ) is distinct from (
        s.tonnes, s.amount_usd, s.volume_count, s.agreement_count,
        s.agreement_ids, s.bounds
    ) then update set
        tonnes = s.tonnes,
        amount_usd = s.amount_usd,
        volume_count = s.volume_count,
        agreement_count = s.agreement_count,
        agreement_ids = s.agreement_ids,
        bounds = s.bounds
    when not matched by target then insert values (
        s.mineral, s.calendar_year, s.tonnes, s.amount_usd, s.volume_count,
        s.agreement_count, s.agreement_ids, s.bounds
    )
    when not matched by source and (
        mineral_keys is null or coalesce(m.mineral, '') = any(mineral_keys)
    ) then delete;

    merge into mart.mineral_summary as m
    using (
        select * from intermediate.mineral_summary as s
        where mineral_keys is null or s.mineral_id = any(mineral_keys)
    ) as s
        on m.mineral_id = s.mineral_id
    when matched and (
        m.name_en, m.name_ko, m.symbol, m.mineral_group, m.agreement_count,
        m.party_count, m.countries, m.volume_count, m.stated_tonnes,
        m.stated_amount_usd, m.claim_count, m.source_count
    ) is distinct from (
        s.name_en, s.name_ko, s.symbol, s.mineral_group, s.agreement_count,
        s.party_count, s.countries, s.volume_count, s.stated_tonnes,
        s.stated_amount_usd, s.claim_count, s.source_count
    ) then update set
        name_en = s.name_en,
        name_ko = s.name_ko,
        symbol = s.symbol,
        mineral_group = s.mineral_group,
        agreement_count = s.agreement_count,
        party_count = s.party_count,
        countries = s.countries,
        volume_count = s.volume_count,
        stated_tonnes = s.stated_tonnes,
        stated_amount_usd = s.stated_amount_usd,
        claim_count = s.claim_count,
        source_count = s.source_count
    when not matched by target then insert values (
        s.mineral_id, s.name_en, s.name_ko, s.symbol, s.mineral_group,
        s.agreement_count, s.party_count, s.countries, s.volume_count,
        s.stated_tonnes, s.stated_amount_usd, s.claim_count, s.source_count
    )
    when not matched by source and (
        mineral_keys is null or m.mineral_id = any(mineral_keys)
    ) then delete;
end
$$;
