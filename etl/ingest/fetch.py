"""A bounded HTTP client for untrusted pages: timeouts, a size limit, content-type checks and a
bounded number of redirects (each one checked: http or https only). Nothing fetched is run.

URLs in messages are shown without user name, password or query values that look like secrets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=10.0, pool=5.0)
USER_AGENT = "critmin-add/0.1 (+https://pypi.org/project/critmin/)"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/feed+json")
_SECRET = re.compile(r"token|key|secret|pass|sig|auth|session", re.I)


class FetchError(Exception):
    """One line saying why a URL could not be fetched."""


@dataclass
class Fetched:
    url: str                # the final URL, after redirects
    content_type: str
    charset: str | None
    data: bytes


def safe_url(url: str) -> str:
    """The URL as it may be printed or stored: no credentials, secret-looking query values masked."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    query = urlencode([(k, "***" if _SECRET.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
                      safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def is_url(source: str) -> bool:
    return bool(re.match(r"^https?://", source, re.I))


def fetch(url: str, *, accept: tuple[str, ...] = PAGE_TYPES + FEED_TYPES, max_bytes: int | None = None,
          timeout: httpx.Timeout | None = None, client: httpx.Client | None = None) -> Fetched:
    """GET the URL, following at most MAX_REDIRECTS redirects; FetchError with the reason otherwise."""
    max_bytes = max_bytes or MAX_BYTES
    timeout = timeout or TIMEOUT
    own = client is None
    client = client or httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                                    headers={"User-Agent": USER_AGENT, "Accept": ", ".join(accept)})
    try:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if urlsplit(current).scheme.lower() not in ("http", "https"):
                raise FetchError(f"redirected to a {urlsplit(current).scheme or 'relative'} URL: only http and https are fetched")
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise FetchError(f"HTTP {resp.status_code} redirect without a Location")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype and ctype not in accept:
                        raise FetchError(f"content type {ctype!r} is not a web page or a feed")
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"page is {int(declared) // 1024} KB, over the {max_bytes // 1024} KB limit")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(f"page is over the {max_bytes // 1024} KB limit")
                        chunks.append(chunk)
                    return Fetched(str(resp.url), ctype, resp.charset_encoding, b"".join(chunks))
            except httpx.TimeoutException:
                raise FetchError("timed out") from None
            except httpx.TooManyRedirects:
                raise FetchError("too many redirects") from None
            except httpx.InvalidURL as exc:
                raise FetchError(f"invalid URL: {exc}") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")) from None
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")
    finally:
        if own:
            client.close()
