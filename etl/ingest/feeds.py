"""RSS and Atom feeds (feedparser): the items, each with its link, title, date and own content."""

from __future__ import annotations

import io
import re
import xml.sax
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

import feedparser

# An item's own content is the article when it is this long (else the item's page is fetched).
MIN_ARTICLE_CHARS = 600


class FeedError(ValueError):
    """The feed cannot be read (malformed, or no items)."""


@dataclass
class FeedItem:
    link: str | None
    title: str | None
    published: date | None
    summary_text: str        # title + summary + content as plain text, for the relevance check
    content_html: str | None  # the item's own full content when it holds the article


@dataclass
class Feed:
    title: str | None
    link: str | None
    items: list[FeedItem]


def looks_like_feed(text: str) -> bool:
    head = text.lstrip()[:3000].lower()
    return ("<rss" in head or "<feed" in head or "<rdf:rdf" in head) and "<html" not in head[:500]


_TAGS = re.compile(r"<[^>]+>")


def strip_tags(html: str) -> str:
    import html as _html

    return re.sub(r"\s+", " ", _html.unescape(_TAGS.sub(" ", html))).strip()


def _local_date(stamp: str | None) -> date | None:
    """The calendar date as the feed states it, in its own time zone ("Mon, 22 Sep 2025 08:00
    +0900" is the 22nd, although feedparser's UTC struct says the 21st)."""
    if not stamp:
        return None
    try:
        return parsedate_to_datetime(stamp).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(stamp.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def parse_feed(data: bytes) -> Feed:
    # feedparser reads the bytes as data: no network access from here (sanitising its HTML too)
    # a stream, never a string: feedparser fetches a string that looks like a URL or a file name
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    # a feed that is not well-formed XML is refused whole: its items may be cut or merged
    if parsed.bozo and (not parsed.entries or isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)):
        why = parsed.get("bozo_exception")
        if isinstance(why, xml.sax.SAXParseException):
            first = f"XML error at line {why.getLineNumber()}, column {why.getColumnNumber()}: {why.getMessage()}"
        else:
            first = str(why).splitlines()[0] if why else "not a feed"
        raise FeedError(f"malformed feed: {first}")
    if not parsed.entries:
        raise FeedError("the feed lists no items")
    items = []
    for e in parsed.entries:
        published = _local_date(e.get("published") or e.get("updated"))
        if published is None and (when := e.get("published_parsed") or e.get("updated_parsed")):
            published = date(when.tm_year, when.tm_mon, when.tm_mday)  # feedparser's, in UTC
        content = None
        for c in e.get("content", []) or []:
            value = c.get("value") or ""
            if len(strip_tags(value)) >= MIN_ARTICLE_CHARS:
                content = value
                break
        summary = e.get("summary") or ""
        text = " ".join(x for x in (e.get("title") or "", strip_tags(summary),
                                    strip_tags(content or "")) if x)
        items.append(FeedItem(link=e.get("link"), title=(e.get("title") or "").strip() or None,
                              published=published, summary_text=text, content_html=content))
    feed = parsed.get("feed", {})
    return Feed(title=(feed.get("title") or "").strip() or None, link=feed.get("link"), items=items)
