"""Stored results of the heaviest reporting views (schema `mart`), refreshed inside every load.

`reporting.volume_schedule` and `reporting.mineral_summary` aggregate every fact of the database
per mineral; computed from scratch they take seconds at a million facts. So each has a table in
`mart` holding its rows, and:

* triggers on the core tables (created by migration 0005) list in `mart.stale_mineral` every
  mineral whose facts change (a null row stands for figures not about one mineral);
* the two views compute the stale minerals live and read every other mineral from its table, so
  they are always exactly what the plain computation gives, whoever wrote the core tables;
* per-agreement parts (`mart.volume_schedule_part`, `mart.mineral_summary_part`), which the same
  triggers recompute for the agreements a statement touched, carry the rules of the views that
  depend on one agreement (a restated figure counts once, ranked among its agreement's figures);
* `refresh` (called by `etl.load.finish_load`, inside the load transaction) stores the rows of the
  stale minerals (mineral_summary through the view itself, volume_schedule by the same sums read in
  index order), then empties the list. A load that changes nothing finds the list empty and
  writes nothing.

tests/test_marts.py checks that the stored rows equal the views' plain 0004 definitions.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

# mart table (= reporting view) -> the column holding the mineral
MARTS: dict[str, str] = {"volume_schedule": "mineral", "mineral_summary": "mineral_id"}

# The sums of reporting.volume_schedule's computed_schedule step, straight from the parts: read in
# index order (mineral, calendar_year, agreement_id), they need no sort, where the view's own plan
# for many stale minerals sorts a million parts (test_marts checks both give the same rows).
_SCHEDULE_TOTALS = sql.SQL("""
insert into mart.volume_schedule
select
    p.mineral, p.calendar_year,
    sum(p.tonnes)::numeric(28, 6), sum(p.amount_usd)::numeric(24, 2), sum(p.volume_count)::bigint,
    count(distinct p.agreement_id),
    string_agg(distinct p.agreement_id, ', ' order by p.agreement_id),
    string_agg(distinct p.bound, ', ' order by p.bound)
from mart.volume_schedule_part as p
where {}
group by 1, 2
""")


def _stale_key(column: sql.Composable) -> sql.Composable:
    return sql.SQL("exists (select from mart.stale_mineral as s where s.mineral_id is not distinct from {})").format(
        column)


def refresh(cur: psycopg.Cursor) -> int:
    """Recompute and store the rows of every stale mineral; returns how many minerals were stale.

    Runs in the caller's transaction.
    """
    # lock out a concurrent writer's trigger between reading the list and emptying it
    cur.execute("lock table mart.stale_mineral in share row exclusive mode")
    cur.execute("select distinct mineral_id from mart.stale_mineral")
    stale = [r[0] for r in cur.fetchall()]
    if not stale:
        return 0
    for table, key in MARTS.items():
        cur.execute(sql.SQL("delete from {} as m where {}").format(
            sql.Identifier("mart", table), _stale_key(sql.Identifier("m", key))))
    minerals = [m for m in stale if m is not None]
    cur.execute(_SCHEDULE_TOTALS.format(sql.SQL("p.mineral = any(%s)")), (minerals,))
    if None in stale:
        cur.execute(_SCHEDULE_TOTALS.format(sql.SQL("p.mineral is null")))
    # with the stored rows gone, the view's rows of a stale mineral are the ones it computes
    cur.execute("insert into mart.mineral_summary select * from reporting.mineral_summary as v "
                "where v.mineral_id = any(%s)", (minerals,))
    cur.execute("delete from mart.stale_mineral")
    return len(stale)


def mark_all_stale(cur: psycopg.Cursor) -> None:
    """List every mineral (and the no-mineral figures) as stale: the next refresh recomputes all."""
    cur.execute("delete from mart.stale_mineral")
    cur.execute("insert into mart.stale_mineral (mineral_id) select null union all "
                "select mineral_id from core.mineral")
