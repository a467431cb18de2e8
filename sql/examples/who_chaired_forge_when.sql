-- question: Who chaired FORGE (and its predecessor) when, and who only attended?
select
    participations.agreement_title,
    participations.party_name,
    participations.participation_role,
    participations.is_member,
    participations.valid_from_on,
    participations.valid_from_precision,
    participations.valid_to_on,
    participations.valid_to_precision,
    participations.evidence
from reporting.participations as participations
where
    participations.agreement_id in (
        select relations.agreement_id
        from reporting.agreement_relations as relations
        where relations.related_agreement_id = 'minerals-security-partnership'
        union
        select 'minerals-security-partnership' as agreement_id
    )
order by 1, 4 desc, 3, 2
