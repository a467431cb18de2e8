"""`critmin add`: one source (a page dump, an HTML file, Markdown with front matter, a URL, a
feed) → cleaned articles in seeds/articles/, each with honest metadata and the reasons for it.

A source never stops the others: each gives one Outcome (a feed one per item); the command line
prints them and turns any `error` into exit status 1.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

from etl.ingest import metadata as md
from etl.ingest.candidates import (
    MIN_BODY_CHARS,
    Candidate,
    SourceError,
    candidate_from_html,
    candidate_from_markdown,
    candidate_from_text,
    decode_page,
)
from etl.ingest.dedupe import ArticleIndex, Duplicate
from etl.ingest.dump import load_debris
from etl.ingest.feeds import FeedError, FeedItem, looks_like_feed, parse_feed
from etl.ingest.fetch import Fetched, FetchError, fetch, is_url, safe_url
from etl.ingest.html import looks_like_html
from etl.ingest.summary import facts_summary, front_matter_notes, report_lines
from etl.ingest.write import Exists, render, write_new
from etl.paths import resource_dir
from etl.sources.seeds import read_reference

MAX_SOURCE_BYTES = 5 * 1024 * 1024


MAX_FEED_ITEMS = 200      # items read from one feed per run (each may be a fetch)


@dataclass
class Options:
    seeds_dir: Path
    article_id: str | None = None
    language: str | None = None
    published_on: md.PublishedOn | None = None
    publisher: str | None = None
    force: bool = False
    client: httpx.Client | None = None      # tests pass one; else each fetch opens its own


@dataclass
class Outcome:
    source: str
    status: str                   # added | duplicate | near_copy | not_relevant | error
    message: str
    article_id: str | None = None
    file: str | None = None
    report: list[str] = field(default_factory=list)   # what was kept/dropped, metadata and how, facts

    @property
    def is_error(self) -> bool:
        return self.status == "error"


def prepare_seeds(seeds_dir: Path) -> list[str]:
    """Make `seeds_dir` a seed folder: articles/ and, when it has none, a copy of the bundled
    reference lexicons (so `critmin load --seeds DIR` works on it). Returns what was done."""
    done = []
    (seeds_dir / "articles").mkdir(parents=True, exist_ok=True)
    ref = seeds_dir / "reference"
    if not ref.is_dir():
        src = resource_dir("seeds") / "reference"
        shutil.copytree(src, ref)
        done.append(f"new seed folder {seeds_dir}: copied the reference lexicons from {src}")
    return done


def _mineral_pattern(seeds_dir: Path) -> re.Pattern[str]:
    ref = read_reference(seeds_dir, []) or read_reference(resource_dir("seeds"), [])
    if ref is None:
        raise SourceError("cannot read reference/minerals.yaml for the relevance check")
    words: set[str] = set()
    for m in ref.minerals:
        # the aliases only: the lexicon leaves ambiguous names out of them ("lead", 납, 금)
        for w in m.get("aliases") or []:
            if isinstance(w, str) and w.strip():
                words.add(w.strip().replace("_", " "))
    parts = []
    for w in sorted(words, key=len, reverse=True):
        esc = re.escape(w)
        parts.append(rf"(?<![A-Za-z]){esc}(?![A-Za-z])" if w.isascii() else esc)
    return re.compile("|".join(parts), re.I)


def _read_file(path: Path) -> bytes:
    try:
        if not path.exists():
            raise SourceError("no such file")
        if path.is_dir():
            raise SourceError("is a folder, not a page or feed")
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(f"file is {size // 1024} KB, over the {MAX_SOURCE_BYTES // 1024} KB limit")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise SourceError("empty file")
    return data


def _choose_id(cand: Candidate, opts: Options, index: ArticleIndex, fallback: str) -> str:
    articles = opts.seeds_dir / "articles"

    def taken(i: str) -> bool:
        return any((articles / f"{i}{ext}").exists() for ext in (".md", ".txt", ".markdown")) or index.has_id(i)

    if opts.article_id:
        if taken(opts.article_id):
            raise SourceError(f"--id {opts.article_id}: articles/{opts.article_id}.md already exists (nothing is overwritten)")
        return opts.article_id
    if cand.meta and cand.meta.get("id"):
        given = str(cand.meta["id"])
        if taken(given):
            raise SourceError(f"its id {given!r} is taken: articles/{given}.md already exists (give --id)")
        return given
    base = md.make_id(cand.publisher.value if cand.publisher else None, cand.published,
                      cand.title.value if cand.title else None, fallback)
    if not taken(base):
        return base
    n = 2
    while taken(md.with_suffix(base, n)):
        n += 1
    return md.with_suffix(base, n)


def _apply_flags(cand: Candidate, opts: Options) -> None:
    if opts.publisher:
        cand.publisher = md.Found(opts.publisher, "the --publisher flag")
    if opts.published_on is not None:
        cand.published = opts.published_on
    if opts.language:
        cand.language = md.Found(opts.language, "the --language flag")


def _emit(cand: Candidate, source: str, opts: Options, index: ArticleIndex, fallback: str) -> Outcome:
    if len(cand.body.strip()) < MIN_BODY_CHARS:
        raise SourceError(f"no article text: {len(cand.body.strip())} characters kept "
                          f"({len(cand.dropped)} debris lines dropped)")
    if not cand.title or not str(cand.title.value or "").strip():
        raise SourceError("no title found (the page states none)")
    on = cand.published.on
    if on is not None and not (date(1900, 1, 1) <= on <= date.today()) and opts.published_on is None:
        cand.published = md.PublishedOn.unknown(f"the page states {on.isoformat()}, outside 1900 to today: not used")
    _apply_flags(cand, opts)
    urls = [cand.url, cand.source_url]
    dup = index.find(cand.body, urls)
    if dup is not None and not (opts.force and dup.why == "near_copy"):
        return _duplicate_outcome(source, dup)
    article_id = _choose_id(cand, opts, index, fallback)
    if cand.verbatim is not None and not opts.article_id:
        text = cand.verbatim.decode("utf-8")
        meta = dict(cand.meta or {})
    else:
        meta = {
            "id": article_id, "title": str(cand.title.value).strip(),
            "publisher": cand.publisher.value if cand.publisher else None,
            "url": safe_url(cand.url) if cand.url else None,
            "published_on": cand.published.on, "published_precision": cand.published.precision,
            "language": cand.language.value,
        }
        if cand.source_file:
            meta["source_file"] = cand.source_file
        if cand.source_url:
            meta["source_url"] = safe_url(cand.source_url)
        meta["ai_generated"] = bool(cand.ai_generated)
        meta["republished_from"] = cand.republished_from.value if cand.republished_from else None
        meta["notes"] = front_matter_notes(cand, source)
        if cand.meta:  # Markdown given a new --id: its own fields stay
            meta = {**cand.meta, **{k: v for k, v in meta.items() if k in ("id",)}}
        text = render(meta, cand.body)
    path = opts.seeds_dir / "articles" / f"{article_id}.md"
    try:
        write_new(path, text)
    except Exists:
        raise SourceError(f"articles/{path.name} appeared while writing: not overwritten") from None
    except OSError as exc:
        raise SourceError(f"cannot write articles/{path.name}: {exc.strerror or exc}") from None
    index.add(article_id, f"articles/{path.name}", cand.body, urls)
    facts = facts_summary(meta, cand.body, opts.seeds_dir)
    forced = f" (--force: near-copy of {dup.article_id}, similarity {dup.similarity:.2f})" if dup else ""
    return Outcome(source, "added", f"added articles/{path.name}{forced}", article_id,
                   f"articles/{path.name}", report_lines(cand, facts))


def _duplicate_outcome(source: str, dup: Duplicate) -> Outcome:
    if dup.why == "same_url":
        msg = f"already added: the same URL is in {dup.file}"
        status = "duplicate"
    elif dup.why == "same_body":
        msg = f"already added: the same text is in {dup.file}"
        status = "duplicate"
    else:
        msg = (f"near-copy of {dup.article_id} ({dup.file}): word-shingle similarity {dup.similarity:.2f} "
               f"≥ 0.90; not added (--force adds it)")
        status = "near_copy"
    return Outcome(source, status, msg, dup.article_id, dup.file)


class Adder:
    def __init__(self, opts: Options):
        self.opts = opts
        self.notices = prepare_seeds(opts.seeds_dir)
        self.debris = load_debris(opts.seeds_dir)
        self.index = ArticleIndex.of_folder(opts.seeds_dir)
        self._minerals: re.Pattern[str] | None = None

    @property
    def minerals(self) -> re.Pattern[str]:
        if self._minerals is None:
            self._minerals = _mineral_pattern(self.opts.seeds_dir)
        return self._minerals

    def _fetch(self, url: str) -> Fetched:
        return fetch(url, client=self.opts.client)

    def add(self, source: str) -> list[Outcome]:
        shown = safe_url(source) if is_url(source) else source
        try:
            if is_url(source):
                return self._add_url(source, shown)
            return self._add_file(Path(source), shown)
        except (SourceError, FetchError, FeedError) as exc:
            return [Outcome(shown, "error", str(exc))]

    def _add_url(self, url: str, shown: str) -> list[Outcome]:
        if dup := self.index.url_seen(url):
            return [_duplicate_outcome(shown, dup)]
        got = self._fetch(url)
        text = decode_page(got.data, got.charset)
        if "rss" in got.content_type or "atom" in got.content_type or looks_like_feed(text):
            return self._add_feed(got.data, shown)
        if got.content_type == "text/plain":
            cand = candidate_from_text(text, self.debris)
            cand.url = got.url
        else:
            cand = candidate_from_html(text, self.debris, got.url)
        cand.source_url = url if url != cand.url else None   # the URL as given, when redirected
        return [_emit(cand, shown, self.opts, self.index, md.host_of(got.url) or "page")]

    def _add_file(self, path: Path, shown: str) -> list[Outcome]:
        data = _read_file(path)
        text = decode_page(data, None)
        if not text.strip():
            raise SourceError("empty file")
        if looks_like_feed(text) and not looks_like_html(text):
            return self._add_feed(data, shown)
        if looks_like_html(text) or path.suffix.lower() in (".html", ".htm", ".xhtml"):
            cand = candidate_from_html(text, self.debris, None)
        elif text.lstrip("\ufeff").startswith("---"):
            cand = candidate_from_markdown(text, data, path, self.opts.seeds_dir)
            if cand is None:
                raise SourceError("front matter is not closed by a '---' line")
        else:
            cand = candidate_from_text(text, self.debris)
        if cand.verbatim is None:
            cand.source_file = path.name
        return [_emit(cand, shown, self.opts, self.index, path.stem)]

    def _add_feed(self, data: bytes, shown: str) -> list[Outcome]:
        feed = parse_feed(data)
        out = []
        worked = 0
        for n, item in enumerate(feed.items, 1):
            label = f"{shown} item {n}" + (f" ({safe_url(item.link)})" if item.link else "")
            if item.link and (dup := self.index.url_seen(item.link)):
                out.append(_duplicate_outcome(label, dup))  # known items cost nothing
                continue
            if worked == MAX_FEED_ITEMS:
                left = sum(1 for it in feed.items[n - 1:] if not (it.link and self.index.url_seen(it.link)))
                out.append(Outcome(shown, "error", f"{left} more new items not read: over the limit of "
                                                   f"{MAX_FEED_ITEMS} per run (re-run to continue)"))
                break
            worked += 1
            try:
                out.append(self._add_item(item, feed.title, label))
            except (SourceError, FetchError) as exc:
                out.append(Outcome(label, "error", str(exc)))
        return out

    def _add_item(self, item: FeedItem, feed_title: str | None, label: str) -> Outcome:
        if not self.minerals.search(item.summary_text):
            return Outcome(label, "not_relevant", f"skipped: {item.title or 'the item'!r} mentions no mineral of reference/minerals.yaml")
        if item.content_html:
            html = (f"<html><head><title>{_esc(item.title or '')}</title></head>"
                    f"<body><article>{item.content_html}</article></body></html>")
            cand = candidate_from_html(html, self.debris, item.link, item, feed_title)
            if cand.title and cand.title.how.startswith("page metadata"):
                cand.title = md.Found(cand.title.value, "the feed item's title")
            if item.published:
                cand.published = md.PublishedOn(item.published, "day", "the feed item's date")
            if cand.publisher and cand.publisher.how.startswith("page metadata") and feed_title:
                cand.publisher = md.Found(feed_title, "the feed's title")
        elif item.link:
            got = self._fetch(item.link)
            cand = candidate_from_html(decode_page(got.data, got.charset), self.debris, got.url, item, feed_title)
        else:
            raise SourceError("the item has no link and no full content")
        cand.source_url = item.link if item.link and item.link != cand.url else None
        return _emit(cand, label, self.opts, self.index, md.host_of(item.link) or "item")


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def add_sources(sources: list[str], opts: Options) -> tuple[list[str], list[Outcome]]:
    """(notices, one Outcome per article or source) for the sources, in order."""
    adder = Adder(opts)
    outcomes: list[Outcome] = []
    for s in sources:
        outcomes += adder.add(s)
    return adder.notices, outcomes
