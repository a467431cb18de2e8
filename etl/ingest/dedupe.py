"""No duplicates: the same URL, the same body (content hash) or a near-copy (word-shingle
similarity) of an article already under seeds/articles/.

Near-copies are found with datasketch (MinHash LSH over word 3-shingles) and confirmed with the
exact Jaccard similarity of the two shingle sets, which is what the message reports.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from etl.sources.seeds import read_article

NEAR_COPY = 0.9          # word-shingle Jaccard at or above this is a near-copy
SHINGLE_WORDS = 3
NUM_PERM = 128
EXACT_UP_TO = 2000      # up to this many articles every one is compared exactly
_LSH_THRESHOLD = 0.7     # candidates for the exact check (below NEAR_COPY, so none is missed)
_WORD = re.compile(r"\w+")


def normalise(body: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", body)).strip()


def body_hash(body: str) -> str:
    """SHA-256 of the body with whitespace normalised (a re-wrapped copy is the same body)."""
    return hashlib.sha256(normalise(body).encode("utf-8")).hexdigest()


def shingles(body: str) -> set[str]:
    words = [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", body))]
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def canonical_url(url: str | None) -> str | None:
    if not url:
        return None
    u = url.strip()
    u = re.sub(r"#.*$", "", u)
    u = re.sub(r"^https?://(www\.)?", "", u, flags=re.I)
    return u.rstrip("/").lower() or None


@dataclass
class Duplicate:
    article_id: str
    file: str
    why: str                 # same_url | same_body | near_copy
    similarity: float | None = None


@dataclass
class ArticleIndex:
    """The URLs, body hashes and shingles of the articles in a seed folder (and those just added)."""

    by_url: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_hash: dict[str, tuple[str, str]] = field(default_factory=dict)
    shingles: dict[str, set[str]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    lsh: MinHashLSH = field(default_factory=lambda: MinHashLSH(threshold=_LSH_THRESHOLD, num_perm=NUM_PERM))

    @classmethod
    def of_folder(cls, seeds_dir: Path) -> ArticleIndex:
        index = cls()
        folder = seeds_dir / "articles"
        if not folder.is_dir():
            return index
        for path in sorted(folder.glob("*.md")):
            art = read_article(path, seeds_dir, [])
            if art is None:
                continue  # an unreadable file is `critmin validate`'s to report
            url = art.meta.get("url") if isinstance(art.meta.get("url"), str) else None
            src = art.meta.get("source_url") if isinstance(art.meta.get("source_url"), str) else None
            index.add(str(art.meta.get("id") or path.stem), f"articles/{path.name}", art.body, [url, src])
        return index

    def add(self, article_id: str, file: str, body: str, urls: list[str | None]) -> None:
        for u in urls:
            if (key := canonical_url(u)) is not None:
                self.by_url.setdefault(key, (article_id, file))
        self.by_hash.setdefault(body_hash(body), (article_id, file))
        sh = shingles(body)
        if article_id in self.shingles or not sh:
            return
        self.shingles[article_id] = sh
        self.files[article_id] = file
        self.lsh.insert(article_id, _minhash(sh))

    def has_id(self, article_id: str) -> bool:
        return article_id in self.files or any(a == article_id for a, _ in self.by_hash.values())

    def url_seen(self, url: str | None) -> Duplicate | None:
        key = canonical_url(url)
        if key is not None and key in self.by_url:
            aid, file = self.by_url[key]
            return Duplicate(aid, file, "same_url")
        return None

    def find(self, body: str, urls: list[str | None]) -> Duplicate | None:
        """The existing article this one duplicates, or None."""
        for u in urls:
            if dup := self.url_seen(u):
                return dup
        if (hit := self.by_hash.get(body_hash(body))) is not None:
            return Duplicate(hit[0], hit[1], "same_body", 1.0)
        sh = shingles(body)
        if not sh:
            return None
        best: Duplicate | None = None
        # a few thousand articles: the exact similarity with each; more: LSH candidates only
        candidates = self.shingles if len(self.shingles) <= EXACT_UP_TO else self.lsh.query(_minhash(sh))
        for aid in candidates:
            sim = jaccard(sh, self.shingles[aid])
            if sim >= NEAR_COPY and (best is None or sim > (best.similarity or 0)):
                best = Duplicate(aid, self.files[aid], "near_copy", sim)
        return best


def _minhash(sh: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([s.encode("utf-8") for s in sh])
    return m
