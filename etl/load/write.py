"""Load: write accepted articles to the core tables in one transaction.

Unchanged articles (same content hash) are skipped. For a changed article its old facts are
deleted and the new ones COPied in, so an article is never half-loaded; shared rows (reference
lexicons, articles, agreements) go through a temporary table and an upsert that writes only rows
that differ, so a second identical run writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from etl.db.models import metadata
from etl.load import marts
from etl.load.copy import FACT_TABLES, FactRows, _columns, _copy_rows
from etl.load.marts import Touched
from etl.transform.facts import ArticleFacts
from etl.transform.lexicon import Lexicon

LOAD_LOCK_KEY = 0x63726974  # "crit": one load at a time per database


@dataclass
class LoadCounts:
    articles_inserted: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    facts_inserted: int = 0
    facts_deleted: int = 0


def _pk(table: str) -> list[str]:
    return [c.name for c in metadata.tables[f"core.{table}"].primary_key.columns]


def upsert(cur: psycopg.Cursor, table: str, rows: list[dict[str, Any]], *, prune: bool = False,
           update: bool = True) -> int:
    """Staging COPY then insert-or-update of rows that differ; returns rows written.

    With prune, rows absent from `rows` are deleted (reference aliases that were removed).
    """
    columns = _columns(table)
    pk = _pk(table)
    stage = sql.Identifier(f"stage_{table}")
    core = sql.Identifier("core", table)
    cur.execute(sql.SQL("create temp table if not exists {} (like {} including defaults) on commit drop").format(stage, core))
    cur.execute(sql.SQL("truncate {}").format(stage))
    _copy_rows(cur, stage, columns, rows)
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    non_key = [c for c in columns if c not in pk]
    written = 0
    if prune:
        cur.execute(sql.SQL("delete from {core} t where not exists (select 1 from {stage} s where ({s_pk}) = ({t_pk}))").format(
            core=core, stage=stage,
            s_pk=sql.SQL(", ").join(sql.Identifier("s", c) for c in pk),
            t_pk=sql.SQL(", ").join(sql.Identifier("t", c) for c in pk)))
        written += cur.rowcount
    if non_key and update:
        action = sql.SQL("do update set ({lhs}) = row({rhs}) where ({cur_}) is distinct from ({new})").format(
            lhs=sql.SQL(", ").join(map(sql.Identifier, non_key)),
            rhs=sql.SQL(", ").join(sql.Identifier("excluded", c) for c in non_key),
            cur_=sql.SQL(", ").join(sql.Identifier(table, c) for c in non_key),
            new=sql.SQL(", ").join(sql.Identifier("excluded", c) for c in non_key),
        )
    else:
        action = sql.SQL("do nothing")
    cur.execute(sql.SQL("insert into {core} as {tbl} ({cols}) select {cols} from {stage} order by {pk} on conflict ({pk}) {action}").format(
        core=core, tbl=sql.Identifier(table), cols=cols, stage=stage,
        pk=sql.SQL(", ").join(map(sql.Identifier, pk)), action=action))
    written += cur.rowcount
    return written


def acquire_load_lock(cur: psycopg.Cursor, on_wait: Callable[[], None] | None = None) -> None:
    """Serialise loads: wait (saying so) while another load holds the lock."""
    cur.execute("select pg_try_advisory_xact_lock(%s)", (LOAD_LOCK_KEY,))
    if cur.fetchone()[0]:
        return
    if on_wait:
        on_wait()
    cur.execute("select pg_advisory_xact_lock(%s)", (LOAD_LOCK_KEY,))


# Dropping the foreign keys locks their tables against readers until the load commits, and at a
# million facts re-validating them costs about what the row-level checks do: only a first load
# of at least this many articles takes the set-based path.
BULK_CHECK_MIN_ARTICLES = 5000


def begin_load(cur: psycopg.Cursor, lex: Lexicon, on_wait: Callable[[], None] | None = None,
               touched: Touched | None = None, articles: int = 0) -> dict[str, str]:
    """Take the load lock, bring the reference lexicons up to date, and return the stored
    content hash of every article (read under the lock, so no other load can change them).

    A changed mineral or party (names, countries: columns of mineral_summary) marks every mineral
    of `touched` for the refresh. Into empty core tables (a first load, a rebuild) the facts'
    foreign keys are dropped here (for BULK_CHECK_MIN_ARTICLES articles or more) and re-added by finish_load, which checks each with one
    anti-join over the rows written instead of a trigger call per row (`bulk_checks`)."""
    acquire_load_lock(cur, on_wait)
    for table in ("mineral", "product", "party"):
        written = upsert(cur, table, lex.rows[table])
        if touched is not None and written and table in ("mineral", "party"):
            touched.every_mineral = True
    # Aliases, identifiers and rates removed from the reference files leave the database too.
    for table in ("mineral_alias", "product_alias", "party_alias", "party_identifier", "fx_rate"):
        upsert(cur, table, lex.rows[table], prune=True)
    cur.execute("select article_id, content_hash from core.article")
    known = dict(cur.fetchall())
    if touched is not None and not known:
        cur.execute("select exists (select from core.agreement)")
        if not cur.fetchone()[0]:
            touched.started_empty = True
            if articles >= BULK_CHECK_MIN_ARTICLES:
                touched.deferred_keys = _drop_fact_foreign_keys(cur)
    return known


# The tables a load writes whose foreign keys are checked in sets when they start empty.
_BULK_TABLES = ("article", "agreement", *FACT_TABLES)


def _drop_fact_foreign_keys(cur: psycopg.Cursor) -> list[tuple[str, str, str]]:
    """Drop the foreign keys of the (empty) tables the load writes; returns (table, name,
    definition) to re-add them. In the load's transaction: a killed load restores them."""
    cur.execute("""select c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                   from pg_constraint c join pg_class t on t.oid = c.conrelid
                   join pg_namespace n on n.oid = t.relnamespace
                   where c.contype = 'f' and n.nspname = 'core' and t.relname = any(%s)
                   order by 1, 2""", (list(_BULK_TABLES),))
    keys = cur.fetchall()
    for table, name, _definition in keys:
        cur.execute(sql.SQL("alter table {} drop constraint {}").format(
            sql.SQL(table), sql.Identifier(name)))  # table: regclass text, already quoted
    return keys


