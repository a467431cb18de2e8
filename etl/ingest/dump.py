"""The line classifier for page text: which lines are the article's own, which are page debris.

The patterns are data (seeds/reference/page_debris.yaml, checked with pydantic when read). Every
kept line is the page's text with at most debris cut from its start or end (a dateline, a photo
credit, ticker residue, a glued citation), so evidence quotes can be checked against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from etl.paths import resource_dir

DEBRIS_FILE = "page_debris.yaml"


class DebrisError(ValueError):
    """page_debris.yaml cannot be read or is not valid."""


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(min_length=1)
    action: Literal["line", "strip", "block", "related"]
    patterns: list[str] = Field(min_length=1)
    max_len: int | None = Field(default=None, gt=0)
    flag: Literal["ai_generated"] | None = None
    caption: bool = False
    lines: int = Field(default=0, ge=0)
    # YAML key `continue` (a Python keyword): the lines a block goes on over
    continue_: str | None = Field(default=None, alias="continue")

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} is not a valid regular expression: {exc}") from None
        return patterns

    @field_validator("continue_")
    @classmethod
    def _continue_compiles(cls, p: str | None) -> str | None:
        if p is not None:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"continue {p!r} is not a valid regular expression: {exc}") from None
        return p


class Captions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sentence: str


class Citations(BaseModel):
    model_config = ConfigDict(extra="forbid")
    marker: str
    min_left: int = Field(default=3, ge=1)


class DebrisFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1]
    rules: list[Rule] = Field(min_length=1)
    captions: Captions
    citations: Citations


@dataclass(frozen=True)
class CompiledRule:
    kind: str
    action: str
    regexes: tuple[re.Pattern[str], ...]
    max_len: int | None
    flag: str | None
    caption: bool
    lines: int
    continue_: re.Pattern[str] | None

    def search(self, text: str) -> re.Match[str] | None:
        if self.max_len is not None and len(text) > self.max_len:
            return None
        for rx in self.regexes:
            m = rx.search(text)
            if m:
                return m
        return None


@dataclass(frozen=True)
class Debris:
    path: str
    rules: tuple[CompiledRule, ...]
    caption_sentence: re.Pattern[str]
    citation_marker: re.Pattern[str]
    citation_min_left: int


def debris_path(seeds_dir: Path | None) -> Path:
    """`<seeds>/reference/page_debris.yaml` when that seed folder has one, else the bundled file."""
    if seeds_dir is not None:
        own = seeds_dir / "reference" / DEBRIS_FILE
        if own.is_file():
            return own
    return resource_dir("seeds") / "reference" / DEBRIS_FILE


@lru_cache(maxsize=8)
def _load(path_str: str, mtime_ns: int) -> Debris:
    path = Path(path_str)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DebrisError(f"{path}: cannot read the page-debris patterns: {str(exc).splitlines()[0]}") from None
    try:
        parsed = DebrisFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise DebrisError(f"{path}: {where}: {first['msg']}") from None
    rules = tuple(
        CompiledRule(r.kind, r.action, tuple(re.compile(p, re.I) for p in r.patterns), r.max_len, r.flag,
                     r.caption, r.lines, re.compile(r.continue_, re.I) if r.continue_ else None)
        for r in parsed.rules)
    # strip rules first, then the others, each group in file order
    rules = tuple(r for r in rules if r.action == "strip") + tuple(r for r in rules if r.action != "strip")
    return Debris(str(path), rules, re.compile(parsed.captions.sentence),
                  re.compile(parsed.citations.marker), parsed.citations.min_left)


def load_debris(seeds_dir: Path | None = None) -> Debris:
    path = debris_path(seeds_dir)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise DebrisError(f"{path}: cannot read the page-debris patterns: {exc.strerror or exc}") from None
    return _load(str(path), mtime)


# ------------------------------------------------------------------------------ classify


@dataclass
class Dropped:
    kind: str
    text: str           # the dropped line or the part cut from a kept line
    cut: bool = False   # True: a part of a kept line


@dataclass
class Cleaned:
    title: str | None
    lines: list[str]                                    # kept lines (paragraphs), in order
    dropped: list[Dropped] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)        # ai_generated
    flag_lines: list[str] = field(default_factory=list)
    publishers: list[tuple[str, str]] = field(default_factory=list)   # (name, the line it came from)
    sites: list[tuple[str, str]] = field(default_factory=list)
    stamps: list[tuple[str, str]] = field(default_factory=list)       # photo stamps (2025.09.19, line)
    date_lines: list[str] = field(default_factory=list)
    captions: set[str] = field(default_factory=set)                   # kept lines that are photo captions

    @property
    def body(self) -> str:
        return "\n\n".join(self.lines)


_BLANK = re.compile(r"^[\s\u00a0\u200b\ufeff]*$")


def _group(m: re.Match[str], name: str) -> str | None:
    try:
        value = m.group(name)
    except IndexError:
        return None
    return value.strip() if value else None


def _cut_citations(line: str, debris: Debris) -> tuple[str, list[str]]:
    """Remove `[n]` markers and the citation titles glued before them."""
    cuts: list[str] = []
    while True:
        m = debris.citation_marker.search(line)
        if not m:
            return line, cuts
        end = m.end()
        while True:  # consecutive markers: [2][3]
            nxt = debris.citation_marker.match(line, end)
            if not nxt:
                break
            end = nxt.end()
        before = line[:m.start()]
        prev = debris.citation_marker.search(before)
        floor = 0
        while prev:  # the segment starts after the previous marker
            floor = prev.end()
            prev = debris.citation_marker.search(before, floor)
        start = m.start()
        # a word of at least min_left letters (capitalised or not) with a capital or digit glued on
        glue = re.compile(rf"^[^A-Za-z0-9]*[A-Za-z][a-z]{{{debris.citation_min_left - 1},}}(?=[A-Z0-9])")
        for tok in reversed(list(re.finditer(r"\S+", before[floor:]))):
            g = glue.search(tok.group())
            if g:
                start = floor + tok.start() + g.end()
                break
        cuts.append(line[start:end])
        line = line[:start] + line[end:]


def _judge(line: str, debris: Debris, out: Cleaned, actions: tuple[str, ...]) -> CompiledRule | None:
    """The first rule with one of `actions` that matches the line; its named groups are noted."""
    for rule in debris.rules:
        if rule.action not in actions:
            continue
        m = rule.search(line)
        if m:
            if pub := _group(m, "publisher"):
                out.publishers.append((pub, line))
            if site := _group(m, "site"):
                out.sites.append((site, line))
            if rule.flag:
                out.flags.add(rule.flag)
                out.flag_lines.append(line)
            return rule
    return None


def _drop(rule: CompiledRule, line: str, out: Cleaned) -> None:
    out.dropped.append(Dropped(rule.kind, line))
    if rule.kind == "dateline":
        out.date_lines.append(line)


def _page_tickers(raw: list[str], debris: Debris) -> re.Pattern[str] | None:
    """The page's own ticker lines name the tickers glued into its sentences ("PKX--")."""
    tickers: set[str] = set()
    for ln in raw:
        for rule in debris.rules:
            if rule.kind == "ticker_residue" and rule.action == "line":
                m = rule.search(ln.strip())
                if m and _group(m, "ticker"):
                    tickers.add(m.group("ticker"))
    return re.compile("|".join(re.escape(t) + "--" for t in sorted(tickers))) if tickers else None


