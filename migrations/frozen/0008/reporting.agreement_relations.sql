create or replace view reporting.agreement_relations as

with

relations as (

    select * from core.agreement_relation

),

agreements as (

    select * from core.agreement

),

evidence as (

    select * from core.evidence

),

final as (

    select
        relations.relation_id,
        relations.agreement_id,
        agreements.title as agreement_title,
        relations.relation_kind,
        relations.related_agreement_id,
        related.title as related_agreement_title,
        relations.article_id,
        evidence.quote as evidence,
        relations.review_status::text as review_status
    -- the related agreement may come from an article not loaded: left join
    from relations
    left join agreements
        on relations.agreement_id = agreements.agreement_id
    left join agreements as related
        on relations.related_agreement_id = related.agreement_id
    left join evidence
        on relations.evidence_id = evidence.evidence_id

)

select * from final;

comment on view reporting.agreement_relations is
'Relations between agreements, each with its source: agreement_id succeeds, is part_of, amends or implements related_agreement_id (e.g. FORGE succeeds the Minerals Security Partnership).';

comment on column reporting.agreement_relations.relation_id is
'Stable id of the relation.';
comment on column reporting.agreement_relations.agreement_id is
'The agreement the relation starts from (FORGE in "FORGE succeeds MSP").';
comment on column reporting.agreement_relations.agreement_title is
'Short English title of that agreement.';
comment on column reporting.agreement_relations.relation_kind is
'succeeds, part_of, amends or implements.';
comment on column reporting.agreement_relations.related_agreement_id is
'The other agreement (MSP in "FORGE succeeds MSP").';
comment on column reporting.agreement_relations.related_agreement_title is
'Title of the other agreement; null when no loaded article reports it.';
comment on column reporting.agreement_relations.article_id is
'The source article (see reporting.sources).';
comment on column reporting.agreement_relations.evidence is
'The exact quote of the article stating the relation.';
comment on column reporting.agreement_relations.review_status is
'curated (checked by a person) or auto (machine-extracted).';
