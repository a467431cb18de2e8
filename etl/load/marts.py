"""Stored results of the heaviest reporting views (schema `mart`), refreshed by the load itself.

`reporting.volume_schedule` and `reporting.mineral_summary` read their rows from `mart` tables;
computed from scratch they take seconds at a million facts. No trigger keeps them current: the
load knows what it touched and, before it commits, calls

* `mart.refresh_parts(agreement_ids)`: the per-agreement parts (`mart.*_part`) of the agreements
  whose facts changed, recomputed in sets from `intermediate.*_parts` (the rules live there once);
* `mart.refresh_totals(mineral_keys)`: the per-mineral rows of both marts for the minerals whose
  parts, claims or names changed, one MERGE per mart writing only the rows that differ;

then ANALYZEs the tables it changed much. Anyone who writes the core tables by hand runs
`critmin refresh` (`refresh_all`); `critmin doctor` reports a mart that differs from the plain
computation (`stale_marts`). The function bodies are in sql/functions/.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
from psycopg import sql

# mart table (= reporting view) -> the plain computation over the core tables it must equal
MARTS: dict[str, str] = {"volume_schedule": "intermediate.volume_schedule",
                         "mineral_summary": "intermediate.mineral_summary"}
PARTS: dict[str, str] = {"volume_schedule_part": "intermediate.volume_schedule_parts",
                         "mineral_summary_part": "intermediate.mineral_summary_parts"}

NO_MINERAL = ""  # the key of figures not about one mineral (no mineral slug is empty)


@dataclass
class Touched:
    """What a load changed, collected as it writes: the agreements whose facts changed, the
    minerals of claims it wrote or removed, whether the mineral or party lexicon changed (names
    and countries are columns of mineral_summary: every mineral is then refreshed), and how many
    rows it wrote per table (to ANALYZE what changed much)."""

    agreements: set[str] = field(default_factory=set)
    minerals: set[str] = field(default_factory=set)
    every_mineral: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    # foreign keys dropped for a load into empty tables: (table, name, definition), see write.py
    deferred_keys: list[tuple[str, str, str]] = field(default_factory=list)
    # the load started on empty core tables: everything it stores is new (a first load, a rebuild)
    started_empty: bool = False

    def wrote(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


def _part_minerals(cur: psycopg.Cursor, ids: list[str]) -> set[str]:
    cur.execute("""select coalesce(mineral, '') from mart.volume_schedule_part where agreement_id = any(%(ids)s)
                   union select mineral_id from mart.mineral_summary_part where agreement_id = any(%(ids)s)""",
                {"ids": ids})
    return {r[0] for r in cur.fetchall()}


def claim_minerals(cur: psycopg.Cursor, article_ids: list[str]) -> set[str]:
    """The minerals of the market claims of these articles (before they are replaced or deleted)."""
    cur.execute("select distinct mineral_id from core.market_claim where article_id = any(%s) "
                "and mineral_id is not null", (article_ids,))
    return {r[0] for r in cur.fetchall()}


def _analyze_if_changed_much(cur: psycopg.Cursor, written: dict[str, int]) -> list[str]:
    """ANALYZE each table ("schema.table": rows written) whose written rows are a tenth or more of
    what its statistics say it holds (a first load, a big reload), so the plans that follow see
    fresh statistics; a small incremental load analyzes nothing (autovacuum will)."""
    written = {name: n for name, n in written.items() if n > 0}
    if not written:
        return []
    cur.execute("""select n.nspname || '.' || c.relname, greatest(c.reltuples, 0)
                   from pg_class c join pg_namespace n on n.oid = c.relnamespace
                   where (n.nspname || '.' || c.relname) = any(%s)""", (list(written),))
    changed = sorted(name for name, estimate in cur.fetchall() if written[name] >= 0.1 * estimate)
    for name in changed:
        cur.execute(sql.SQL("analyze {}").format(sql.Identifier(*name.split("."))))
    return changed


def refresh(cur: psycopg.Cursor, touched: Touched) -> int:
    """Store the parts of the touched agreements and the totals of their minerals, in the caller's
    transaction; returns how many mineral keys were refreshed (0: nothing changed, nothing
    written; -1: all, after a load into empty tables)."""
    if not touched.agreements and not touched.minerals and not touched.every_mineral:
        return 0
    ids = sorted(touched.agreements)
    keys = set(touched.minerals)
    # the core tables were just written: fresh statistics before the refresh plans read them
    _analyze_if_changed_much(cur, {f"core.{t}": n for t, n in touched.rows.items()})
    if touched.started_empty:
        # every agreement is new: compute all parts and totals in one pass each, no id lists
        cur.execute("select mart.refresh_parts(null)")
        cur.execute("select mart.refresh_totals(null)")
        for table in (*PARTS, *MARTS):
            cur.execute(sql.SQL("analyze {}").format(sql.Identifier("mart", table)))
        return -1
    if ids:
        keys |= _part_minerals(cur, ids)  # the minerals the parts had before
        cur.execute("select mart.refresh_parts(%s)", (ids,))
        keys |= _part_minerals(cur, ids)  # and have now
    if touched.every_mineral:
        cur.execute("select mart.refresh_totals(null)")
    elif keys:
        cur.execute("select mart.refresh_totals(%s)", (sorted(keys),))
    # the parts of every touched agreement were rewritten: as many rows as they hold, about
    # (agreements' share of the parts) -- analyze the parts when that is a tenth of them or more
    cur.execute("select greatest(reltuples, 1) from pg_class where oid = 'core.agreement'::regclass")
    share = len(ids) / cur.fetchone()[0]
    if share >= 0.1:
        for table in PARTS:
            cur.execute(sql.SQL("analyze {}").format(sql.Identifier("mart", table)))
    return len(keys)


def refresh_all(cur: psycopg.Cursor) -> None:
    """Recompute every part and every total from the core tables (after hand edits)."""
    cur.execute("select mart.refresh_parts(null)")
    cur.execute("select mart.refresh_totals(null)")
    for table in (*PARTS, *MARTS):
        cur.execute(sql.SQL("analyze {}").format(sql.Identifier("mart", table)))


def stale_marts(cur: psycopg.Cursor) -> dict[str, int]:
    """Per mart table, how many rows differ from the plain computation (0: current). Computes
    everything, so it reads as much as a full refresh."""
    out = {}
    for table, plain in {**PARTS, **MARTS}.items():
        stored, computed = sql.Identifier("mart", table), sql.Identifier(*plain.split("."))
        cur.execute(sql.SQL("select count(*) from ((select * from {s} except all select * from {c}) union all "
                            "(select * from {c} except all select * from {s})) as d").format(s=stored, c=computed))
        out[table] = cur.fetchone()[0]
    return out
