-- question: Which Korean companies supply which minerals to the United States?
with

suppliers as (

    select
        agreement_parties.agreement_id,
        agreement_parties.party_name as korean_company
    from reporting.agreement_parties as agreement_parties
    where
        agreement_parties.country_code = 'KR'
        and agreement_parties.party_type = 'company'
        and agreement_parties.role in ('supplier', 'seller')

),

us_counterparties as (

    select
        agreement_parties.agreement_id,
        string_agg(
            agreement_parties.party_name, ', '
            order by agreement_parties.party_name
        ) as us_counterparties
    from reporting.agreement_parties as agreement_parties
    where
        agreement_parties.country_code = 'US'
        -- destination: where the supply goes (not a buyer)
        and agreement_parties.role in (
            'buyer', 'partner', 'host', 'destination'
        )
    group by 1

)

select
    suppliers.korean_company,
    agreement_minerals.mineral,
    us_counterparties.us_counterparties,
    agreements.status,
    agreements.agreement_id
from suppliers
inner join us_counterparties
    on suppliers.agreement_id = us_counterparties.agreement_id
inner join reporting.agreements as agreements
    on suppliers.agreement_id = agreements.agreement_id
cross join
    lateral regexp_split_to_table(
        agreements.minerals, ', '
    ) as agreement_minerals (mineral)
order by 1, 2
