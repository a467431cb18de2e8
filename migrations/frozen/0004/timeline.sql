create or replace view reporting.timeline as

with

statuses as (

    select * from core.agreement_status

),

agreements as (

    select * from core.agreement

),

articles as (

    select * from core.article

),

evidence as (

    select * from core.evidence

),

status_history as (

    select
        statuses.agreement_id,
        statuses.article_id,
        statuses.status,
        statuses.announced_on,
        statuses.evidence_id,
        articles.published_on,
        articles.published_precision,
        lag(statuses.status) over (
            partition by statuses.agreement_id
            order by articles.published_on nulls last, articles.article_id
        ) as previous_status
    from statuses
    inner join articles
        on statuses.article_id = articles.article_id

),

events as (

    select
        status_history.announced_on as event_on,
        'announced' as event_type,
        'day' as date_precision,
        false as is_status_change,
        status_history.agreement_id,
        status_history.article_id,
        status_history.status,
        status_history.evidence_id
    from status_history
    where status_history.announced_on is not null

    union all

    select
        status_history.published_on as event_on,
        'status_reported' as event_type,
        status_history.published_precision as date_precision,
        coalesce(
            status_history.previous_status <> status_history.status, true
        ) as is_status_change,
        status_history.agreement_id,
        status_history.article_id,
        status_history.status,
        status_history.evidence_id
    from status_history

),

final as (

    select
        events.event_on,
        events.event_type,
        events.agreement_id,
        agreements.title as agreement_title,
        agreements.kind,
        events.status,
        events.is_status_change,
        events.article_id,
        articles.title as article_title,
        articles.publisher,
        events.date_precision::text as date_precision,
        evidence.quote as evidence
    from events
    inner join agreements
        on events.agreement_id = agreements.agreement_id
    inner join articles
        on events.article_id = articles.article_id
    inner join evidence
        on events.evidence_id = evidence.evidence_id

)

select * from final;

comment on view reporting.timeline is
'Agreement events by date, each with its source: an announced event for every article that gives an announcement or signing date, and a status_reported event for every article that reports the agreement''s status (dated by the article''s publication). Order by event_on for a timeline; is_status_change marks where the status differs from the previous source''s.';

comment on column reporting.timeline.event_on is
'Date of the event: the announcement date for announced events, the article''s publication date for status_reported events (null when the article date is unknown).';
comment on column reporting.timeline.event_type is
'announced (the agreement was announced or signed on event_on) or status_reported (an article published on event_on reports the status).';
comment on column reporting.timeline.agreement_id is
'The agreement (see reporting.agreements).';
comment on column reporting.timeline.agreement_title is
'Short English title of the agreement.';
comment on column reporting.timeline.kind is
'Kind of agreement: mou, offtake, supply_contract, supply_plan, investment, joint_venture, partnership, initiative, stockpile, export_control, funding_programme or other.';
comment on column reporting.timeline.status is
'Status the source reports: proposed, planned, signed, non_binding, in_force or cancelled.';
comment on column reporting.timeline.is_status_change is
'For status_reported events: true when this status differs from the one reported by the previous source (by publication date), or is the first one; always false for announced events.';
comment on column reporting.timeline.article_id is
'The source article (see reporting.sources).';
comment on column reporting.timeline.article_title is
'Headline of the source article.';
comment on column reporting.timeline.publisher is
'Publisher of the source article; null when unknown.';
comment on column reporting.timeline.date_precision is
'Precision of event_on: day, month, year or unknown (announcement dates are days; publication dates may be coarser).';
comment on column reporting.timeline.evidence is
'The exact quote of the article stating the agreement.';
