-- question: Which minerals are covered by the most agreements, parties and countries?
select
    mineral_summary.mineral_id,
    mineral_summary.name_ko,
    mineral_summary.agreement_count,
    mineral_summary.party_count,
    mineral_summary.countries,
    mineral_summary.source_count
from reporting.mineral_summary as mineral_summary
order by 3 desc, 4 desc, 1
