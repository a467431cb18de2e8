"""The extractor's working records: mentions, sentences, agreements, volumes, one article's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from etl import text as quantities
from etl.extractor.lexicon import PartyInfo


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    pid: str


@dataclass
class _Sentence:
    start: int
    end: int
    para: int
    clauses: list[tuple[int, int]]


@dataclass
class _Agreement:
    kind: str
    status: str
    sentence: int
    start: int
    end: int
    anchor: int
    identity: str | None
    parties: dict[str, str]          # pid → role, in order
    minerals: list[str]
    announced_on: date | None
    sentences: set[int] = field(default_factory=set)
    volumes: list[int] = field(default_factory=list)
    directed: bool = False           # buyer and seller come from a verb or a marker, not the default


@dataclass
class _Volume:
    q: quantities.Quantity
    mineral: str | None
    sentence: int
    period_start: date | None
    period_end: date | None
    period_text: str | None
    agreement: int | None = None
    context: str | None = None       # why the figure describes the market, a resource or a plant


@dataclass
class _Result:
    body: str
    meta: dict[str, Any]
    language: str
    published_on: date | None
    sentences: list[_Sentence]
    mentions: list[_Mention]
    party_info: dict[str, PartyInfo]
    party_aliases: dict[str, list[str]]
    mineral_mentions: list[tuple[int, int, str]]
    agreements: list[_Agreement]
    volumes: list[_Volume]
    sentence_starts: list[int] = field(default_factory=list)  # for _sentence_at
    units: quantities.UnitLexicon | None = None
    products: list[tuple[int, int, str]] = field(default_factory=list)  # stated products (spans)
