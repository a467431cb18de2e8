create or replace view reporting.agreements as

with

agreements as (

    select * from core.agreement

),

statuses as (

    select * from core.agreement_status

),

agreement_parties as (

    select * from core.agreement_party

),

agreement_minerals as (

    select * from core.agreement_mineral

),

volumes as (

    select * from core.volume

),

parties as (

    select * from core.party

),

articles as (

    select * from core.article

),

ranked_statuses as (

    select
        statuses.agreement_id,
        statuses.status,
        row_number() over (
            partition by statuses.agreement_id
            order by
                statuses.review_status = 'auto',
                articles.published_on desc nulls last,
                articles.article_id desc
        ) as recency_rank
    from statuses
    inner join articles
        on statuses.article_id = articles.article_id

),

current_statuses as (

    select
        ranked_statuses.agreement_id,
        ranked_statuses.status
    from ranked_statuses
    where ranked_statuses.recency_rank = 1

),

announcements as (

    select
        statuses.agreement_id,
        min(statuses.announced_on) as announced_on
    from statuses
    group by 1

),

minerals_per_agreement as (

    select
        agreement_minerals.agreement_id,
        string_agg(
            distinct agreement_minerals.mineral_id, ', '
            order by agreement_minerals.mineral_id
        ) as minerals
    from agreement_minerals
    group by 1

),

parties_per_agreement as (

    select
        agreement_parties.agreement_id,
        count(distinct parties.party_id) as party_count,
        string_agg(
            distinct parties.name, ', ' order by parties.name
        ) as party_names,
        string_agg(
            distinct parties.country_code, ', ' order by parties.country_code
        ) as countries
    from agreement_parties
    inner join parties
        on agreement_parties.party_id = parties.party_id
    group by 1

),

volumes_per_agreement as (

    select
        volumes.agreement_id,
        count(*) as volume_count
    from volumes
    group by 1

),

reports as (

    select
        statuses.agreement_id,
        statuses.article_id
    from statuses

    union

    select
        agreement_parties.agreement_id,
        agreement_parties.article_id
    from agreement_parties

    union

    select
        agreement_minerals.agreement_id,
        agreement_minerals.article_id
    from agreement_minerals

    union

    select
        volumes.agreement_id,
        volumes.article_id
    from volumes

),

sources_per_agreement as (

    select
        reports.agreement_id,
        count(distinct reports.article_id) as source_count,
        min(articles.published_on) as first_reported_on,
        max(articles.published_on) as last_reported_on
    from reports
    inner join articles
        on reports.article_id = articles.article_id
    group by 1

),

review_per_agreement as (

    select
        statuses.agreement_id,
        bool_or(statuses.review_status = 'curated') as has_curated_source
    from statuses
    group by 1

),

final as (

    select
        agreements.agreement_id,
        agreements.title,
        agreements.kind,
        current_statuses.status,
        announcements.announced_on,
        minerals_per_agreement.minerals,
        parties_per_agreement.party_names,
        parties_per_agreement.countries,
        coalesce(volumes_per_agreement.volume_count, 0) as volume_count,
        coalesce(sources_per_agreement.source_count, 0) as source_count,
        coalesce(
            current_statuses.status in ('signed', 'in_force')
            and agreements.kind <> 'mou',
            false
        ) as is_binding,
        agreements.location,
        coalesce(parties_per_agreement.party_count, 0) as party_count,
        sources_per_agreement.first_reported_on,
        sources_per_agreement.last_reported_on,
        case
            when review_per_agreement.has_curated_source then 'curated'
            else 'auto'
        end as review_status
    from agreements
    left join current_statuses
        on agreements.agreement_id = current_statuses.agreement_id
    left join announcements
        on agreements.agreement_id = announcements.agreement_id
    left join minerals_per_agreement
        on agreements.agreement_id = minerals_per_agreement.agreement_id
    left join parties_per_agreement
        on agreements.agreement_id = parties_per_agreement.agreement_id
    left join volumes_per_agreement
        on agreements.agreement_id = volumes_per_agreement.agreement_id
    left join sources_per_agreement
        on agreements.agreement_id = sources_per_agreement.agreement_id
    left join review_per_agreement
        on agreements.agreement_id = review_per_agreement.agreement_id

)

select * from final;

comment on view reporting.agreements is
'One row per agreement (deal, commitment, initiative or measure), however many articles report it. The status is the current one: the status stated by the most recently published article that reports the agreement (curated sources before auto-extracted ones; ties: the later article id). Lists are comma-separated text in alphabetical order.';

comment on column reporting.agreements.agreement_id is
'Stable slug of the agreement, shared by every article that reports it.';
comment on column reporting.agreements.title is
'Short English title.';
comment on column reporting.agreements.kind is
'mou, offtake, supply_contract, supply_plan, investment, joint_venture, partnership, initiative, stockpile, export_control, funding_programme or other.';
comment on column reporting.agreements.status is
'Current status (proposed, planned, signed, non_binding, in_force or cancelled): the one stated by the most recently published article reporting the agreement. The history is in reporting.timeline.';
comment on column reporting.agreements.announced_on is
'Earliest announcement or signing date any source states; null when no source gives one.';
comment on column reporting.agreements.minerals is
'Minerals the agreement covers (mineral slugs, comma-separated, alphabetical); null when none is named.';
comment on column reporting.agreements.party_names is
'Canonical English names of the parties involved in any role (comma-separated, alphabetical).';
comment on column reporting.agreements.countries is
'ISO 3166-1 alpha-2 countries of those parties (comma-separated, alphabetical); multinational bodies have none.';
comment on column reporting.agreements.volume_count is
'Number of figures (tonnes, money, shares, counts) the sources attach to the agreement; see reporting.volumes.';
comment on column reporting.agreements.source_count is
'Number of distinct articles that report the agreement (its status, parties, minerals or figures).';
comment on column reporting.agreements.is_binding is
'True when the current status is signed or in_force and the kind is not mou; false for MOUs and for non_binding, proposed, planned or cancelled agreements.';
comment on column reporting.agreements.location is
'Where it was signed or applies, as stated; null when not stated.';
comment on column reporting.agreements.party_count is
'Number of distinct parties involved in any role.';
comment on column reporting.agreements.first_reported_on is
'Publication date of the earliest source reporting the agreement; null when no source has a date.';
comment on column reporting.agreements.last_reported_on is
'Publication date of the latest source reporting the agreement; null when no source has a date.';
comment on column reporting.agreements.review_status is
'curated when at least one source''s facts about the agreement were checked by a person; auto when it is known only from machine-extracted facts (review before relying on it).';
