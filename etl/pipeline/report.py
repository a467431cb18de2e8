"""What a run read, accepted, skipped and rejected, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from etl.load.write import LoadCounts
from etl.problems import Problem
from etl.transform.lexicon import Lexicon


@dataclass
class Report:
    """What a run read, accepted, skipped and rejected, and why."""

    seeds_dir: Path
    lexicon: Lexicon | None = None
    problems: list[Problem] = field(default_factory=list)
    # auto-extracted facts left out, each with its reason: not rejections (the article loads)
    dropped: list[Problem] = field(default_factory=list)
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
