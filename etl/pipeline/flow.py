"""The ETL flow end to end: extract → transform → validate → load, one direction.

Articles are processed in chunks (memory stays flat however many there are) inside ONE database
transaction per run. An article whose files hash as before is skipped before any parsing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

import psycopg

from etl.load.marts import Touched
from etl.load.runs import finish_failed_run, finish_run, record_rejections, start_run
from etl.load.write import begin_load, delete_articles, finish_load, load_articles
from etl.pipeline.articles import _finish, prepare
from etl.pipeline.report import Report
from etl.pipeline.workers import CHUNK_ARTICLES, ChunkPool


def check(seeds_dir: Path, *, auto: bool = True, chunk_size: int = CHUNK_ARTICLES, workers: int | None = None,
          on_progress: Callable[[int], None] | None = None) -> Report:
    """Extract, transform and validate everything; write nothing."""
    index, report = prepare(seeds_dir)
    with ChunkPool(index, report, auto=auto, chunk_size=chunk_size, workers=workers) as pool:
        for _ in pool.chunks({}, on_progress):
            pass
    return _finish(report, index)


def load(url: str, seeds_dir: Path, command: str, *, auto: bool = True, prune: bool = True,
         chunk_size: int = CHUNK_ARTICLES, workers: int | None = None, on_wait: Callable[[], None] | None = None,
         on_progress: Callable[[int], None] | None = None) -> Report:
    """Check and load every changed article, the rejections and the run record, in one transaction.

    With prune, articles whose files are gone from the seed folder are deleted with their facts
    (the seed folder is the source of truth).
    """
    index, report = prepare(seeds_dir)
    report.run_id = start_run(url, command, seeds_dir)
    try:
        with (ChunkPool(index, report, auto=auto, chunk_size=chunk_size, workers=workers, render=True) as pool,
              psycopg.connect(url) as conn, conn.cursor() as cur):
            if not report.fatal and report.lexicon is not None:
                _write(cur, pool, index.articles, report, prune, on_wait, on_progress)
            _finish(report, index)
            record_rejections(conn, report.run_id, report.problems + report.dropped)
            finish_run(cur, report)
    except BaseException:
        finish_failed_run(url, report.run_id)
        raise
    return report


def _write(cur: psycopg.Cursor, pool: ChunkPool, present: Mapping[str, Path], report: Report, prune: bool,
           on_wait: Callable[[], None] | None, on_progress: Callable[[int], None] | None) -> None:
    """Write each prepared chunk as it arrives, delete what left the seed folder, store the marts."""
    assert report.lexicon is not None
    touched = Touched()
    known = begin_load(cur, report.lexicon, on_wait, touched, articles=len(present))
    clock = time.perf_counter()
    for chunk in pool.chunks(known, on_progress):
        report.seconds["waiting_for_chunks"] += time.perf_counter() - clock
        clock = time.perf_counter()
        load_articles(cur, chunk.accepted, chunk.facts, known, report.counts, touched)
        report.seconds["writing"] += time.perf_counter() - clock
        clock = time.perf_counter()
    report.seconds["waiting_for_chunks"] += time.perf_counter() - clock
    clock = time.perf_counter()
    if prune:  # articles stored but no longer in the seed folder
        report.deleted = delete_articles(cur, sorted(set(known) - set(present)), touched)
    finish_load(cur, touched)
    report.seconds["writing"] += time.perf_counter() - clock
