"""The ETL flow end to end: extract → transform → validate → load, one direction.

The unit of acceptance is one article: an article with any problem is rejected whole (its
earlier version, if loaded, stays). Problems in the shared reference files stop the load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from etl.extract import read_seeds
from etl.load import LoadCounts, load, record_rejections
from etl.problems import Problem
from etl.transform import ArticleFacts, Lexicon, transform
from etl.validate import validate_articles, validate_reference


@dataclass
class Checked:
    """The outcome of extract → transform → validate, before anything is written."""

    seeds_dir: Path
    lexicon: Lexicon | None
    accepted: list[ArticleFacts] = field(default_factory=list)
    rejected: list[ArticleFacts] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # every problem, in file order
    articles_read: int = 0

    @property
    def fatal(self) -> bool:
        """Reference data is broken: nothing can be loaded safely."""
        return self.lexicon is None or any(p.article_id is None and p.file.startswith("reference") for p in self.problems)


def check(seeds_dir: Path, progress: Callable[[str], None] | None = None) -> Checked:
    seeds = read_seeds(seeds_dir)
    if progress:
        progress("extract")
    lex, facts, problems = transform(seeds)
    if progress:
        progress("transform")
    problems = list(seeds.problems) + problems
    if lex is not None:
        problems += validate_reference(lex)
        problems += validate_articles(facts)
    if progress:
        progress("validate")
    out = Checked(seeds_dir, lex, articles_read=len(seeds.articles))
    bad_ids = {p.article_id for p in problems if p.article_id}
    for f in facts:
        if f.problems or f.article_id in bad_ids:
            out.rejected.append(f)
        else:
            out.accepted.append(f)
    for f in facts:
        problems += f.problems
    out.problems = sorted(problems, key=lambda p: (p.file, p.record or "", p.field or ""))
    # A file that could not even be read counts as a rejected article too.
    return out


def start_run(url: str, command: str, seeds_dir: Path) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "insert into etl.run (command, seeds_dir) values (%s, %s) returning run_id",
            (command, str(seeds_dir)),
        ).fetchone()[0]


def finish_failed_run(url: str, run_id: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update etl.run set status = 'failed', finished_at = now() where run_id = %s and status = 'running'", (run_id,))


def load_checked(url: str, checked: Checked, command: str, on_wait=None, on_article=None) -> tuple[int, LoadCounts]:
    """Write what `check` accepted, the rejections and the run record, in one transaction."""
    run_id = start_run(url, command, checked.seeds_dir)
    rejected_files = {p.file for p in checked.problems if p.article_id is None}
    n_rejected = len(checked.rejected) + len([f for f in rejected_files if f.startswith("articles/")])
    try:
        with psycopg.connect(url) as conn:
            counts = LoadCounts()
            if not checked.fatal and checked.lexicon is not None:
                counts = load(conn, checked.lexicon, checked.accepted, on_wait=on_wait, on_article=on_article)
            record_rejections(conn, run_id, checked.problems)
            status = "succeeded" if not checked.problems else ("failed" if checked.fatal else "partial")
            conn.execute(
                """update etl.run set status = %s, finished_at = now(), articles_read = %s,
                          articles_inserted = %s, articles_updated = %s, articles_unchanged = %s,
                          articles_rejected = %s, facts_inserted = %s, facts_deleted = %s
                   where run_id = %s""",
                (status, checked.articles_read, counts.articles_inserted, counts.articles_updated,
                 counts.articles_unchanged, n_rejected if not checked.fatal else checked.articles_read,
                 counts.facts_inserted, counts.facts_deleted, run_id),
            )
    except BaseException:
        finish_failed_run(url, run_id)
        raise
    return run_id, counts
