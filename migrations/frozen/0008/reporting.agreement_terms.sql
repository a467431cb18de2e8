create or replace view reporting.agreement_terms as

with

terms as (

    select * from core.agreement_term

),

agreements as (

    select * from core.agreement

),

evidence as (

    select * from core.evidence

),

final as (

    select
        terms.term_id,
        terms.agreement_id,
        agreements.title as agreement_title,
        agreements.kind,
        terms.price_mechanism,
        terms.mineral_id as mineral,
        terms.description,
        terms.price_value,
        terms.currency::text as currency,
        terms.per_unit::text as per_unit,
        case
            when terms.currency is not null and terms.per_unit is not null
                then terms.currency || '/' || terms.per_unit
            else terms.currency
        end::text as price_unit,
        terms.tenor_months,
        terms.extension_option,
        terms.article_id,
        evidence.quote as evidence,
        terms.review_status::text as review_status
    -- every term has its agreement and evidence (not-null foreign keys)
    from terms
    left join agreements
        on terms.agreement_id = agreements.agreement_id
    left join evidence
        on terms.evidence_id = evidence.evidence_id

)

select * from final;

comment on view reporting.agreement_terms is
'Price terms of agreements, each with its source: the mechanism (fixed, floor, reference_price, index_linked, take_or_pay), the value with currency and unit where stated (e.g. USD/kg), tenor and extension options. Filter price_mechanism = floor for price floors.';

comment on column reporting.agreement_terms.term_id is
'Stable id of the term.';
comment on column reporting.agreement_terms.agreement_id is
'The agreement (see reporting.agreements).';
comment on column reporting.agreement_terms.agreement_title is
'Short English title of the agreement.';
comment on column reporting.agreement_terms.kind is
'Kind of agreement (mou, offtake, initiative, …).';
comment on column reporting.agreement_terms.price_mechanism is
'fixed, floor, reference_price, index_linked or take_or_pay.';
comment on column reporting.agreement_terms.mineral is
'Mineral the term prices; null when it applies generally.';
comment on column reporting.agreement_terms.description is
'The term in a few English words.';
comment on column reporting.agreement_terms.price_value is
'The price as stated; null when the source states the mechanism but no value.';
comment on column reporting.agreement_terms.currency is
'Currency of price_value (ISO 4217); null without a value.';
comment on column reporting.agreement_terms.per_unit is
'Mass unit the price is per (t, kg, lb); null when not per mass.';
comment on column reporting.agreement_terms.price_unit is
'currency/per_unit as one label (e.g. USD/kg); null without a value.';
comment on column reporting.agreement_terms.tenor_months is
'Length of the term in months, where stated.';
comment on column reporting.agreement_terms.extension_option is
'Extension options as stated, where any.';
comment on column reporting.agreement_terms.article_id is
'The source article (see reporting.sources).';
comment on column reporting.agreement_terms.evidence is
'The exact quote of the article stating the term.';
comment on column reporting.agreement_terms.review_status is
'curated (checked by a person) or auto (machine-extracted).';