def _strip(line: str, original: str, debris: Debris, out: Cleaned,
           inline_tickers: re.Pattern[str] | None) -> tuple[str, bool]:
    """The line with debris cut off by the strip rules (each cut recorded); (rest, is a caption)."""
    is_caption = False
    if inline_tickers is not None:
        for m in list(inline_tickers.finditer(line)):
            out.dropped.append(Dropped("ticker_residue", m.group(), cut=True))
        line = inline_tickers.sub("", line)
    for rule in debris.rules:
        if rule.action != "strip":
            continue
        m = rule.search(line)
        while m and m.group():
            out.dropped.append(Dropped(rule.kind, m.group().strip(), cut=True))
            if stamp := _group(m, "stamp"):
                out.stamps.append((stamp, original))
            is_caption = is_caption or bool(rule.caption)
            line = (line[:m.start()] + line[m.end():]).strip()
            m = rule.search(line)
    line, cites = _cut_citations(line, debris)
    out.dropped += [Dropped("citation", c, cut=True) for c in cites]
    return line, is_caption


class _Block:
    """A debris block being skipped: a fixed number of lines, or while its continuation matches."""

    def __init__(self) -> None:
        self.rule: CompiledRule | None = None
        self.left = 0

    def start(self, rule: CompiledRule) -> None:
        self.rule, self.left = rule, rule.lines

    def swallows(self, line: str, out: Cleaned) -> bool:
        rule = self.rule
        if rule is None:
            return False
        if self.left > 0:
            self.left -= 1
            out.dropped.append(Dropped(rule.kind, line))
            if self.left == 0 and rule.continue_ is None:
                self.rule = None
            return True
        if rule.continue_ is not None and rule.continue_.search(line):
            out.dropped.append(Dropped(rule.kind, line))
            return True
        self.rule = None
        return False


def classify(text: str, debris: Debris, *, has_title: bool = True) -> Cleaned:
    """Split page text into the article's lines and the debris around them.

    With `has_title` the first content line is the title (a text dump starts with its headline)."""
    raw = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = Cleaned(title=None, lines=[])
    inline_tickers = _page_tickers(raw, debris)
    kept: list[tuple[str, str | None]] = []   # (line, related-header kind or None)
    seen: set[str] = set()
    block = _Block()
    for ln in raw:
        line = ln.strip()
        if _BLANK.match(line) or block.swallows(line, out):
            continue
        # a line that is debris as it stands (an image with its caption) goes whole, before any cut
        whole = _judge(line, debris, out, actions=("line",))
        if whole is not None:
            _drop(whole, line, out)
            continue
        line, is_caption = _strip(line, ln.strip(), debris, out, inline_tickers)
        if not line:
            continue
        verdict = _judge(line, debris, out, actions=("line", "block", "related"))
        if verdict is not None and verdict.action == "related":
            kept.append((line, verdict.kind))
        elif verdict is not None:
            _drop(verdict, line, out)
            if verdict.action == "block":
                block.start(verdict)
        elif is_caption and not debris.caption_sentence.search(line):
            out.dropped.append(Dropped("photo_caption", line))
        else:
            if is_caption:
                out.captions.add(line)
            if has_title and out.title is None:
                out.title = line
            elif line in seen:
                out.dropped.append(Dropped("duplicate", line))
                continue
            else:
                kept.append((line, None))
            seen.add(line)
    # a related-articles header stays as a section line only when article text follows it
    for i, (line, kind) in enumerate(kept):
        if kind is not None and not any(k is None for _, k in kept[i + 1:]):
            out.dropped.append(Dropped(kind, line))
        else:
            out.lines.append(line)
    return out
