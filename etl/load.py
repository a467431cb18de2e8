"""Load: write accepted articles to the core tables in one transaction.

Unchanged articles (same content hash) are skipped. For a changed article its old facts are
deleted and the new ones COPied in, so an article is never half-loaded; shared rows (reference
lexicons, articles, agreements) go through a staging table and an upsert that writes only rows
that differ, so a second identical run writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from etl.db.models import metadata
from etl.problems import Problem
from etl.transform import ArticleFacts, Lexicon

# Fact tables scoped to one article, in the order they are written (evidence first: others point at it).
FACT_TABLES = (
    "evidence", "party_mention", "agreement_status", "agreement_party", "agreement_mineral",
    "volume", "market_claim",
)
LOAD_LOCK_KEY = 0x63726974  # "crit": one load at a time per database


@dataclass
class LoadCounts:
    articles_inserted: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    facts_inserted: int = 0
    facts_deleted: int = 0
    reference_changed: int = 0
    agreements_changed: int = 0
    per_table: dict[str, int] = field(default_factory=dict)


def _columns(table: str) -> list[str]:
    return [c.name for c in metadata.tables[f"core.{table}"].columns
            if not (c.server_default is not None and c.name.endswith("_at"))]


def _pk(table: str) -> list[str]:
    return [c.name for c in metadata.tables[f"core.{table}"].primary_key.columns]


def _copy_rows(cur: psycopg.Cursor, target: sql.Composable, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    stmt = sql.SQL("copy {} ({}) from stdin").format(target, sql.SQL(", ").join(map(sql.Identifier, columns)))
    with cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row([row.get(c) for c in columns])
            n += 1
    return n


def upsert(cur: psycopg.Cursor, table: str, rows: list[dict[str, Any]], *, prune: bool = False) -> int:
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
    if non_key:
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


def canonical_agreements(facts: list[ArticleFacts]) -> list[dict[str, Any]]:
    """One row per agreement: title, kind and location from its earliest-published source."""
    best: dict[str, tuple[tuple, dict[str, Any]]] = {}
    for f in facts:
        for row in f.rows["agreement"]:
            published = row.get("_published_on")
            rank = (published is None, published or 0, f.article_id)
            key = row["agreement_id"]
            if key not in best or rank < best[key][0]:
                best[key] = (rank, row)
    return [row for _, row in sorted(best.values(), key=lambda t: t[1]["agreement_id"])]


def existing_hashes(cur: psycopg.Cursor, article_ids: list[str]) -> dict[str, str]:
    cur.execute("select article_id, content_hash from core.article where article_id = any(%s)", (article_ids,))
    return dict(cur.fetchall())


def acquire_load_lock(cur: psycopg.Cursor, on_wait: Callable[[], None] | None = None) -> None:
    """Serialise loads: wait (saying so) while another load holds the lock."""
    cur.execute("select pg_try_advisory_xact_lock(%s)", (LOAD_LOCK_KEY,))
    if cur.fetchone()[0]:
        return
    if on_wait:
        on_wait()
    cur.execute("select pg_advisory_xact_lock(%s)", (LOAD_LOCK_KEY,))


def load(
    conn: psycopg.Connection,
    lex: Lexicon,
    accepted: list[ArticleFacts],
    *,
    on_wait: Callable[[], None] | None = None,
    on_article: Callable[[str], None] | None = None,
) -> LoadCounts:
    """Write reference data and every changed accepted article. Runs inside the caller's transaction."""
    counts = LoadCounts()
    with conn.cursor() as cur:
        acquire_load_lock(cur, on_wait)
        for table in ("mineral", "party", "fx_rate"):
            counts.reference_changed += upsert(cur, table, lex.rows[table])
        for table in ("mineral_alias", "party_alias"):
            counts.reference_changed += upsert(cur, table, lex.rows[table], prune=True)

        known = existing_hashes(cur, [f.article_id for f in accepted])
        changed = [f for f in accepted if known.get(f.article_id) != f.content_hash]
        counts.articles_unchanged = len(accepted) - len(changed)
        counts.articles_inserted = sum(1 for f in changed if f.article_id not in known)
        counts.articles_updated = len(changed) - counts.articles_inserted
        if changed:
            ids = [f.article_id for f in changed]
            for table in reversed(FACT_TABLES):
                cur.execute(sql.SQL("delete from {} where article_id = any(%s)").format(sql.Identifier("core", table)), (ids,))
                counts.facts_deleted += cur.rowcount
            upsert(cur, "article", [f.rows["article"][0] for f in changed])
        counts.agreements_changed = upsert(cur, "agreement", canonical_agreements(accepted))
        for table in FACT_TABLES:
            rows = [row for f in changed for row in f.rows[table]]
            n = _copy_rows(cur, sql.Identifier("core", table), _columns(table), rows)
            counts.per_table[table] = n
            counts.facts_inserted += n
        for f in changed:
            if on_article:
                on_article(f.article_id)
        if changed:
            # The loader re-checks every quote against the stored article text.
            cur.execute(
                """select e.evidence_id from core.evidence e join core.article a using (article_id)
                   where a.article_id = any(%s)
                     and substr(a.body, e.start_offset + 1, e.end_offset - e.start_offset) <> e.quote""",
                ([f.article_id for f in changed],),
            )
            bad = [r[0] for r in cur.fetchall()]
            if bad:
                raise RuntimeError(f"evidence offsets do not match the stored article text: {bad[:5]}")
        # An agreement no article reports any more goes with its last source.
        cur.execute("delete from core.agreement g where not exists (select 1 from core.agreement_status s where s.agreement_id = g.agreement_id)")
        counts.agreements_changed += cur.rowcount
    return counts


def record_rejections(conn: psycopg.Connection, run_id: int, problems: list[Problem]) -> None:
    with conn.cursor() as cur:
        with cur.copy("copy etl.rejected_row (run_id, file, record, field, reason, raw) from stdin") as copy:
            for p in problems:
                copy.write_row([run_id, p.file, p.record, p.field, p.reason, p.raw])
