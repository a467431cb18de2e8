"""One article through extract → transform: read its files, hash them, build its facts.

The unit of acceptance is one article: an article with any problem is rejected whole and its
earlier version, if loaded, stays. Problems in the shared reference files stop the load.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from etl.paths import reference_file
from etl.pipeline.report import Report
from etl.problems import Problem, shorten
from etl.sources.seeds import (
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
from etl.text import load_units
from etl.transform.facts import ArticleFacts, article_id_problems, transform_article
from etl.transform.lexicon import Lexicon, build_lexicon
from etl.validate.articles import validate_articles, validate_reference

# Part of the content hash of auto-extracted facts: a new extractor re-drafts every such article.
AUTO_SALT = b"auto-extracted:v1"


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
        ent, left_out = _auto_entities(art, stem, index.root)
        report.dropped += left_out
    return transform_article(art, ent, lex, digest, "auto" if drafted else "curated")


def _auto_entities(art: ArticleFile, stem: str, seeds_dir: Path) -> tuple[EntityFile, list[Problem]]:
    """Facts drafted by the extractor for an article that has no curated file, and those it
    found but left out (each with its reason)."""
    from etl.extractor import draft_entities

    meta = art.meta
    draft, dropped = draft_entities(stem, art.body, meta.get("published_on"), meta.get("language"),
                                    seeds_dir=seeds_dir, title=meta.get("title"))
    rel = f"{art.rel} (auto-extracted facts)"
    data = {k: v for k, v in draft.items() if not k.startswith("_")}
    # Drafted agreements stay the article's own: a guessed key must never merge into a curated
    # agreement or into another article's guess.
    for agreement in data.get("agreements") or []:
        if isinstance(agreement, dict) and isinstance(agreement.get("key"), str):
            agreement["key"] = f"{stem}-{agreement['key']}"
    return EntityFile(art.path, rel, data, b""), [_left_out(rel, d.fact, d.reason) for d in dropped]


def _left_out(rel: str, fact: dict[str, Any], reason: str) -> Problem:
    """A drafted fact that is not loaded, as one line: which fact, and why."""
    kind = fact.get("type", "fact")
    what = fact.get("name") or fact.get("title") or " ".join(
        str(fact[k]) for k in ("quantity", "unit", "mineral") if fact.get(k) is not None)
    evidence = fact.get("evidence")
    return Problem(rel, f"auto-extracted {kind} not loaded: {reason}", record=f"{kind} {shorten(what, 60)}",
                   raw=shorten(evidence) if isinstance(evidence, str) else None)


def _settle(batch: list[ArticleFacts], blocked: set[str], report: Report, lex: Lexicon) -> list[ArticleFacts]:
    """Validate a chunk; keep the accepted, record the rejected (auto facts that fail are dropped)."""
    report.problems += validate_articles(batch, lex.units)
    accepted = []
    for f in batch:
        drafted = [p for p in f.problems if p.file != f.rel]
        if f.review_status == "auto" and drafted:
            # The extractor's mistakes must not reject the article: its facts are left out, each reason kept.
            report.dropped += [replace(p, reason=f"auto-extracted facts not loaded: {p.reason}", article_id=None)
                               for p in drafted]
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
        # the seed folder's own units.yaml: the one its reference digest hashes
        report.lexicon.units = load_units(reference_file(seeds_dir, "units.yaml"))
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
