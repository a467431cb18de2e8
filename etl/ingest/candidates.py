"""An article candidate from a text dump, an HTML page or a Markdown file: its kept text and the metadata found, with how."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.ingest import metadata as md
from etl.ingest.dump import Cleaned, Debris, Dropped, classify
from etl.ingest.feeds import FeedItem
from etl.ingest.html import jsonld_flags, read_html
from etl.sources.seeds import ArticleFile, read_article, split_front_matter

MIN_BODY_CHARS = 150      # less kept text than this is "no article text"


class SourceError(Exception):
    """One line: why this source gives no article."""


@dataclass
class Candidate:
    title: md.Found | None
    body: str
    kept: int
    dropped: list[tuple[str, str, bool]]          # (kind, text, cut-from-a-kept-line)
    publisher: md.Found | None
    url: str | None
    published: md.PublishedOn
    language: md.Found
    source_file: str | None = None
    source_url: str | None = None
    ai_generated: md.Found | None = None
    republished_from: md.Found | None = None
    verbatim: bytes | None = None                 # Markdown with front matter: copied as is
    meta: dict[str, Any] | None = None


def decode_page(data: bytes, declared: str | None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        try:
            text16 = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(f"not valid UTF-16 text (byte {exc.start})") from None
        if "\x00" in text16:
            raise SourceError("binary file (NUL characters), not a text page")
        return text16
    if b"\x00" in data[:65536] or data[:5] == b"%PDF-":
        raise SourceError("binary file, not a text or HTML page")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        declared = "utf-8"
    sniff = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.I)
    charset = declared or (sniff.group(1).decode("ascii") if sniff else None) or "utf-8"
    try:
        text = data.decode(charset)
    except LookupError:
        raise SourceError(f"unknown character set {charset!r}") from None
    except UnicodeDecodeError as exc:
        extra = "" if charset.lower().replace("-", "") != "utf8" else " and no other character set is declared"
        raise SourceError(f"not valid {charset} text (byte {exc.start}){extra}") from None
    if "\x00" in text:
        raise SourceError("binary file (NUL characters), not a text page")
    return text


def _text_date(cleaned: Cleaned) -> md.PublishedOn | None:
    for line in cleaned.date_lines:
        if (found := md.published_from_date_line(line)) is not None:
            return found
    lede = [ln for ln in cleaned.lines if ln not in cleaned.captions and re.search(r"[.다]\s*$|다\.", ln)][:2]
    return md.date_from_stamp_and_lede([s for s, _ in cleaned.stamps], lede)


def _publisher_from_text(cleaned: Cleaned) -> tuple[md.Found | None, md.Found | None]:
    """(publisher, republished_from): the site's own byline, else the last copyright line;
    a copyright holder other than the publisher marks a republication."""
    publisher = None
    if cleaned.sites:
        name, line = cleaned.sites[0]
        publisher = md.Found(md.publisher_name(name), f"the site's byline {line!r}")
    elif cleaned.publishers:
        name, line = cleaned.publishers[-1]
        publisher = md.Found(md.publisher_name(name), f"the copyright line {line!r}")
    republished = None
    if publisher is not None:
        for name, line in cleaned.publishers:
            other = md.publisher_name(name)
            if other.casefold() != str(publisher.value).casefold():
                republished = md.Found(other, f"the copyright line {line!r} names another outlet")
                break
    return publisher, republished


def _dropped(cleaned: Cleaned) -> list[tuple[str, str, bool]]:
    return [(d.kind, d.text, d.cut) for d in cleaned.dropped]


def candidate_from_text(text: str, debris: Debris) -> Candidate:
    cleaned = classify(text, debris, has_title=True)
    publisher, republished = _publisher_from_text(cleaned)
    ai = md.Found(True, f"the page says {cleaned.flag_lines[0]!r}") if "ai_generated" in cleaned.flags else None
    return Candidate(
        title=md.Found(cleaned.title, "the first line of the page") if cleaned.title else None,
        body=cleaned.body, kept=len(cleaned.lines), dropped=_dropped(cleaned), publisher=publisher, url=None,
        published=_text_date(cleaned) or md.PublishedOn.unknown("the text states no full date (no date line, no dated photo stamp with a day in the lede)"),
        language=md.detect_language(cleaned.body), ai_generated=ai, republished_from=republished)


def candidate_from_html(html: str, debris: Debris, url: str | None, item: FeedItem | None = None,
                        feed_title: str | None = None) -> Candidate:
    page = read_html(html, url)
    if page is None:
        raise SourceError("no article text found in the page (trafilatura found no main text)")
    cleaned = classify(page.text, debris, has_title=False)
    lines = cleaned.lines
    title_value = page.title or (item.title if item else None)
    if title_value and lines and lines[0].strip() == title_value.strip():
        cleaned.dropped.insert(0, Dropped("duplicate_title", lines[0]))
        lines = cleaned.lines = lines[1:]
    title = (md.Found(page.title, "page metadata (<title>/og:title, read by trafilatura)") if page.title
             else md.Found(item.title, "the feed item's title") if item and item.title else None)
    text_pub, republished = _publisher_from_text(cleaned)
    page_url = url or page.url
    if page.sitename:
        publisher = md.Found(page.sitename, "page metadata (site name, read by trafilatura)")
    elif feed_title:
        publisher = md.Found(feed_title, "the feed's title")
    elif text_pub is not None:
        publisher = text_pub
    elif md.host_of(page_url):
        publisher = md.Found(md.host_of(page_url), "the host of the URL")
    else:
        publisher = None
    if page.published:
        published = md.PublishedOn(page.published, "day", page.published_how or "page metadata")
    elif item and item.published:
        published = md.PublishedOn(item.published, "day", "the feed item's date")
    else:
        published = (_text_date(cleaned) or md.date_from_url(page_url)
                     or md.PublishedOn.unknown("neither the page metadata, the text nor the URL states a date"))
    flags = jsonld_flags(html)
    if "republished_from" in flags and flags["republished_from"]:
        republished = md.Found(flags["republished_from"], "page metadata (JSON-LD isBasedOn)")
    ai = md.Found(True, f"the page says {cleaned.flag_lines[0]!r}") if "ai_generated" in cleaned.flags else None
    return Candidate(title=title, body=cleaned.body, kept=len(lines), dropped=_dropped(cleaned),
                     publisher=publisher, url=page_url, published=published,
                     language=md.detect_language(cleaned.body), ai_generated=ai, republished_from=republished)


def candidate_from_markdown(text: str, data: bytes, source: Path, seeds_dir: Path) -> Candidate | None:
    """Markdown with front matter: validated with the seed validator, then copied as it is."""
    from etl.problems import Problem
    from etl.transform.facts import transform_article

    front, _ = split_front_matter(text)
    if front is None:
        return None
    problems: list[Problem] = []
    art = read_article(source, source.parent, problems, data=data)
    if art is None:
        raise SourceError(problems[0].reason if problems else "front matter cannot be read")
    if not re.search(r"(?m)^id\s*:", front):
        art.meta.pop("id", None)   # read_article took the file name; add derives the id instead
    # validate as the loader will (an id is checked against the file name it will get)
    stem = str(art.meta.get("id") or "probe-article")
    probe = ArticleFile(source.parent / f"{stem}.md", art.rel, {**art.meta, "id": stem}, art.body, data)
    facts = transform_article(probe, None, None, "")  # no entity file: the lexicon is not needed
    if facts.problems:
        p = facts.problems[0]
        raise SourceError(f"front matter field {p.field}: {p.reason}" if p.field else p.reason)
    meta = art.meta
    row = facts.rows["article"][0]
    published = md.PublishedOn(row["published_on"], row["published_precision"], "the front matter")
    return Candidate(
        title=md.Found(meta.get("title"), "the front matter"), body=art.body,
        kept=len([ln for ln in art.body.splitlines() if ln.strip()]), dropped=[],
        publisher=md.Found(meta.get("publisher"), "the front matter") if meta.get("publisher") else None,
        url=meta.get("url") if isinstance(meta.get("url"), str) else None, published=published,
        language=md.Found(row["language"], "the front matter" if meta.get("language") else "detected"),
        verbatim=data, meta=dict(meta))
