-- question: Which deals have price floors or reference prices, and at what value?
select
    terms.agreement_id,
    terms.agreement_title,
    terms.price_mechanism,
    terms.description,
    terms.price_value,
    terms.price_unit,
    terms.evidence
from reporting.agreement_terms as terms
where terms.price_mechanism in ('floor', 'reference_price')
order by 1, 3, 4
