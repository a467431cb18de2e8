"""Stored results of the heaviest reporting views (schema `mart`), refreshed inside every load.

`reporting.volume_schedule` and `reporting.mineral_summary` aggregate every fact of the database
per mineral; computed from scratch they take seconds at a million facts. So each has a table in
`mart` holding its rows, and:

* triggers on the core tables (created by migration 0005) list in `mart.stale_mineral` every
  mineral whose facts change (a null row stands for figures not about one mineral);
* the two views compute the stale minerals live and read every other mineral from its table, so
  they are always exactly what the plain computation gives, whoever wrote the core tables;
* `refresh` (called by `etl.load.finish_load`, inside the load transaction) recomputes the stale
  minerals through the views themselves and stores them, then empties the list. A load that
  changes nothing finds the list empty and writes nothing.

The views stay the single definition of the numbers: a mart row is a row of its view.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

# mart table (= reporting view) -> the column holding the mineral
MARTS: dict[str, str] = {"volume_schedule": "mineral", "mineral_summary": "mineral_id"}


def refresh(cur: psycopg.Cursor) -> int:
    """Recompute and store the stale minerals of every mart table; returns how many were stale.

    Runs in the caller's transaction.
    """
    # lock out a concurrent writer's trigger between reading the list and emptying it
    cur.execute("lock table mart.stale_mineral in share row exclusive mode")
    cur.execute("select count(*) from (select distinct mineral_id from mart.stale_mineral) as s")
    stale = cur.fetchone()[0]
    if not stale:
        return 0
    for table, key in MARTS.items():
        stale_key = sql.SQL(
            "exists (select from mart.stale_mineral as s where s.mineral_id is not distinct from {})")
        mart = sql.Identifier("mart", table)
        cur.execute(sql.SQL("delete from {} as m where {}").format(
            mart, stale_key.format(sql.Identifier("m", key))))
        # with the stored rows gone, the view's rows of a stale mineral are the live ones
        cur.execute(sql.SQL("insert into {} select * from {} as v where {}").format(
            mart, sql.Identifier("reporting", table), stale_key.format(sql.Identifier("v", key))))
    cur.execute("delete from mart.stale_mineral")
    return stale


def mark_all_stale(cur: psycopg.Cursor) -> None:
    """List every mineral (and the no-mineral figures) as stale: the next refresh recomputes all."""
    cur.execute("delete from mart.stale_mineral")
    cur.execute("insert into mart.stale_mineral (mineral_id) select null union all "
                "select mineral_id from core.mineral")
