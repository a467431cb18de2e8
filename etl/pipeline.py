"""The ETL flow end to end: extract → transform → validate → load, one direction.

Articles are processed in chunks (memory stays flat however many there are) inside ONE database
transaction per run. An article whose files hash as before is skipped before any parsing. The
unit of acceptance is one article: an article with any problem is rejected whole and its earlier
version, if loaded, stays. Problems in the shared reference files stop the load.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.pool import Pool
from pathlib import Path

import psycopg

from etl import quantities
from etl.extract import (
    ArticleFile,
    EntityFile,
    SeedIndex,
    content_hash,
    index_seeds,
    read_article,
    read_entity_file,
    read_reference,
    read_seed_bytes,
)
from etl.load import (
    FactRows,
    LoadCounts,
    begin_load,
    delete_articles,
    finish_load,
    load_articles,
    record_rejections,
    render_facts,
)
from etl.problems import Problem
from etl.transform import (
    TABLES,
    ArticleFacts,
    Lexicon,
    article_id_problems,
    build_lexicon,
    transform_article,
)
from etl.validate import schema_for, validate_articles, validate_reference

CHUNK_ARTICLES = 500
# Part of the content hash of auto-extracted facts: a new extractor re-drafts every such article.
AUTO_SALT = b"auto-extracted:v1"


@dataclass
class Report:
    """What a run read, accepted, skipped and rejected, and why."""

    seeds_dir: Path
    lexicon: Lexicon | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    articles_read: int = 0
    accepted: int = 0
    rejected_ids: set[str] = field(default_factory=set)
    deleted: int = 0
    reference_digest: bytes = b""
    run_id: int | None = None
    counts: LoadCounts = field(default_factory=LoadCounts)
    # Seconds the load spent waiting for prepared chunks vs writing them (where the time goes).
    seconds: dict[str, float] = field(default_factory=lambda: {"waiting_for_chunks": 0.0, "writing": 0.0})

    @property
    def fatal(self) -> bool:
        """Reference data is broken: nothing can be loaded safely."""
        return self.lexicon is None or any(p.article_id is None and p.file.startswith("reference") for p in self.problems)

    @property
    def rejected(self) -> int:
        return len(self.rejected_ids)


def _owned(problems: list[Problem], start: int, article_id: str) -> None:
    """Problems found since `start` reject `article_id`."""
    problems[start:] = [p if p.article_id else replace(p, article_id=article_id) for p in problems[start:]]


def _orphan_problems(index: SeedIndex, problems: list[Problem]) -> None:
    """Entity files not named after an article: say whose they claim to be, and reject that one."""
    for path in index.orphan_entities:
        before = len(problems)
        ent = read_entity_file(path, index.root, problems)
        if ent is None:
            _owned(problems, before, path.stem)
            continue
        target = ent.data.get("article") or path.stem
        if not isinstance(target, str):
            problems.append(Problem(ent.rel, "'article' must be an article id", field="article", article_id=path.stem))
        elif target not in index.articles:
            problems.append(Problem(ent.rel, f"entity file for a missing article {target!r}: add seeds/articles/{target}.md or fix 'article'",
                                    field="article"))
        elif target in index.entities:
            problems.append(Problem(ent.rel, f"a second entity file for article {target!r} (first: entities/{index.entities[target].name})",
                                    field="article", article_id=target))
        else:
            problems.append(Problem(ent.rel, f"names article {target!r}: name the file entities/{target}.yaml",
                                    field="article", article_id=target))


def _read_and_hash(stem: str, index: SeedIndex, auto: bool, reference_digest: bytes,
                   problems: list[Problem]) -> tuple[str, bytes, bytes | None] | None:
    """(content hash, article bytes, entity bytes) of an article's files; None when unreadable."""
    art_path, ent_path = index.articles[stem], index.entities.get(stem)
    art_bytes = read_seed_bytes(art_path, index.root, problems)
    ent_bytes = read_seed_bytes(ent_path, index.root, problems) if ent_path else None
    if art_bytes is None or (ent_path and ent_bytes is None):
        return None
    drafted = ent_path is None and auto
    return content_hash(art_bytes, ent_bytes, reference_digest + (AUTO_SALT if drafted else b"")), art_bytes, ent_bytes