def _restore_foreign_keys(cur: psycopg.Cursor, keys: list[tuple[str, str, str]]) -> None:
    """Re-add the dropped foreign keys NOT VALID, then VALIDATE each: one anti-join per reference
    over every row written (a dangling reference fails the load, as the row-level check would)."""
    for table, name, definition in keys:
        cur.execute(sql.SQL("alter table {} add constraint {} {} not valid").format(
            sql.SQL(table), sql.Identifier(name), sql.SQL(definition)))
    for table, name, _definition in keys:
        cur.execute(sql.SQL("alter table {} validate constraint {}").format(sql.SQL(table), sql.Identifier(name)))


def load_articles(cur: psycopg.Cursor, changed: list[ArticleFacts], facts: FactRows, known: dict[str, str],
                  counts: LoadCounts, touched: Touched) -> None:
    """Replace the facts of changed articles (`facts`: their rendered fact rows; `known`: the
    stored hashes from begin_load); adds to `touched` the agreements whose sources changed and
    the minerals of the claims written or removed."""
    if not changed:
        return
    counts.articles_inserted += sum(1 for f in changed if f.article_id not in known)
    counts.articles_updated += sum(1 for f in changed if f.article_id in known)
    ids = [f.article_id for f in changed]
    replaced = [i for i in ids if i in known]
    if replaced:  # the agreements and claim minerals the old versions reported
        cur.execute("select distinct agreement_id from core.agreement_status where article_id = any(%s)", (replaced,))
        touched.agreements.update(r[0] for r in cur.fetchall())
        touched.minerals |= marts.claim_minerals(cur, replaced)
    for table in reversed(FACT_TABLES):
        if not replaced:
            break
        cur.execute(sql.SQL("delete from {} where article_id = any(%s)").format(sql.Identifier("core", table)), (replaced,))
        counts.facts_deleted += cur.rowcount
    upsert(cur, "article", [f.rows["article"][0] for f in changed])
    # upsert skips server-set timestamps: say when this version was loaded.
    cur.execute("update core.article set loaded_at = now() where article_id = any(%s) and loaded_at < now()", (ids,))
    # New agreements get a row first (facts point at it); finish_load settles title and kind.
    new_agreements = {row["agreement_id"]: row for f in changed for row in f.rows["agreement"]}
    upsert(cur, "agreement", list(new_agreements.values()), update=False)
    touched.agreements |= set(new_agreements)
    touched.wrote("article", len(ids))
    touched.wrote("agreement", len(new_agreements))
    for table in FACT_TABLES:
        if facts.text[table]:
            stmt = sql.SQL("copy {} ({}) from stdin").format(
                sql.Identifier("core", table), sql.SQL(", ").join(map(sql.Identifier, _columns(table))))
            with cur.copy(stmt) as copy:
                copy.write(facts.text[table])
            touched.wrote(table, facts.text[table].count(b"\n"))
    counts.facts_inserted += facts.count
    touched.minerals |= marts.claim_minerals(cur, ids) if facts.text["market_claim"] else set()
    # The loader re-checks every quote against the stored article text.
    cur.execute(
        """select e.evidence_id from core.evidence e join core.article a using (article_id)
           where a.article_id = any(%s)
             and substr(a.body, e.start_offset + 1, e.end_offset - e.start_offset) <> e.quote""",
        (ids,),
    )
    bad = [r[0] for r in cur.fetchall()]
    if bad:
        raise RuntimeError(f"evidence offsets do not match the stored article text: {bad[:5]}")


def delete_articles(cur: psycopg.Cursor, gone: list[str], touched: Touched) -> int:
    """Delete articles (their facts go with them); adds the agreements and claim minerals they
    reported to `touched`; returns how many were deleted."""
    if not gone:
        return 0
    cur.execute("select distinct agreement_id from core.agreement_status where article_id = any(%s)", (gone,))
    touched.agreements.update(r[0] for r in cur.fetchall())
    touched.minerals |= marts.claim_minerals(cur, gone)
    cur.execute("delete from core.article where article_id = any(%s)", (gone,))
    return cur.rowcount


def finish_load(cur: psycopg.Cursor, touched: Touched) -> None:
    """Re-add (and check, in sets) foreign keys dropped for a load into empty tables; settle the
    touched agreements (etl.settle_agreements: title, kind and location from their origin source;
    those no article reports any more are deleted); then store the marts of what the load touched
    (etl/load/marts.py). All in the load's transaction."""
    if touched.deferred_keys:
        _restore_foreign_keys(cur, touched.deferred_keys)
        touched.deferred_keys = []
    if touched.agreements:
        cur.execute("select etl.settle_agreements(%s)", (sorted(touched.agreements),))
    marts.refresh(cur, touched)
