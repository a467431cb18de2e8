"""`critmin bench`: the real load path against the plain-COPY limit, measured in one run.

Everything happens in a scratch database that is created for the run and dropped after it,
on the same server as the user's database (never touching the user's data). Synthetic seed files
(etl/synthetic.py, deterministic) are written to a temporary folder.
"""

from __future__ import annotations

import random
import resource
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from etl.synthetic import article_volumes, write_article, write_seed_set


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def copy_limit(url: str, chunk: int = 50_000) -> tuple[int, float]:
    """(rows, rows per second) of a plain COPY of the loaded volume rows into an unlogged table.

    The rows are read back in chunks (memory stays flat); only the COPY writes are timed.
    """
    with psycopg.connect(url) as source, psycopg.connect(url) as target:
        target.execute("""create unlogged table bench_copy_limit (volume_id text, agreement_id text, article_id text,
                          evidence_id text, mineral_id text, measure text, quantity numeric, unit text, bound text,
                          per_year boolean, period_start date, period_end date)""")
        target.commit()
        n, spent = 0, 0.0
        with source.cursor(name="bench_rows") as rows, target.cursor() as cur:
            rows.execute("""select volume_id, agreement_id, article_id, evidence_id, mineral_id, measure, quantity,
                                   unit, bound, per_year, period_start, period_end from core.volume""")
            copy_block = cur.copy("copy bench_copy_limit from stdin")
            with copy_block as copy:
                while batch := rows.fetchmany(chunk):
                    t0 = time.perf_counter()
                    for row in batch:
                        copy.write_row(row)
                    spent += time.perf_counter() - t0
                    n += len(batch)
                t0 = time.perf_counter()  # leaving the block waits for the server to take the last rows
            t0_commit = time.perf_counter()
            spent += t0_commit - t0
            target.commit()
            spent += time.perf_counter() - t0_commit
    return n, n / spent


# The core tables in the order their rows can be written (referenced tables first).
CORE_ORDER = (
    "mineral", "mineral_alias", "party", "party_alias", "fx_rate", "article", "agreement", "evidence",
    "party_mention", "agreement_status", "agreement_party", "agreement_mineral", "volume", "market_claim",
)


def core_row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(sql.SQL("select count(*) from {}").format(sql.Identifier("core", t))).fetchone()[0]
                for t in CORE_ORDER}


def _fresh_schema(server_url: str, tag: str) -> tuple[str, str]:
    """A new database migrated to head: (name, url)."""
    from etl.db.migrate import upgrade_head

    name = f"critmin_bench_{tag}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(_with_db(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = _with_db(server_url, name)
    upgrade_head(url)
    return name, url


