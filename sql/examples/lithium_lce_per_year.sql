-- question: How much lithium, in tonnes of lithium carbonate equivalent, per year?
-- Figures about a lithium product with a documented factor (reporting.products)
-- count as LCE; a figure of bare "lithium" (form not stated) is listed with
-- its tonnes of lithium and no LCE: tonnes of compound and of metal are never
-- added together. The year is the first year the figure applies to.
select
    extract(year from volumes.period_start)::integer as calendar_year,
    coalesce(volumes.product, 'lithium (form not stated)') as stated_as,
    sum(volumes.lce_tonnes) as lce_tonnes,
    sum(volumes.quantity_tonnes) as contained_lithium_tonnes,
    count(*) as volume_count,
    string_agg(
        distinct volumes.agreement_id, ', '
    ) as agreement_ids
from reporting.volumes as volumes
where
    volumes.mineral = 'lithium'
    and volumes.measure = 'mass'
group by 1, 2
order by 1 nulls last, 2
