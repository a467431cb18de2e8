-- question: How many parties does each country have, and in how many agreements?
select
    parties.country_code,
    count(*) as party_count,
    count(*) filter (where parties.agreement_count > 0) as active_party_count,
    string_agg(parties.name, ', ' order by parties.name) as party_names
from reporting.parties as parties
group by 1
order by 2 desc, 1 nulls last
