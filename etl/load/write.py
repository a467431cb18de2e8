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


def begin_load(cur: psycopg.Cursor, lex: Lexicon, on_wait: Callable[[], None] | None = None) -> dict[str, str]:
    """Take the load lock, bring the reference lexicons up to date, and return the stored
    content hash of every article (read under the lock, so no other load can change them)."""
    acquire_load_lock(cur, on_wait)
    for table in ("mineral", "product", "party"):
        upsert(cur, table, lex.rows[table])
    # Aliases, identifiers and rates removed from the reference files leave the database too.
    for table in ("mineral_alias", "product_alias", "party_alias", "party_identifier", "fx_rate"):
        upsert(cur, table, lex.rows[table], prune=True)
    cur.execute("select article_id, content_hash from core.article")
    return dict(cur.fetchall())


def load_articles(cur: psycopg.Cursor, changed: list[ArticleFacts], facts: FactRows, known: dict[str, str],
                  counts: LoadCounts) -> set[str]:
    """Replace the facts of changed articles (`facts`: their rendered fact rows; `known`: the
    stored hashes from begin_load); returns the agreements whose sources changed."""
    if not changed:
        return set()
    counts.articles_inserted += sum(1 for f in changed if f.article_id not in known)
    counts.articles_updated += sum(1 for f in changed if f.article_id in known)
    ids = [f.article_id for f in changed]
    cur.execute("select distinct agreement_id from core.agreement_status where article_id = any(%s)", (ids,))
    affected = {r[0] for r in cur.fetchall()}
    for table in reversed(FACT_TABLES):
        cur.execute(sql.SQL("delete from {} where article_id = any(%s)").format(sql.Identifier("core", table)), (ids,))
        counts.facts_deleted += cur.rowcount
    upsert(cur, "article", [f.rows["article"][0] for f in changed])
    # upsert skips server-set timestamps: say when this version was loaded.
    cur.execute("update core.article set loaded_at = now() where article_id = any(%s) and loaded_at < now()", (ids,))
    # New agreements get a row first (facts point at it); finish_load settles title and kind.
    new_agreements = {row["agreement_id"]: row for f in changed for row in f.rows["agreement"]}
    upsert(cur, "agreement", list(new_agreements.values()), update=False)
    affected |= set(new_agreements)
    for table in FACT_TABLES:
        if facts.text[table]:
            stmt = sql.SQL("copy {} ({}) from stdin").format(
                sql.Identifier("core", table), sql.SQL(", ").join(map(sql.Identifier, _columns(table))))
            with cur.copy(stmt) as copy:
                copy.write(facts.text[table])
    counts.facts_inserted += facts.count
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
    return affected


def delete_articles(cur: psycopg.Cursor, gone: list[str]) -> tuple[int, set[str]]:
    """Delete articles (their facts go with them); returns (count, agreements they reported)."""
    if not gone:
        return 0, set()
    cur.execute("select distinct agreement_id from core.agreement_status where article_id = any(%s)", (gone,))
    affected = {r[0] for r in cur.fetchall()}
    cur.execute("delete from core.article where article_id = any(%s)", (gone,))
    return cur.rowcount, affected


# An agreement's title, kind and location are those of its earliest-published curated source
# (auto-extracted sources only where no curated one exists).
_SETTLE_AGREEMENTS = """
with sources as (
    select s.agreement_id, s.title, s.kind, s.location,
           row_number() over (partition by s.agreement_id
                              order by s.review_status = 'auto', a.published_on nulls last, a.article_id) as source_rank
    from core.agreement_status as s
    join core.article as a on a.article_id = s.article_id
    where s.agreement_id = any(%(ids)s)
),
settled as (
    select agreement_id,
           (array_agg(title order by source_rank) filter (where title is not null))[1] as title,
           (array_agg(kind order by source_rank) filter (where kind is not null))[1] as kind,
           (array_agg(location order by source_rank) filter (where location is not null))[1] as location
    from sources
    group by agreement_id
)
update core.agreement as g
set title = coalesce(s.title, g.title), kind = coalesce(s.kind, g.kind), location = s.location
from settled as s
where g.agreement_id = s.agreement_id
  and (g.title, g.kind, g.location) is distinct from (coalesce(s.title, g.title), coalesce(s.kind, g.kind), s.location)
"""


def finish_load(cur: psycopg.Cursor, affected: set[str]) -> None:
    """Settle the agreements whose sources changed; drop those no article reports any more; then
    store the reporting rows of every mineral whose facts changed (etl/load/marts.py)."""
    if affected:
        ids = sorted(affected)
        cur.execute(_SETTLE_AGREEMENTS, {"ids": ids})
        cur.execute(
            """delete from core.agreement g where g.agreement_id = any(%s)
               and not exists (select 1 from core.agreement_status s where s.agreement_id = g.agreement_id)""",
            (ids,),
        )
    # The core tables' triggers listed the minerals this load touched (none when nothing changed).
    marts.refresh(cur)
