create or replace view reporting.agreement_parties as

with

agreement_parties as (

    select * from core.agreement_party

),

parties as (

    select * from core.party

),

agreements as (

    select * from core.agreement

),

roles as (

    select
        agreement_parties.agreement_id,
        agreement_parties.party_id,
        agreement_parties.role,
        -- (agreement, party, role, article) is the primary key: each row is
        -- one distinct article
        count(*) as source_count
    from agreement_parties
    group by 1, 2, 3

),

final as (

    select
        roles.agreement_id,
        roles.party_id,
        parties.name as party_name,
        parties.party_type,
        parties.country_code,
        roles.role,
        agreements.title as agreement_title,
        roles.source_count
    -- every role has its party and agreement (not-null foreign keys), so
    -- left joins return the same rows as inner joins and let PostgreSQL skip
    -- a join whose columns a query does not read
    from roles
    left join parties
        on roles.party_id = parties.party_id
    left join agreements
        on roles.agreement_id = agreements.agreement_id

)

select * from final;

comment on view reporting.agreement_parties is
'One row per agreement, party and role: who takes part in which agreement and how, merged over every article that reports it.';

comment on column reporting.agreement_parties.agreement_id is
'The agreement (see reporting.agreements).';
comment on column reporting.agreement_parties.party_id is
'The party (see reporting.parties).';
comment on column reporting.agreement_parties.party_name is
'Canonical English name of the party.';
comment on column reporting.agreement_parties.party_type is
'company, government, international_org, initiative or research_org.';
comment on column reporting.agreement_parties.country_code is
'ISO 3166-1 alpha-2 country of the party; null for multinational bodies.';
comment on column reporting.agreement_parties.role is
'buyer, seller, supplier, investor, partner, host, chair, member, target or issuer.';
comment on column reporting.agreement_parties.agreement_title is
'Short English title of the agreement.';
comment on column reporting.agreement_parties.source_count is
'Number of distinct articles that report this party in this role.';
