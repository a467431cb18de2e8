-- question: How much money (in US dollars) does each agreement commit?
select
    volumes.agreement_title,
    volumes.mineral,
    volumes.quantity,
    volumes.unit,
    volumes.bound,
    volumes.amount_usd,
    volumes.evidence
from reporting.volumes as volumes
where volumes.measure = 'money'
order by 6 desc nulls last, 1