def _drop(server_url: str, name: str) -> None:
    with psycopg.connect(_with_db(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    from etl.load.copy import _columns as load_columns

    return load_columns(table) if table in CORE_ORDER else []


def schema_limit(server_url: str, source_url: str, mode: str) -> float:
    """Seconds to COPY (binary) every core row the load wrote into a fresh migrated copy of the
    schema, in one transaction, referenced tables first, commit included. The source is read
    before the clock starts. mode: "full" (the schema as migrated: indexes, CHECKs, row-level
    foreign-key checks), "rows_only" (no triggers: indexes and CHECKs alone, the physical floor of
    this schema), "set_checked" (foreign keys dropped and re-validated in sets, then the marts
    stored: what the load itself does on a first load)."""
    name, url = _fresh_schema(server_url, mode)
    data = {}
    try:
        # spooled to temporary files: memory stays flat
        with psycopg.connect(source_url) as src:
            for table in CORE_ORDER:
                cols = sql.SQL(", ").join(map(sql.Identifier, _columns(src, table)))
                data[table] = tempfile.TemporaryFile()
                with src.cursor().copy(sql.SQL("copy (select {} from {}) to stdout (format binary)").format(
                        cols, sql.Identifier("core", table))) as copy:
                    for block in copy:
                        data[table].write(block)
                data[table].seek(0)
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            from etl.load import marts
            from etl.load.write import _drop_fact_foreign_keys, _restore_foreign_keys

            t0 = time.perf_counter()
            keys = []
            if mode == "rows_only":
                cur.execute("set session_replication_role = replica")
            elif mode == "set_checked":
                keys = _drop_fact_foreign_keys(cur)
            for table in CORE_ORDER:
                cols = sql.SQL(", ").join(map(sql.Identifier, _columns(conn, table)))
                with cur.copy(sql.SQL("copy {} ({}) from stdin (format binary)").format(
                        sql.Identifier("core", table), cols)) as copy:
                    while block := data[table].read(1 << 20):
                        copy.write(block)
            if mode == "set_checked":
                _restore_foreign_keys(cur, keys)
                marts.refresh_all(cur)
            conn.commit()
            return time.perf_counter() - t0
    finally:
        for spool in data.values():
            spool.close()
        _drop(server_url, name)


def peers(server_url: str, source_url: str) -> dict[str, float]:
    """Seconds for generic writers to put the same prepared rows (the core rows the load wrote,
    read into data frames before the clock starts) into a fresh migrated copy of the schema, in
    one transaction: pandas.DataFrame.to_sql (default inserts, method="multi") and SQLAlchemy Core
    executemany. They check nothing (no validation, no evidence check)."""
    import pandas as pd
    from sqlalchemy import MetaData, Table

    from etl.db.config import make_engine

    with psycopg.connect(source_url) as src:
        frames = {}
        for table in CORE_ORDER:
            cols = _columns(src, table)
            cur = src.execute(sql.SQL("select {} from {}").format(
                sql.SQL(", ").join(map(sql.Identifier, cols)), sql.Identifier("core", table)))
            frames[table] = pd.DataFrame(cur.fetchall(), columns=cols)
    # a party's parent comes before it (row by row inserts check each statement's references)
    parents = dict(zip(frames["party"]["party_id"], frames["party"]["parent_party_id"], strict=True))

    def depth(party: str) -> int:
        n = 0
        while (party := parents.get(party)) is not None:
            n += 1
        return n

    frames["party"] = frames["party"].assign(_depth=frames["party"]["party_id"].map(depth)).sort_values(
        "_depth", kind="stable").drop(columns="_depth")
    out: dict[str, float] = {}
    writers = {
        # the column types of the schema (pandas would infer text for Decimal columns)
        "pandas_to_sql": lambda conn, table, frame, t: frame.to_sql(
            table, conn, schema="core", if_exists="append", index=False, chunksize=10_000,
            dtype={c.name: c.type for c in t.columns if c.name in frame.columns}),
        "pandas_to_sql_multi": lambda conn, table, frame, t: frame.to_sql(
            table, conn, schema="core", if_exists="append", index=False, chunksize=1_000, method="multi",
            dtype={c.name: c.type for c in t.columns if c.name in frame.columns}),
        "sqlalchemy_core_executemany": lambda conn, table, frame, t: conn.execute(
            t.insert(), frame.astype(object).where(frame.notna(), None).to_dict("records")) if len(frame) else None,
    }
    for peer, write in writers.items():
        name, url = _fresh_schema(server_url, "peer")
        engine = make_engine(url)
        try:
            meta = MetaData()
            tables = {t: Table(t, meta, schema="core", autoload_with=engine) for t in CORE_ORDER}
            t0 = time.perf_counter()
            with engine.begin() as conn:
                for table in CORE_ORDER:
                    write(conn, table, frames[table], tables[table])
            out[peer] = time.perf_counter() - t0
        finally:
            engine.dispose()
            _drop(server_url, name)
    return out


def view_times(url: str, repeats: int = 5) -> dict[str, float]:
    """Median milliseconds of `select count(*)` over each reporting view (computes every row)."""
    out: dict[str, float] = {}
    with psycopg.connect(url) as conn:
        views = [r[0] for r in conn.execute(
            "select table_name from information_schema.views where table_schema = 'reporting' order by 1")]
        for view in views:
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                conn.execute(sql.SQL("select count(*) from {}").format(sql.Identifier("reporting", view))).fetchone()
                times.append((time.perf_counter() - t0) * 1000)
            out[view] = round(statistics.median(times), 2)
    return out


def run_bench(server_url: str, rows: int, progress: Callable[[str], None] = lambda _s: None,
              entity_format: str = "json", workers: int | None = None, with_peers: bool = False) -> dict:
    from etl.db.migrate import upgrade_head
    from etl.pipeline.workers import CHUNK_ARTICLES

    name = f"critmin_bench_{uuid.uuid4().hex[:8]}"
    admin = _with_db(server_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = _with_db(server_url, name)
    tmp = Path(tempfile.mkdtemp(prefix="critmin-bench-"))
    result: dict = {"rows": rows, "database": name, "entity_format": entity_format}
    try:
        progress("migrating the scratch database")
        upgrade_head(url)
        progress(f"generating {rows:,} synthetic volume facts")
        seeds = tmp / "seeds"
        result["articles"] = write_seed_set(seeds, rows, entity_format=entity_format)
        result["chunk_articles"] = CHUNK_ARTICLES
        first = _first_load(url, seeds, workers, result, progress)
        _reloads(url, seeds, workers, result, progress)
        _sizes_views_memory(url, workers, result, progress)
        # After the peak RSS of the load path is taken: these steps buffer rows of their own.
        _storage_limits(server_url, url, first, with_peers, result, progress)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
    return result


def _first_load(url: str, seeds: Path, workers: int | None, result: dict, progress: Callable[[str], None]) -> float:
    """The first load into the empty database, and the plain-COPY limit of its volume rows."""
    from etl.pipeline.flow import load

    progress("first load (extract → transform → validate → load)")
    t0 = time.perf_counter()
    report = load(url, seeds, "bench", workers=workers)
    first = time.perf_counter() - t0
    if report.problems:
        raise RuntimeError(f"the synthetic seeds did not load: {report.problems[0].line()}")
    result["load_s"] = round(first, 3)
    # Inside the load: waiting for worker processes to prepare chunks vs writing them to PostgreSQL.
    result["load_waiting_for_chunks_s"] = round(report.seconds["waiting_for_chunks"], 3)
    result["load_writing_s"] = round(report.seconds["writing"], 3)
    result["load_rows_per_s"] = round(result["rows"] / first)
    progress("plain COPY of the same rows (the limit)")
    result["copy_limit_rows_per_s"] = round(copy_limit(url)[1])
    result["ratio"] = round(result["load_rows_per_s"] / result["copy_limit_rows_per_s"], 3)
    return first


def _reloads(url: str, seeds: Path, workers: int | None, result: dict, progress: Callable[[str], None]) -> None:
    """A reload of unchanged input, then one with 1% of the articles rewritten."""
    from etl.pipeline.flow import load

    progress("reload of unchanged input")
    t0 = time.perf_counter()
    load(url, seeds, "bench", workers=workers)
    result["reload_unchanged_s"] = round(time.perf_counter() - t0, 3)
    progress("reload with 1% of articles changed")
    n_articles, rows = result["articles"], result["rows"]
    for a in random.Random(7).sample(range(n_articles), max(1, n_articles // 100)):
        write_article(seeds, a, article_volumes(a, rows), variant=1, entity_format=result["entity_format"])
    t0 = time.perf_counter()
    report = load(url, seeds, "bench", workers=workers)
    result["reload_1pct_changed_s"] = round(time.perf_counter() - t0, 3)
    result["reload_1pct_articles_updated"] = report.counts.articles_updated


def _sizes_views_memory(url: str, workers: int | None, result: dict, progress: Callable[[str], None]) -> None:
    """Table sizes, view times and the peak memory of the load path."""
    from etl.pipeline.workers import resolve_workers

    with psycopg.connect(url) as conn:
        result["table_mb"] = {
            name: round(size / 2**20, 1) for name, size in conn.execute(
                """select c.relname, pg_total_relation_size(c.oid) from pg_class c
                   join pg_namespace n on n.oid = c.relnamespace
                   where n.nspname = 'core' and c.relkind = 'r' order by 1""")
        }
    progress("timing the reporting views")
    result["view_query_ms"] = view_times(url)
    # The main process plus each worker at its own peak (an upper bound on the memory in use).
    main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["workers"] = resolve_workers(workers)
    result["peak_rss_main_mb"] = round(main_mb, 1)
    result["peak_rss_worker_mb"] = round(worker_mb, 1)
    result["peak_rss_mb"] = round(main_mb + result["workers"] * worker_mb, 1)


def _storage_limits(server_url: str, url: str, first: float, with_peers: bool, result: dict,
                    progress: Callable[[str], None]) -> None:
    """Every row the load wrote (all core tables), what storing them costs in this schema, and
    (with_peers) what generic writers take for them."""
    counts = core_row_counts(url)
    table_rows = sum(counts.values())
    result["table_rows"] = table_rows
    result["table_rows_by_table"] = counts
    result["load_table_rows_per_s"] = round(table_rows / first)
    progress("the same rows COPYed into a fresh migrated schema (the schema limit)")
    seconds = {mode: schema_limit(server_url, url, mode) for mode in ("full", "rows_only", "set_checked")}
    result["schema_limit_s"] = round(seconds["full"], 3)
    result["schema_limit_rows_per_s"] = round(table_rows / seconds["full"])
    result["ratio_to_schema_limit"] = round(result["load_table_rows_per_s"] / result["schema_limit_rows_per_s"], 3)
    result["schema_rows_only_s"] = round(seconds["rows_only"], 3)
    result["schema_set_checked_with_marts_s"] = round(seconds["set_checked"], 3)
    result["schema_storage_over_rows_only"] = round(seconds["set_checked"] / seconds["rows_only"], 3)
    result["ratio_to_set_checked_storage"] = round(seconds["set_checked"] / first, 3)
    if with_peers:
        progress("peers writing the same rows (pandas to_sql, SQLAlchemy Core)")
        peer_s = peers(server_url, url)
        result["peer_rows_per_s"] = {p: round(table_rows / s) for p, s in peer_s.items()}
        result["ratio_to_peer"] = {p: round(result["load_table_rows_per_s"] / r, 3)
                                   for p, r in result["peer_rows_per_s"].items()}
