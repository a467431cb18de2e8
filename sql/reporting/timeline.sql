create or replace view reporting.timeline as

with

statuses as not materialized (

    select * from core.agreement_status

),

agreements as (

    select * from core.agreement

),

articles as not materialized (

    select * from core.article

),

evidence as (

    select * from core.evidence

),

lifecycle_events as (

    select * from core.agreement_event

),

status_articles as not materialized (

    -- computed in each branch that reads it (a stored copy would be written
    -- out whole, whatever columns a query reads)
    select
        statuses.agreement_id,
        statuses.article_id,
        statuses.status,
        statuses.announced_on,
        statuses.evidence_id,
        articles.title as article_title,
        articles.publisher
    from statuses
    inner join articles
        on statuses.article_id = articles.article_id

),

status_history as (

    -- the status each article reports and the one the article before it
    -- reported (only the columns the window needs: a narrow sort)
    select
        statuses.agreement_id,
        statuses.article_id,
        statuses.status,
        statuses.evidence_id,
        lag(statuses.status) over (
            partition by statuses.agreement_id
            order by articles.published_on nulls last, statuses.article_id
        ) as previous_status
    -- every status has its article (a not-null foreign key), so a left join
    -- returns the same rows and is skipped when the window is not read
    from statuses
    left join articles
        on statuses.article_id = articles.article_id

),

events as (

    select
        status_articles.announced_on as event_on,
        -- every branch gives the same column types, so that PostgreSQL plans
        -- each branch on its own and computes only the columns a query reads
        'announced'::text as event_type,
        'day'::text as date_precision,
        false as is_status_change,
        status_articles.agreement_id,
        status_articles.article_id,
        status_articles.article_title,
        status_articles.publisher,
        status_articles.status,
        status_articles.evidence_id
    from status_articles
    where status_articles.announced_on is not null

    union all

    select
        -- a date known only to the month or year is shown at its lower bound
        -- when the article gives one (never before the events it reports)
        greatest(
            articles.published_on, articles.published_not_before
        ) as event_on,
        'status_reported'::text as event_type,
        articles.published_precision::text as date_precision,
        coalesce(
            status_history.previous_status <> status_history.status, true
        ) as is_status_change,
        status_history.agreement_id,
        status_history.article_id,
        articles.title as article_title,
        articles.publisher,
        status_history.status,
        status_history.evidence_id
    -- every status has its article (a not-null foreign key): a left join
    -- returns the same rows and is skipped when its columns are not read
    from status_history
    left join articles
        on status_history.article_id = articles.article_id

    union all

    select
        lifecycle_events.event_on,
        lifecycle_events.lifecycle_event::text as event_type,
        lifecycle_events.event_precision::text as date_precision,
        false as is_status_change,
        lifecycle_events.agreement_id,
        lifecycle_events.article_id,
        status_articles.article_title,
        status_articles.publisher,
        status_articles.status,
        lifecycle_events.evidence_id
    from lifecycle_events
    left join status_articles
        on
            lifecycle_events.agreement_id = status_articles.agreement_id
            and lifecycle_events.article_id = status_articles.article_id

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
        events.article_title,
        events.publisher,
        events.date_precision::text as date_precision,
        evidence.quote as evidence
    -- every status has its agreement and evidence span (not-null foreign
    -- keys), so left joins return the same rows as inner joins and let
    -- PostgreSQL skip a join whose columns a query does not read
    from events
    left join agreements
        on events.agreement_id = agreements.agreement_id
    left join evidence
        on events.evidence_id = evidence.evidence_id

)

select * from final;

comment on view reporting.timeline is
'Agreement events by date, each with its source: an announced event for every article that gives an announcement or signing date, a status_reported event for every article that reports the agreement''s status (dated by the article''s publication, or its lower bound when the date is known only to the month or year), and a lifecycle event (signed, in_force, extended, tightened, eased, suspended, lapsed, superseded, …) for every dated or undated event an article states. Order by event_on for a timeline; is_status_change marks where the status differs from the previous source''s.';

comment on column reporting.timeline.event_on is
'Date of the event: the announcement date for announced events, the article''s publication date for status_reported events (its lower bound published_not_before when later than the first day of its month or year; null when unknown), the stated date for lifecycle events (null when not stated).';
comment on column reporting.timeline.event_type is
'announced (the agreement was announced or signed on event_on), status_reported (an article published on event_on reports the status), or a lifecycle event of core.agreement_event: announced, signed, in_force, extended, tightened, eased, suspended, lapsed or superseded.';
comment on column reporting.timeline.agreement_id is
'The agreement (see reporting.agreements).';
comment on column reporting.timeline.agreement_title is
'Short English title of the agreement.';
comment on column reporting.timeline.kind is
'Kind of agreement: mou, offtake, supply_contract, supply_plan, investment, joint_venture, partnership, initiative, stockpile, export_control, funding_programme or other.';
comment on column reporting.timeline.status is
'Status the source reports: proposed, planned, signed, non_binding, in_force or cancelled.';
comment on column reporting.timeline.is_status_change is
'For status_reported events: true when this status differs from the one reported by the previous source (by publication date), or is the first one; always false for announced and lifecycle events.';
comment on column reporting.timeline.article_id is
'The source article (see reporting.sources).';
comment on column reporting.timeline.article_title is
'Headline of the source article.';
comment on column reporting.timeline.publisher is
'Publisher of the source article; null when unknown.';
comment on column reporting.timeline.date_precision is
'Precision of event_on: day, month, year or unknown (announcement dates are days; publication and lifecycle dates may be coarser).';
comment on column reporting.timeline.evidence is
'The exact quote of the article stating the agreement (for lifecycle events: the event).';
