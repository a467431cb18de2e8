"""HTML pages: trafilatura takes out the main text and the page metadata, htmldate the date.

No boilerplate remover of our own: trafilatura decides what the article is; the line classifier
(etl/ingest/dump.py) then only cuts the debris trafilatura keeps inside it (captions, credits).
Nothing in the page runs: lxml parses it as data (no scripts, no network).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import htmldate
import trafilatura


@dataclass
class HtmlPage:
    title: str | None
    text: str               # the main text, one paragraph per line
    sitename: str | None
    url: str | None         # the page's canonical URL, when it states one
    published: date | None
    published_how: str | None
    language: str | None    # the page's own language hint (html lang / og:locale)


_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2})", re.I)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<html" in head and "<body" in text[:20000].lower())


def _date_how(html: str, found: str) -> str:
    """Name the markup that states the date htmldate found, for the report."""
    day = re.escape(found)
    if re.search(r'"datePublished"\s*:\s*"' + day, html):
        return "page metadata (JSON-LD datePublished, read by htmldate)"
    if re.search(r'article:published_time"\s+content="' + day, html):
        return "page metadata (OpenGraph article:published_time, read by htmldate)"
    if re.search(r'<time[^>]+datetime="' + day, html):
        return "page metadata (a <time> element, read by htmldate)"
    return "page metadata (read by htmldate)"


def read_html(html: str, url: str | None = None) -> HtmlPage | None:
    """The page's main text and metadata; None when trafilatura finds no article text."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, favor_precision=True, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        return None
    # htmldate without its extensive search reads only the page's date markup (JSON-LD,
    # OpenGraph, <meta>, <time>), never a date guessed from the text; the URL is read separately.
    found = htmldate.find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    published = date.fromisoformat(found) if found else None
    lang = _LANG.search(html[:5000])
    return HtmlPage(
        title=(doc.title or "").strip() or None,
        text=doc.text,
        sitename=(doc.sitename or "").strip() or None,
        url=doc.url or None,
        published=published,
        published_how=_date_how(html, found) if found else None,
        language=lang.group(1).lower() if lang else None,
    )


def jsonld_flags(html: str) -> dict[str, str]:
    """Labels a page states about itself in JSON-LD: an original it republishes (isBasedOn)."""
    out: dict[str, str] = {}
    for block in re.findall(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", html, re.S | re.I):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("isBasedOn"), (str, dict)):
                based = item["isBasedOn"]
                out["republished_from"] = based if isinstance(based, str) else str(based.get("url") or based.get("name") or "")
    return out
