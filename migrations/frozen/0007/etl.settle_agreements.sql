create or replace function etl.settle_agreements(agreement_ids text[])
returns void
language sql
as $$
-- An agreement's title, kind and location are those of its origin source
-- (intermediate.agreement_sources: curated first, then the earliest
-- published); an agreement no article reports any more is deleted.
with settled as (
    select
        s.agreement_id,
        (array_agg(s.title order by s.origin_rank)
            filter (where s.title is not null))[1] as title,
        (array_agg(s.kind order by s.origin_rank)
            filter (where s.kind is not null))[1] as kind,
        (array_agg(s.location order by s.origin_rank)
            filter (where s.location is not null))[1] as location
    from intermediate.agreement_sources as s
    where s.agreement_id = any(agreement_ids)
    group by s.agreement_id
)
update core.agreement as g
set
    title = coalesce(s.title, g.title),
    kind = coalesce(s.kind, g.kind),
    location = s.location
from settled as s
where
    g.agreement_id = s.agreement_id
    and (g.title, g.kind, g.location)
    is distinct from (coalesce(s.title, g.title), coalesce(s.kind, g.kind), s.location);

delete from core.agreement as g
where
    g.agreement_id = any(agreement_ids)
    and not exists (
        select from core.agreement_status as s
        where s.agreement_id = g.agreement_id
    );
$$;
