create or replace view reporting.participations as

with

participations as (

    select * from core.participation

),

agreements as (

    select * from core.agreement

),

parties as (

    select * from core.party

),

articles as (

    select * from core.article

),

evidence as (

    select * from core.evidence

),

final as (

    select
        participations.participation_id,
        participations.agreement_id,
        agreements.title as agreement_title,
        participations.party_id,
        parties.name as party_name,
        parties.party_type,
        parties.country_code,
        participations.participation_role,
        participations.participation_role in (
            'member', 'chair', 'founding_member'
        ) as is_member,
        participations.valid_from_on,
        participations.valid_from_precision::text as valid_from_precision,
        participations.valid_to_on,
        participations.valid_to_precision::text as valid_to_precision,
        participations.article_id,
        articles.published_on as article_published_on,
        evidence.quote as evidence,
        participations.review_status::text as review_status
    -- every participation has its agreement, party, article and evidence
    -- (not-null foreign keys): left joins return the same rows
    from participations
    left join agreements
        on participations.agreement_id = agreements.agreement_id
    left join parties
        on participations.party_id = parties.party_id
    left join articles
        on participations.article_id = articles.article_id
    left join evidence
        on participations.evidence_id = evidence.evidence_id

)

select * from final;

comment on view reporting.participations is
'Parties in initiatives over time, one row per party, role and source: member, chair, founding_member, observer or attendee, with the dates the role holds. Attending a meeting is not membership: count members with is_member, never attendees.';

comment on column reporting.participations.participation_id is
'Stable id of the participation.';
comment on column reporting.participations.agreement_id is
'The initiative (see reporting.agreements).';
comment on column reporting.participations.agreement_title is
'Short English title of the initiative.';
comment on column reporting.participations.party_id is
'The participating party (see reporting.parties).';
comment on column reporting.participations.party_name is
'Canonical English name of the party.';
comment on column reporting.participations.party_type is
'company, government, international_org, initiative or research_org.';
comment on column reporting.participations.country_code is
'ISO 3166-1 alpha-2 country of the party; null for multinational bodies.';
comment on column reporting.participations.participation_role is
'member, chair, attendee (was at a meeting: not a member), observer or founding_member.';
comment on column reporting.participations.is_member is
'True for member, chair and founding_member; false for attendee and observer. Count members with this, not with stated head counts.';
comment on column reporting.participations.valid_from_on is
'First day of the role (first day of its month or year when coarser); null when the source does not say.';
comment on column reporting.participations.valid_from_precision is
'Precision of valid_from_on: day, month, year or unknown.';
comment on column reporting.participations.valid_to_on is
'When the role ends, inclusive (first day of its month or year when coarser: 2026-06-01 with precision month reads "until June 2026"); null when open or not stated.';
comment on column reporting.participations.valid_to_precision is
'Precision of valid_to_on: day, month, year or unknown.';
comment on column reporting.participations.article_id is
'The source article (see reporting.sources).';
comment on column reporting.participations.article_published_on is
'Publication date of the source (what it observes is as of then).';
comment on column reporting.participations.evidence is
'The exact quote of the article stating the participation.';
comment on column reporting.participations.review_status is
'curated (checked by a person) or auto (machine-extracted).';
