create or replace view reporting.party_identifiers as

with

identifiers as (

    select * from core.party_identifier

),

parties as (

    select * from core.party

),

final as (

    select
        identifiers.party_id,
        parties.name as party_name,
        parties.country_code,
        identifiers.scheme::text as scheme,
        identifiers.value,
        identifiers.source
    from identifiers
    inner join parties
        on identifiers.party_id = parties.party_id

)

select * from final;

comment on view reporting.party_identifiers is
'Identifiers of parties in outside registers (Wikidata, LEI, OpenDART, exchange ticker, ISIN), each with its source, for joining critmin to other data. LEI and ISIN check digits are validated on load; only identifiers known for certain are listed.';

comment on column reporting.party_identifiers.party_id is
'The party (see reporting.parties).';
comment on column reporting.party_identifiers.party_name is
'Canonical English name of the party.';
comment on column reporting.party_identifiers.country_code is
'ISO 3166-1 alpha-2 country of the party; null for multinational bodies.';
comment on column reporting.party_identifiers.scheme is
'wikidata (Q-id), lei (ISO 17442), opendart (OpenDART corp code), ticker (EXCHANGE:SYMBOL) or isin (ISO 6166).';
comment on column reporting.party_identifiers.value is
'The identifier as its register writes it.';
comment on column reporting.party_identifiers.source is
'Where the identifier comes from; outside knowledge is marked as such.';
