create or replace view reporting.parties as

with

parties as (

    select * from core.party

),

party_aliases as (

    select * from core.party_alias

),

agreement_parties as (

    select * from core.agreement_party

),

party_mentions as (

    select * from core.party_mention

),

agreements_per_party as (

    select
        agreement_parties.party_id,
        count(distinct agreement_parties.agreement_id) as agreement_count
    from agreement_parties
    group by 1

),

mentions_per_party as (

    select
        party_mentions.party_id,
        count(distinct party_mentions.article_id) as source_count
    from party_mentions
    group by 1

),

aliases_per_party as (

    select
        party_aliases.party_id,
        string_agg(
            party_aliases.alias, ', ' order by party_aliases.alias
        ) as aliases
    from party_aliases
    group by 1

),

final as (

    select
        parties.party_id,
        parties.name,
        parties.name_ko,
        parties.party_type,
        parties.country_code,
        coalesce(agreements_per_party.agreement_count, 0) as agreement_count,
        parties.parent_party_id,
        parent_parties.name as parent_name,
        coalesce(mentions_per_party.source_count, 0) as source_count,
        aliases_per_party.aliases,
        parties.wikidata_id
    from parties
    left join parties as parent_parties
        on parties.parent_party_id = parent_parties.party_id
    left join agreements_per_party
        on parties.party_id = agreements_per_party.party_id
    left join mentions_per_party
        on parties.party_id = mentions_per_party.party_id
    left join aliases_per_party
        on parties.party_id = aliases_per_party.party_id

)

select * from final;

comment on view reporting.parties is
'One row per party (company, government, international organisation, initiative or research body), with how many agreements it takes part in.';

comment on column reporting.parties.party_id is
'Stable slug of the canonical English name.';
comment on column reporting.parties.name is
'Canonical English name.';
comment on column reporting.parties.name_ko is
'Korean name where known.';
comment on column reporting.parties.party_type is
'company, government, international_org, initiative or research_org.';
comment on column reporting.parties.country_code is
'ISO 3166-1 alpha-2 country; null for multinational bodies.';
comment on column reporting.parties.agreement_count is
'Number of distinct agreements the party takes part in, in any role.';
comment on column reporting.parties.parent_party_id is
'Parent party (a subsidiary''s owner, a ministry''s government); null when none.';
comment on column reporting.parties.parent_name is
'Canonical English name of the parent party; null when none.';
comment on column reporting.parties.source_count is
'Number of distinct articles that mention the party.';
comment on column reporting.parties.aliases is
'Every spelling of the party seen in sources (comma-separated, alphabetical); null when none is recorded.';
comment on column reporting.parties.wikidata_id is
'Wikidata item id (Q…) where known.';
