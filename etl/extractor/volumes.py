"""Figures of a sentence: quantities with their mineral and period."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from etl import text as quantities
from etl.extractor.lexicon import ExtractionLexicon
from etl.extractor.model import _Result, _Sentence, _Volume
from etl.extractor.sentences import (
    _clause_of,
)

_DETERMINER_BEFORE = re.compile(r"(?:\b(?:the|these|those|both|all|its|their)\s+)\Z", re.IGNORECASE)


_CONVERSION = re.compile(r"\A\s*(?:[(\[]|,\s*(?:or|i\.e\.)\s*|/\s*)\s*\Z")


_BARE_DOLLAR = re.compile(r"\A(?:up to\s+|about\s+|nearly\s+)?\$")
_MARKED_DOLLAR = re.compile(r"\A(?:up to\s+|about\s+)?(?:US|U\.S\.)\s?\$")
_APPROX = re.compile(r"approx|about|around|roughly|some|약|대략|가량", re.IGNORECASE)
_PER_UNIT_AFTER = re.compile(r"\A\s*(?:\)\s*)?(?:\([^)]{0,30}\)\s*)?(?:each|apiece|per share|a share|per unit|주당)", re.IGNORECASE)
_RANGE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?(?:[-–~]|to)\s?(\d[\d,]*(?:\.\d+)?)")
_COORD = re.compile(r"\A\s*(?:,|and|or|및|와|과|·|/|&|, and|, or)\s*\Z")


def _volumes_of_sentence(res: _Result, i: int, by_sent: dict[str, list[list[Any]]],
                         vol_minerals: list[list[str]], anaphoric: bool, L: ExtractionLexicon) -> None:
    body = res.body
    sent = res.sentences[i]
    sm = by_sent["m"][i]
    prev: quantities.Quantity | None = None
    for q in by_sent["q"][i]:
        if _GRADE_AFTER.match(body, q.end) or _GRADE_BEFORE.search(body, max(sent.start, q.start - 14), q.start):
            prev = q
            continue  # "1.4% Li2O", "grading 0.29pc": an ore grade, not an amount
        if q.measure == "count" and _DETERMINER_BEFORE.search(body[max(0, q.start - 12):q.start]):
            prev = q
            continue
        if (prev is not None and prev.measure == "money" and q.measure == "money"
                and _CONVERSION.match(body[prev.end:q.start])):
            gap = body[prev.end:q.start + len(q.text)]
            if _BARE_DOLLAR.match(prev.text) and _MARKED_DOLLAR.match(q.text):
                # "$99.1 million (US$77.7 million)": the bare $ is the local dollar, the marked one USD
                res.volumes = [v for v in res.volumes if v.q is not prev]
            elif prev.unit == q.unit or _APPROX.search(gap):
                prev = q
                continue  # "$7 billion (approximately 9.25 trillion KRW)": the same amount again
        if q.measure == "money" and _PER_UNIT_AFTER.match(body[q.end:q.end + 40]):
            prev = q
            continue  # "$1.12 (US$0.8784) each": a unit price, not an amount of the deal
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
        pstart, pend, ptext = _period_for(q, by_sent["per"][i], by_sent["q"][i], body)
        if not q.per_year and _PER_YEAR_BEFORE.search(body, max(sent.start, q.start - 24), q.start):
            q = replace(q, per_year=True)  # "연간 안티모니 240톤", "annually some 5,000 t"
        low = _range_low(q)
        context = _context_of(body, q, sent, by_sent, i, L)
        for mn in mins:
            if mn:
                vol_minerals[i].append(mn)
            res.volumes.append(_Volume(q, mn, i, pstart, pend, ptext, context=context))
            if low is not None:
                res.volumes.append(_Volume(low, mn, i, pstart, pend, ptext, context=context))


def _context_of(body: str, q: quantities.Quantity, sent: _Sentence, by_sent: dict[str, list[list[Any]]],
                i: int, L: ExtractionLexicon) -> str | None:
    """Why a mass or money figure describes the market, a resource or a plant, not a deal term
    (None for a deal figure): extraction.yaml ``context_figures``."""
    if q.measure not in ("mass", "money"):
        return None
    a, b = sent.clauses[_clause_of(sent, q.start)]
    cue = _cue_before(body, q, a, by_sent, i, L.context_noun_re, L)
    if cue:
        return f"{cue!r} right before it: the market, a resource or a plant"
    cue = _cue_before(body, q, a, by_sent, i, L.capacity_re, L)
    plant_deal = any(a <= t[0] < b and t[2] in L.data["context_figures"]["capacity_deals"] for t in by_sent["t"][i])
    if cue and not plant_deal:
        return f"{cue!r} right before it: the capacity of a plant or project, not a deal term"
    if not by_sent["t"][i] and not by_sent["p"][i] and q.measure == "mass":
        m = L.forecast_re.search(body, sent.start, sent.end)
        if m:
            return f"a forecast ({m.group()!r}) in a sentence naming no deal and no party"
    return None


_CUE_GAP = re.compile(r"[^,.;:()\d]{0,24}\Z")


def _cue_before(body: str, q: quantities.Quantity, a: int, by_sent: dict[str, list[list[Any]]], i: int,
                rx: re.Pattern[str], L: ExtractionLexicon) -> str | None:
    """The cue word ending a few words before the figure in its clause (not inside a name, no other
    figure and no "대비"/"share of" between them)."""
    lo = max(a, q.start - 40)
    before = body[lo:q.start]
    names = [(m.start - lo, m.end - lo) for m in by_sent["p"][i]]
    cues = [m for m in rx.finditer(before) if not any(s < m.end() and m.start() < e for s, e in names)]
    if not cues:
        return None
    gap = before[cues[-1].end():]
    others = any(lo + cues[-1].end() <= o.start < q.start for o in by_sent["q"][i])
    if _CUE_GAP.match(gap) and not others and not L.relative_re.search(gap):
        return cues[-1].group().strip()
    return None


_GRADE_AFTER = re.compile(r"\s*(?:[A-Z][a-z]?\d?O\d?\b|[A-Z][a-z]?\d[A-Z]?\w*O\d\b|lithia|ppm|g/t|grade\b|TREO)")
_GRADE_BEFORE = re.compile(r"(?:grading|grade of|grades of|품위)\s*\Z", re.IGNORECASE)
_PER_YEAR_BEFORE = re.compile(r"(?:연간|매년|해마다|annually|per year|a year|each year)\s+(?:[가-힣A-Za-z\-]+\s+){0,2}\Z",
                              re.IGNORECASE)


def _period_for(q: quantities.Quantity, periods: list[Any], qs: list[quantities.Quantity],
                body: str) -> tuple[Any, Any, str | None]:
    """The period phrase right before the figure (or an English one right after it). A "from"
    phrase followed by a duration is one period: "내년부터 3년간" = next year's 1 January for
    three years."""
    best = None
    k_best = -1
    for k, (s, e, per) in enumerate(periods):
        if e <= q.start and q.start - e <= 12 and not any(o.start >= e and o.end <= q.start for o in qs):
            best, k_best = (s, e, per), k
        elif s >= q.end and s - q.end <= 25 and per.text[:1].isascii() and best is None:
            best, k_best = (s, e, per), k
            break
    if best is None:
        return None, None, None
    s, e, per = best
    if k_best > 0:
        ps, pe, prev = periods[k_best - 1]
        if prev.start and prev.end is None and 0 <= s - pe <= 3 and per.start and per.end:
            years = round(((per.end - per.start).days + 1) / 365.25)
            if years >= 1:
                end = _add_years(prev.start, years) - timedelta(days=1)
                return prev.start, end, body[ps:e]
    return per.start, per.end, per.text


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def _range_low(q: quantities.Quantity) -> quantities.Quantity | None:
    """"20-25%": the parser keeps the upper end (bound up_to); the lower end is a figure too."""
    m = _RANGE.search(q.text)
    if not m or q.bound != "up_to":
        return None
    try:
        lo, hi = Decimal(m.group(1).replace(",", "")), Decimal(m.group(2).replace(",", ""))
    except InvalidOperation:
        return None
    if not hi or lo >= hi:
        return None
    return replace(q, quantity=(q.quantity * lo / hi).normalize(), bound="at_least")


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
