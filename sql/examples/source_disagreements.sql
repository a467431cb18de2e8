-- question: Which facts do the sources disagree on, and which source says what?
select
    conflicts.agreement_title,
    conflicts.measure,
    conflicts.unit,
    conflicts.quantity_a,
    conflicts.article_id_a,
    conflicts.evidence_a,
    conflicts.quantity_b,
    conflicts.article_id_b,
    conflicts.evidence_b
from reporting.conflicts as conflicts
order by 1, 4
