"""Chunks of articles prepared (transform, validate, COPY text) by a pool of forked workers."""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import Pool

from etl.load.copy import FactRows, render_facts
from etl.pipeline.articles import _article_facts, _read_and_hash, _settle
from etl.pipeline.report import Report
from etl.problems import Problem
from etl.sources.seeds import SeedIndex
from etl.transform.facts import TABLES, ArticleFacts
from etl.transform.lexicon import Lexicon
from etl.validate.frames import schema_for

CHUNK_ARTICLES = 500


@dataclass
class _ChunkResult:
    """What preparing one chunk of articles produced (travels back from a worker process)."""

    accepted: list[ArticleFacts]
    facts: FactRows | None         # their fact rows, ready to COPY (None when only checking)
    problems: list[Problem]
    dropped: list[Problem]
    rejected_ids: set[str]


@dataclass
class _Work:
    """What every chunk needs. Workers inherit it through fork (never pickled: it holds the
    whole seed index and lexicon)."""

    index: SeedIndex
    lexicon: Lexicon
    reference_digest: bytes
    auto: bool
    blocked: set[str]
    render: bool                   # loading: render the fact rows for COPY in the worker

    def prepare_chunk(self, stems: list[str]) -> _ChunkResult:
        """Extract, transform and validate a chunk of new or changed articles."""
        part = Report(self.index.root, reference_digest=self.reference_digest)
        batch = [f for stem in stems if (f := _article_facts(stem, self.index, self.lexicon, self.auto, part))]
        accepted = _settle(batch, self.blocked, part, self.lexicon)
        facts = render_facts(accepted) if self.render else None
        return _ChunkResult(accepted, facts, part.problems, part.dropped, part.rejected_ids)

    def digests(self, stems: list[str]) -> list[str | None]:
        """The content hash of each article's files (None: unreadable, the worker that prepares
        it reports why)."""
        out = []
        for stem in stems:
            read = _read_and_hash(stem, self.index, self.auto, self.reference_digest, [])
            out.append(read[0] if read is not None else None)
        return out


# Set in each forked worker by its initializer (fork passes `work` without pickling it).
_WORKER_WORK: _Work | None = None


def _worker_init(work: _Work) -> None:
    global _WORKER_WORK
    _WORKER_WORK = work
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:  # die with the parent (a killed load must not leave workers behind) - Linux only
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _prepare_in_worker(stems: list[str]) -> _ChunkResult:
    assert _WORKER_WORK is not None
    return _WORKER_WORK.prepare_chunk(stems)


def _hash_in_worker(stems: list[str]) -> list[str | None]:
    assert _WORKER_WORK is not None
    return _WORKER_WORK.digests(stems)


HASH_BATCH = 1000  # stored articles hashed per task when a reload hands the hashing to the workers


def resolve_workers(workers: int | None) -> int:
    """Worker processes for preparing chunks: CRITMIN_WORKERS, else one per core (at most 4)."""
    if workers is None:
        workers = int(os.environ.get("CRITMIN_WORKERS") or min(4, os.cpu_count() or 1))
    return max(1, workers) if "fork" in mp.get_all_start_methods() else 1


_Task = tuple[list[str], int]  # article ids to prepare, articles scanned so far


class ChunkPool:
    """Prepares the articles of a run a chunk at a time, in forked workers when there is more
    than one chunk. Enter it before opening the database connection, so no child holds a copy."""

    def __init__(self, index: SeedIndex, report: Report, *, auto: bool, chunk_size: int = CHUNK_ARTICLES,
                 workers: int | None = None, render: bool = False):
        self.index, self.report, self.chunk_size = index, report, chunk_size
        self.workers = resolve_workers(workers)
        self.work: _Work | None = None
        if report.lexicon is not None:
            blocked = {p.article_id for p in report.problems if p.article_id}
            self.work = _Work(index, report.lexicon, report.reference_digest, auto, blocked, render)
        self.pool: Pool | None = None

    def __enter__(self) -> ChunkPool:
        if self.work is not None:
            for table in TABLES:
                schema_for(table)
            if self.workers > 1 and len(self.index.articles) > self.chunk_size:
                self.pool = mp.get_context("fork").Pool(self.workers, initializer=_worker_init, initargs=(self.work,))
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def chunks(self, known: dict[str, str], on_progress: Callable[[int], None] | None = None) -> Iterator[_ChunkResult]:
        """Accepted articles, a chunk at a time, in article order; rejections go to the report.

        With a pool, workers prepare the next chunks while the caller loads this one; at most
        two chunks per worker are in flight, so memory stays flat."""
        if self.work is None:
            return
        tasks = self._tasks(known)
        if self.pool is None:
            results: Iterator[tuple[_Task, _ChunkResult]] = ((task, self.work.prepare_chunk(task[0])) for task in tasks)
        else:
            results = _bounded(self.pool, tasks, 2 * self.workers)
        report = self.report
        for (_, scanned), result in results:
            report.problems += result.problems
            report.dropped += result.dropped
            report.rejected_ids |= result.rejected_ids
            report.accepted += len(result.accepted)
            if result.accepted:
                yield result
            if on_progress:
                on_progress(scanned)
        if on_progress:
            on_progress(len(self.index.articles))

    def _tasks(self, known: dict[str, str]) -> Iterator[_Task]:
        """The articles to prepare, `chunk_size` at a time. Stored articles whose files hash as
        before are counted and skipped here, before any parsing, so a reload with few changes
        hands the workers a few fuller chunks rather than many nearly empty ones (and still
        hands them out while it goes on hashing)."""
        size = self.chunk_size
        stems = sorted(self.index.articles)
        digests = self._stored_digests([stem for stem in stems if stem in known])
        part: list[str] = []
        scanned_since = 0  # articles scanned since the first one in `part`
        for n, stem in enumerate(stems, 1):
            if stem in known and next(digests) == known[stem]:
                self.report.counts.articles_unchanged += 1
            else:
                part.append(stem)  # new, changed, or unreadable (the worker reports why)
            scanned_since += bool(part)
            # A reload with few changes hands out what it found every ten chunks' worth of articles.
            if part and (len(part) == size or n == len(stems) or scanned_since >= 10 * size):
                yield part, n
                part, scanned_since = [], 0


    def _stored_digests(self, stored: list[str]) -> Iterator[str | None]:
        """The content hashes of the stored articles, in order: hashed by the workers (in
        batches, reading files in parallel) when there is a pool, else here."""
        assert self.work is not None
        if self.pool is None:
            yield from self.work.digests(stored)
            return
        batches = [stored[i:i + HASH_BATCH] for i in range(0, len(stored), HASH_BATCH)]
        for digests in self.pool.imap(_hash_in_worker, batches):
            yield from digests


def _bounded(pool: Pool, tasks: Iterator[_Task], in_flight: int) -> Iterator[tuple[_Task, _ChunkResult]]:
    """Results in task order, with no more than `in_flight` tasks submitted and not yet taken."""
    pending: deque = deque()
    for task in tasks:
        pending.append((task, pool.apply_async(_prepare_in_worker, (task[0],))))
        if len(pending) >= in_flight:
            done, result = pending.popleft()
            yield done, result.get()
    while pending:
        done, result = pending.popleft()
        yield done, result.get()
