-- question: Which agreements are confirmed by more than one source?
select
    agreements.agreement_id,
    agreements.status,
    agreements.source_count,
    agreements.first_reported_on,
    agreements.last_reported_on
from reporting.agreements as agreements
where agreements.source_count > 1
order by 3 desc, 1
