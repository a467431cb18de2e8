create or replace view reporting.volume_schedule as

with

stored as (

    -- stored by every load (mart.refresh_totals over intermediate.volume_schedule)
    select * from mart.volume_schedule

),

final as (

    select
        stored.mineral,
        stored.calendar_year,
        stored.tonnes,
        stored.amount_usd,
        stored.volume_count,
        stored.agreement_count,
        stored.agreement_ids,
        stored.bounds
    from stored

)

select * from final;

comment on view reporting.volume_schedule is
'Tonnes and US dollars committed per mineral and calendar year, summed over the agreement figures of reporting.volumes. Rules: a yearly rate (per_year) with a period_end counts in full in every calendar year from period_start to period_end (not prorated for part years); a yearly rate with no period_end (open-ended) counts once, in its period_start year; a one-off figure (not per_year) counts once, whole, in its period_start year, even when its period spans several years. Figures with no period_start, and shares and counts, are left out (see reporting.volumes). Figures are summed as stated whatever their bound (up_to, at_least, approx: see bounds). A figure several articles restate (same agreement, mineral, measure and period) counts once, from one source: a curated one before an auto-extracted one, then the latest published; reporting.conflicts lists where sources disagree.';

comment on column reporting.volume_schedule.mineral is
'Mineral slug; null for figures not about one mineral (e.g. an investment in several minerals).';
comment on column reporting.volume_schedule.calendar_year is
'Calendar year the tonnes and dollars are counted in.';
comment on column reporting.volume_schedule.tonnes is
'Metric tonnes scheduled for the year; null when no mass figure falls in it.';
comment on column reporting.volume_schedule.amount_usd is
'US dollars scheduled for the year; null when no money figure with a known exchange rate falls in it.';
comment on column reporting.volume_schedule.volume_count is
'Number of figures (reporting.volumes rows) counted in the year.';
comment on column reporting.volume_schedule.agreement_count is
'Number of distinct agreements those figures belong to.';
comment on column reporting.volume_schedule.agreement_ids is
'Those agreements (comma-separated agreement ids, alphabetical).';
comment on column reporting.volume_schedule.bounds is
'Bounds of the figures summed (exact, up_to, at_least, approx; comma-separated): anything but exact means the total is itself a bound or an estimate.';
