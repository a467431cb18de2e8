-- question: Where did each number come from (article, quote and its offsets)?
select
    volumes.agreement_id,
    volumes.mineral,
    volumes.quantity,
    volumes.unit,
    evidence.article_id,
    evidence.publisher,
    evidence.published_on,
    evidence.start_offset,
    evidence.end_offset,
    evidence.quote
from reporting.volumes as volumes
inner join reporting.evidence as evidence
    on
        volumes.volume_id = evidence.fact_id
        and evidence.fact_type = 'volume'
order by 1, 2, 3
