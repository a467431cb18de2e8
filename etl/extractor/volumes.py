"""Figures of a sentence: quantities with their mineral and period."""

from __future__ import annotations

import re
from typing import Any

from etl import text as quantities
from etl.extractor.lexicon import ExtractionLexicon
from etl.extractor.model import _Result, _Sentence, _Volume
from etl.extractor.sentences import (
    _clause_of,
)

_DETERMINER_BEFORE = re.compile(r"(?:\b(?:the|these|those|both|all|its|their)\s+)\Z", re.IGNORECASE)


_CONVERSION = re.compile(r"\A\s*(?:[(\[]|,\s*(?:or|i\.e\.)\s*|/\s*)\s*\Z")


_COORD = re.compile(r"\A\s*(?:,|and|or|및|와|과|·|/|&|, and|, or)\s*\Z")


def _volumes_of_sentence(res: _Result, i: int, by_sent: dict[str, list[list[Any]]],
                         vol_minerals: list[list[str]], anaphoric: bool, L: ExtractionLexicon) -> None:
    body = res.body
    sent = res.sentences[i]
    sm = by_sent["m"][i]
    prev: quantities.Quantity | None = None
    for q in by_sent["q"][i]:
        if q.measure == "count" and _DETERMINER_BEFORE.search(body[max(0, q.start - 12):q.start]):
            prev = q
            continue
        if (prev is not None and prev.measure == "money" and q.measure == "money"
                and _CONVERSION.match(body[prev.end:q.start])):
            prev = q
            continue  # "$7 billion (approximately 9.25 trillion KRW)": the same amount again
        prev = q
        mins: list[str | None]
        if q.measure == "count":
            mins = [None]
        else:
            mins = _nearest_minerals(body, q, sm, sent) or []
            if not mins and anaphoric and i > 0:
                mins = vol_minerals[i - 1][:1] or [x[2] for x in by_sent["m"][i - 1]][:1]
            if not mins:
                mins = [None]
        pstart = pend = ptext = None
        best = None
        for s, e, per in by_sent["per"][i]:
            if e <= q.start and q.start - e <= 12 and not any(o.start >= e and o.end <= q.start for o in by_sent["q"][i]):
                best = (s, e, per)
            elif s >= q.end and s - q.end <= 25 and per.text[:1].isascii() and best is None:
                best = (s, e, per)
                break
        if best:
            pstart, pend, ptext = best[2].start, best[2].end, best[2].text
        for mn in mins:
            if mn:
                vol_minerals[i].append(mn)
            res.volumes.append(_Volume(q, mn, i, pstart, pend, ptext))


def _nearest_minerals(body: str, q: quantities.Quantity, sm: list[tuple[int, int, str]],
                      sent: _Sentence) -> list[str]:
    if not sm:
        return []
    k = _clause_of(sent, q.start)
    a, b = sent.clauses[k]
    if q.measure == "mass":
        after = [x for x in sm if q.end <= x[0] <= q.end + 25]
        if after:
            return _coordinated(body, sm, sm.index(after[0]))
    pool = [x for x in sm if a <= x[0] < b] or sm
    best = min(pool, key=lambda x: min(abs(x[0] - q.end), abs(q.start - x[1])))
    return _coordinated(body, sm, sm.index(best))


def _coordinated(body: str, sm: list[tuple[int, int, str]], j: int) -> list[str]:
    lo = hi = j
    while lo > 0 and _COORD.match(body[sm[lo - 1][1]:sm[lo][0]]):
        lo -= 1
    while hi + 1 < len(sm) and _COORD.match(body[sm[hi][1]:sm[hi + 1][0]]):
        hi += 1
    return list(dict.fromkeys(x[2] for x in sm[lo:hi + 1]))
