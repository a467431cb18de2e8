create or replace view reporting.country_links as

with

agreement_parties as (

    select * from core.agreement_party

),

parties as (

    select * from core.party

),

agreement_countries as (

    select distinct
        agreement_parties.agreement_id,
        parties.country_code
    from agreement_parties
    inner join parties
        on agreement_parties.party_id = parties.party_id
    where parties.country_code is not null

),

country_names as (

    select
        parties.country_code,
        min(parties.name) as country_name
    from parties
    where
        parties.party_type = 'government'
        and parties.parent_party_id is null
        and parties.country_code is not null
    group by 1

),

pairs as (

    select
        country_a.country_code as country_a,
        country_b.country_code as country_b,
        count(distinct country_a.agreement_id) as agreement_count,
        string_agg(
            distinct country_a.agreement_id, ', '
            order by country_a.agreement_id
        ) as agreement_ids
    from agreement_countries as country_a
    inner join agreement_countries as country_b
        on
            country_a.agreement_id = country_b.agreement_id
            and country_a.country_code < country_b.country_code
    group by 1, 2

),

final as (

    select
        pairs.country_a,
        pairs.country_b,
        names_a.country_name as country_a_name,
        names_b.country_name as country_b_name,
        pairs.agreement_count,
        pairs.agreement_ids
    from pairs
    left join country_names as names_a
        on pairs.country_a = names_a.country_code
    left join country_names as names_b
        on pairs.country_b = names_b.country_code

)

select * from final;

comment on view reporting.country_links is
'One row per unordered pair of countries whose parties take part in the same agreement (any role), with how many agreements they share: the edges of a country network or the cells of a country matrix. Each pair appears once, country_a < country_b alphabetically; parties without a country (the EU, initiatives) are left out.';

comment on column reporting.country_links.country_a is
'ISO 3166-1 alpha-2 code of the first country (alphabetically the smaller).';
comment on column reporting.country_links.country_b is
'ISO 3166-1 alpha-2 code of the second country.';
comment on column reporting.country_links.country_a_name is
'English name of the first country (its government party); null when critmin has no party for it.';
comment on column reporting.country_links.country_b_name is
'English name of the second country (its government party); null when critmin has no party for it.';
comment on column reporting.country_links.agreement_count is
'Number of distinct agreements in which parties of both countries take part.';
comment on column reporting.country_links.agreement_ids is
'Those agreements (comma-separated agreement ids, alphabetical).';