def _article_facts(stem: str, index: SeedIndex, lex: Lexicon, auto: bool, report: Report) -> ArticleFacts | None:
    """One article's facts (unchanged ones were skipped by `_tasks`), or None when it is
    unreadable (problems recorded)."""
    problems = report.problems
    before = len(problems)
    art_path, ent_path = index.articles[stem], index.entities.get(stem)
    read = _read_and_hash(stem, index, auto, report.reference_digest, problems)
    if read is None:
        _owned(problems, before, stem)
        return None
    digest, art_bytes, ent_bytes = read
    drafted = ent_path is None and auto
    art = read_article(art_path, index.root, problems, data=art_bytes)
    ent = read_entity_file(ent_path, index.root, problems, data=ent_bytes) if ent_path else None
    if art is None or (ent_path and ent is None):
        _owned(problems, before, stem)
        return None
    if ent is not None and "article" in ent.data and ent.data["article"] != stem:
        target = ent.data["article"]
        reason = ("'article' must be an article id" if not isinstance(target, str)
                  else f"names article {target!r} but the file belongs to {stem!r}")
        problems.append(Problem(ent.rel, reason, field="article", article_id=stem))
        return None
    claimed = art.meta.get("id")
    if claimed != stem:
        # Ids are file names: a file claiming another id is rejected before its facts are built,
        # so it cannot collide with the article that really has that id.
        facts = ArticleFacts(stem, art.rel, digest)
        facts.problems += [replace(p, article_id=stem) for p in article_id_problems(art, str(claimed))]
        if isinstance(claimed, str) and claimed in index.articles:
            facts.problems.append(Problem(art.rel, f"duplicate article id {claimed!r} (also in articles/{index.articles[claimed].name})",
                                          record="front matter", field="id", article_id=stem))
        return facts
    if drafted:
        ent = _auto_entities(art, stem, index.root)
    return transform_article(art, ent, lex, digest, "auto" if drafted else "curated")


def _auto_entities(art: ArticleFile, stem: str, seeds_dir: Path) -> EntityFile:
    """Facts drafted by the extractor for an article that has no curated file."""
    from etl.extractor import draft_entities

    meta = art.meta
    draft, _dropped = draft_entities(stem, art.body, meta.get("published_on"), meta.get("language"),
                                     seeds_dir=seeds_dir, title=meta.get("title"))
    data = {k: v for k, v in draft.items() if not k.startswith("_")}
    # Drafted agreements stay the article's own: a guessed key must never merge into a curated
    # agreement or into another article's guess.
    for agreement in data.get("agreements") or []:
        if isinstance(agreement, dict) and isinstance(agreement.get("key"), str):
            agreement["key"] = f"{stem}-{agreement['key']}"
    return EntityFile(art.path, f"{art.rel} (auto-extracted facts)", data, b"")


@dataclass
class _ChunkResult:
    """What preparing one chunk of articles produced (travels back from a worker process)."""

    accepted: list[ArticleFacts]
    facts: FactRows | None         # their fact rows, ready to COPY (None when only checking)
    problems: list[Problem]
    warnings: list[str]
    rejected_ids: set[str]


@dataclass
class _Work:
    """What every chunk needs; set before the workers fork, so they inherit it instead of receiving it."""

    index: SeedIndex
    lexicon: Lexicon
    reference_digest: bytes
    auto: bool
    blocked: set[str]
    render: bool                   # loading: render the fact rows for COPY in the worker
    workers: int = 1
    pool: Pool | None = None


_WORK: _Work | None = None


def _prepare_chunk(stems: list[str]) -> _ChunkResult:
    """Extract, transform and validate a chunk of new or changed articles."""
    assert _WORK is not None
    part = Report(_WORK.index.root, reference_digest=_WORK.reference_digest)
    batch = [f for stem in stems if (f := _article_facts(stem, _WORK.index, _WORK.lexicon, _WORK.auto, part))]
    accepted = _settle(batch, _WORK.blocked, part)
    facts = render_facts(accepted) if _WORK.render else None
    return _ChunkResult(accepted, facts, part.problems, part.warnings, part.rejected_ids)


