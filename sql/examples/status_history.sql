-- question: How did each agreement's status develop over time, and who reported it?
select
    timeline.event_on,
    timeline.event_type,
    timeline.agreement_title,
    timeline.status,
    timeline.is_status_change,
    timeline.publisher,
    timeline.evidence
from reporting.timeline as timeline
order by 1 nulls last, 3, 2
