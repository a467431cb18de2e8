"""Run records: one etl.run row per command, and the rejected rows with their reasons."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from etl.problems import Problem

if TYPE_CHECKING:  # the report is the pipeline's; only its fields are read here
    from etl.pipeline.report import Report


def record_rejections(conn: psycopg.Connection, run_id: int, problems: list[Problem]) -> None:
    with conn.cursor() as cur:
        with cur.copy("copy etl.rejected_row (run_id, file, record, field, reason, raw) from stdin") as copy:
            for p in problems:
                copy.write_row([run_id, p.file, p.record, p.field, p.reason, p.raw])


def start_run(url: str, command: str, seeds_dir: Path) -> int:
    """A new etl.run row, committed at once so a killed load still leaves its trace."""
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "insert into etl.run (command, seeds_dir) values (%s, %s) returning run_id",
            (command, str(seeds_dir)),
        ).fetchone()[0]


def finish_failed_run(url: str, run_id: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update etl.run set status = 'failed', finished_at = now() where run_id = %s and status = 'running'", (run_id,))


def finish_run(cur: psycopg.Cursor, report: Report) -> None:
    """The run's outcome and counts, in the load's own transaction."""
    status = "succeeded" if not report.problems else ("failed" if report.fatal else "partial")
    counts = report.counts
    cur.execute(
        """update etl.run set status = %s, finished_at = now(), articles_read = %s,
                  articles_inserted = %s, articles_updated = %s, articles_unchanged = %s,
                  articles_rejected = %s, articles_deleted = %s, facts_inserted = %s, facts_deleted = %s
           where run_id = %s""",
        (status, report.articles_read, counts.articles_inserted, counts.articles_updated,
         counts.articles_unchanged, report.articles_read if report.fatal else report.rejected,
         report.deleted, counts.facts_inserted, counts.facts_deleted, report.run_id),
    )