def resolve_workers(workers: int | None) -> int:
    """Worker processes for preparing chunks: CRITMIN_WORKERS, else one per core (at most 4)."""
    if workers is None:
        workers = int(os.environ.get("CRITMIN_WORKERS") or min(4, os.cpu_count() or 1))
    return max(1, workers) if "fork" in mp.get_all_start_methods() else 1


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:  # die with the parent (a killed load must not leave workers behind) - Linux only
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@contextmanager
def _worker_pool(index: SeedIndex, report: Report, auto: bool, chunk_size: int, workers: int | None,
                 render: bool = False) -> Iterator[None]:
    """Set up what chunks need, with a fork pool when there is more than one chunk to prepare.

    Opened before the database connection, so no child ever holds a copy of it."""
    global _WORK
    if report.lexicon is None:
        yield
        return
    blocked = {p.article_id for p in report.problems if p.article_id}
    quantities.load_units()  # built once here, not once per worker
    for table in TABLES:
        schema_for(table)
    _WORK = _Work(index, report.lexicon, report.reference_digest, auto, blocked, render, resolve_workers(workers))
    try:
        if _WORK.workers > 1 and len(index.articles) > chunk_size:
            with mp.get_context("fork").Pool(_WORK.workers, initializer=_worker_init) as pool:
                _WORK.pool = pool
                yield
        else:
            yield
    finally:
        _WORK = None


_Task = tuple[list[str], int]  # article ids to prepare, articles scanned so far


def _tasks(known: dict[str, str], chunk_size: int, report: Report) -> Iterator[_Task]:
    """The articles to prepare, `chunk_size` at a time. Stored articles whose files hash as
    before are counted and skipped here, before any parsing, so a reload with few changes
    hands the workers a few fuller chunks rather than many nearly empty ones (and still
    hands them out while it goes on hashing)."""
    assert _WORK is not None
    stems = sorted(_WORK.index.articles)
    part: list[str] = []
    scanned_since = 0  # articles scanned since the first one in `part`
    for n, stem in enumerate(stems, 1):
        read = _read_and_hash(stem, _WORK.index, _WORK.auto, _WORK.reference_digest, []) if stem in known else None
        if read is not None and read[0] == known[stem]:
            report.counts.articles_unchanged += 1
        else:
            part.append(stem)  # new, changed, or unreadable (the worker reports why)
        scanned_since += bool(part)
        # A reload with few changes hands out what it found every ten chunks' worth of articles.
        if part and (len(part) == chunk_size or n == len(stems) or scanned_since >= 10 * chunk_size):
            yield part, n
            part, scanned_since = [], 0


def _chunks(known: dict[str, str], chunk_size: int, report: Report,
            on_progress: Callable[[int], None] | None) -> Iterator[_ChunkResult]:
    """Accepted articles, a chunk at a time, in article order; rejections go to the report.

    With a pool, workers prepare the next chunks while the caller loads this one; at most
    two chunks per worker are in flight, so memory stays flat."""
    assert _WORK is not None
    tasks = _tasks(known, chunk_size, report)
    if _WORK.pool is None:
        results: Iterator[tuple[_Task, _ChunkResult]] = ((task, _prepare_chunk(task[0])) for task in tasks)
    else:
        results = _bounded(_WORK.pool, tasks, 2 * _WORK.workers)
    for (_, scanned), result in results:
        report.problems += result.problems
        report.warnings += result.warnings
        report.rejected_ids |= result.rejected_ids
        report.accepted += len(result.accepted)
        if result.accepted:
            yield result
        if on_progress:
            on_progress(scanned)
    if on_progress:
        on_progress(len(_WORK.index.articles))


def _bounded(pool: Pool, tasks: Iterator[_Task], in_flight: int) -> Iterator[tuple[_Task, _ChunkResult]]:
    """Results in task order, with no more than `in_flight` tasks submitted and not yet taken."""
    pending: deque = deque()
    for task in tasks:
        pending.append((task, pool.apply_async(_prepare_chunk, (task[0],))))
        if len(pending) >= in_flight:
            done, result = pending.popleft()
            yield done, result.get()
    while pending:
        done, result = pending.popleft()
        yield done, result.get()


def _settle(batch: list[ArticleFacts], blocked: set[str], report: Report) -> list[ArticleFacts]:
    """Validate a chunk; keep the accepted, record the rejected (auto facts that fail are dropped)."""
    report.problems += validate_articles(batch)
    accepted = []
    for f in batch:
        drafted = [p for p in f.problems if p.file != f.rel]
        if f.review_status == "auto" and drafted:
            # The extractor's mistakes must not reject the article: its facts are dropped, with a warning.
            report.warnings += [f"auto-extracted facts of {f.article_id} dropped: {p.line()}" for p in drafted]
            f.problems = [p for p in f.problems if p.file == f.rel]
            f.rows = {table: rows if table == "article" else [] for table, rows in f.rows.items()}
        if f.problems or f.article_id in blocked:
            report.problems += f.problems
            report.rejected_ids.add(f.article_id)
        else:
            accepted.append(f)
    return accepted


