create or replace view reporting.conflicts as

with

agreements as (

    select * from core.agreement

),

evidence as (

    select * from core.evidence

),

statuses as (

    select * from core.agreement_status

),

multi_source_agreements as (

    -- only agreements two or more articles report can have conflicting figures
    select statuses.agreement_id
    from statuses
    group by 1
    having count(*) > 1

),

compared_volumes as (

    -- every figure with the quantity and unit it is compared in
    select * from intermediate.compared_volumes

),

comparable_volumes as (

    select compared_volumes.*
    from compared_volumes
    inner join multi_source_agreements
        on compared_volumes.agreement_id = multi_source_agreements.agreement_id

),

candidate_pairs as (

    select
        earlier.agreement_id,
        earlier.mineral_id,
        earlier.measure,
        earlier.compared_unit,
        earlier.volume_id as volume_id_a,
        earlier.article_id as article_id_a,
        earlier.published_on as published_on_a,
        earlier.evidence_id as evidence_id_a,
        earlier.compared_quantity as quantity_a,
        earlier.bound as bound_a,
        later.volume_id as volume_id_b,
        later.article_id as article_id_b,
        later.published_on as published_on_b,
        later.evidence_id as evidence_id_b,
        later.compared_quantity as quantity_b,
        later.bound as bound_b,
        row_number() over (
            partition by earlier.volume_id, later.article_id
            order by
                abs(later.compared_quantity - earlier.compared_quantity),
                later.compared_quantity,
                later.volume_id
        ) as rank_for_a,
        row_number() over (
            partition by later.volume_id, earlier.article_id
            order by
                abs(later.compared_quantity - earlier.compared_quantity),
                earlier.compared_quantity,
                earlier.volume_id
        ) as rank_for_b
    from comparable_volumes as earlier
    inner join comparable_volumes as later
        on
            earlier.agreement_id = later.agreement_id
            and (earlier.source_order_on, earlier.article_id)
            < (later.source_order_on, later.article_id)
            and earlier.measure = later.measure
            and earlier.compared_unit = later.compared_unit
            and earlier.per_year = later.per_year
            and coalesce(earlier.mineral_id, '')
            = coalesce(later.mineral_id, '')
            and (
                earlier.period_start is null
                or later.period_start is null
                or earlier.period_start = later.period_start
            )

),

disagreements as (

    select candidate_pairs.*
    from candidate_pairs
    where
        candidate_pairs.rank_for_a = 1
        and candidate_pairs.rank_for_b = 1
        and candidate_pairs.quantity_a <> candidate_pairs.quantity_b

),

final as (

    select
        disagreements.agreement_id,
        agreements.title as agreement_title,
        disagreements.mineral_id as mineral,
        disagreements.measure,
        disagreements.compared_unit as unit,
        disagreements.quantity_a,
        disagreements.quantity_b,
        (disagreements.quantity_b - disagreements.quantity_a)::numeric(28, 6)
            as difference,
        disagreements.bound_a,
        disagreements.bound_b,
        disagreements.article_id_a,
        disagreements.article_id_b,
        disagreements.published_on_a,
        disagreements.published_on_b,
        evidence_a.quote as evidence_a,
        evidence_b.quote as evidence_b,
        disagreements.volume_id_a,
        disagreements.volume_id_b
    from disagreements
    inner join agreements
        on disagreements.agreement_id = agreements.agreement_id
    inner join evidence as evidence_a
        on disagreements.evidence_id_a = evidence_a.evidence_id
    inner join evidence as evidence_b
        on disagreements.evidence_id_b = evidence_b.evidence_id

)

select * from final;

comment on view reporting.conflicts is
'Figures that different sources report differently: one row per pair of figures from two different articles about the same agreement, mineral, measure, unit (tonnes and US dollars after conversion) and yearly-or-not, with compatible periods (equal, or one unstated), whose quantities differ. Each figure of the earlier article (a) is paired with the nearest figure of the later article (b) and kept only when that choice is mutual, so a figure one source confirms is no conflict and an unrelated second figure of the same article is not paired. Example: the Minerals Security Partnership has 10 countries in one source and 11 in another.';

comment on column reporting.conflicts.agreement_id is
'The agreement both figures belong to (see reporting.agreements).';
comment on column reporting.conflicts.agreement_title is
'Short English title of the agreement.';
comment on column reporting.conflicts.mineral is
'Mineral slug both figures are about; null when not about one mineral.';
comment on column reporting.conflicts.measure is
'mass, money, share or count.';
comment on column reporting.conflicts.unit is
'Unit of quantity_a and quantity_b: t for masses, USD for money with a known rate, else the unit as stated.';
comment on column reporting.conflicts.quantity_a is
'The figure as the earlier source (article_id_a) reports it, in unit.';
comment on column reporting.conflicts.quantity_b is
'The figure as the later source (article_id_b) reports it, in unit.';
comment on column reporting.conflicts.difference is
'quantity_b minus quantity_a.';
comment on column reporting.conflicts.bound_a is
'Bound of the earlier figure: exact, up_to, at_least or approx.';
comment on column reporting.conflicts.bound_b is
'Bound of the later figure: exact, up_to, at_least or approx.';
comment on column reporting.conflicts.article_id_a is
'The earlier source (by publication date, then article id; see reporting.sources).';
comment on column reporting.conflicts.article_id_b is
'The later source.';
comment on column reporting.conflicts.published_on_a is
'Publication date of the earlier source; null when unknown.';
comment on column reporting.conflicts.published_on_b is
'Publication date of the later source; null when unknown.';
comment on column reporting.conflicts.evidence_a is
'The exact quote of the earlier source stating its figure.';
comment on column reporting.conflicts.evidence_b is
'The exact quote of the later source stating its figure.';
comment on column reporting.conflicts.volume_id_a is
'The earlier figure (see reporting.volumes).';
comment on column reporting.conflicts.volume_id_b is
'The later figure (see reporting.volumes).';
