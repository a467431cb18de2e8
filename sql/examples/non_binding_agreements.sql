-- question: Which agreements are only MOUs or otherwise not binding?
select
    agreements.agreement_id,
    agreements.title,
    agreements.kind,
    agreements.status,
    agreements.party_names,
    agreements.minerals
from reporting.agreements as agreements
where
    agreements.kind = 'mou'
    or agreements.status = 'non_binding'
order by 1