def reference_digest(seeds_dir: Path) -> bytes:
    """SHA-256 of every reference file: a change there re-resolves every article."""
    digest = hashlib.sha256()
    folder = seeds_dir / "reference"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue  # reported by read_reference
    return digest.hexdigest().encode()


def prepare(seeds_dir: Path) -> tuple[SeedIndex, Report]:
    report = Report(seeds_dir, reference_digest=reference_digest(seeds_dir))
    ref = read_reference(seeds_dir, report.problems)
    if ref is not None:
        report.lexicon = build_lexicon(ref, report.problems)
        report.problems += validate_reference(report.lexicon)
    index = index_seeds(seeds_dir)
    report.problems += index.problems
    _orphan_problems(index, report.problems)
    for path in index.extra_articles:
        report.problems.append(Problem(str(path.relative_to(index.root)),
                                       f"duplicate article id {path.stem!r} (also in articles/{index.articles[path.stem].name})",
                                       record="front matter", field="id", article_id=path.stem))
    report.articles_read = len(index.articles) + len(index.extra_articles)
    return index, report


def _finish(report: Report, index: SeedIndex) -> Report:
    report.rejected_ids |= {p.article_id for p in report.problems if p.article_id in index.articles}
    report.problems.sort(key=lambda p: (p.file, p.record or "", p.field or ""))
    return report


def check(seeds_dir: Path, *, auto: bool = True, chunk_size: int = CHUNK_ARTICLES, workers: int | None = None,
          on_progress: Callable[[int], None] | None = None) -> Report:
    """Extract, transform and validate everything; write nothing."""
    index, report = prepare(seeds_dir)
    with _worker_pool(index, report, auto, chunk_size, workers):
        if report.lexicon is not None:
            for _ in _chunks({}, chunk_size, report, on_progress):
                pass
    return _finish(report, index)


def start_run(url: str, command: str, seeds_dir: Path) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "insert into etl.run (command, seeds_dir) values (%s, %s) returning run_id",
            (command, str(seeds_dir)),
        ).fetchone()[0]


def finish_failed_run(url: str, run_id: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update etl.run set status = 'failed', finished_at = now() where run_id = %s and status = 'running'", (run_id,))


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
        with (_worker_pool(index, report, auto, chunk_size, workers, render=True),
              psycopg.connect(url) as conn, conn.cursor() as cur):
            if not report.fatal and report.lexicon is not None:
                known = begin_load(cur, report.lexicon, on_wait)
                affected: set[str] = set()
                clock = time.perf_counter()
                for chunk in _chunks(known, chunk_size, report, on_progress):
                    report.seconds["waiting_for_chunks"] += time.perf_counter() - clock
                    clock = time.perf_counter()
                    affected |= load_articles(cur, chunk.accepted, chunk.facts, known, report.counts)
                    report.seconds["writing"] += time.perf_counter() - clock
                    clock = time.perf_counter()
                report.seconds["waiting_for_chunks"] += time.perf_counter() - clock
                clock = time.perf_counter()
                if prune:  # articles stored but no longer in the seed folder
                    report.deleted, reported = delete_articles(cur, sorted(set(known) - set(index.articles)))
                    affected |= reported
                finish_load(cur, affected)
                report.seconds["writing"] += time.perf_counter() - clock
            _finish(report, index)
            record_rejections(conn, report.run_id, report.problems)
            status = "succeeded" if not report.problems else ("failed" if report.fatal else "partial")
            cur.execute(
                """update etl.run set status = %s, finished_at = now(), articles_read = %s,
                          articles_inserted = %s, articles_updated = %s, articles_unchanged = %s,
                          articles_rejected = %s, articles_deleted = %s, facts_inserted = %s, facts_deleted = %s
                   where run_id = %s""",
                (status, report.articles_read, report.counts.articles_inserted, report.counts.articles_updated,
                 report.counts.articles_unchanged, report.articles_read if report.fatal else report.rejected,
                 report.deleted, report.counts.facts_inserted, report.counts.facts_deleted, report.run_id),
            )
    except BaseException:
        finish_failed_run(url, report.run_id)
        raise
    return report
