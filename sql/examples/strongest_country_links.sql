-- question: Which pairs of countries share the most agreements?
select
    country_links.country_a_name,
    country_links.country_b_name,
    country_links.agreement_count,
    country_links.agreement_ids
from reporting.country_links as country_links
order by 3 desc, 1, 2
limit 10
