"""Sentence and clause splitting of an article body (offsets into the body)."""

from __future__ import annotations

import bisect
import re

from etl.extractor.lexicon import ExtractionLexicon
from etl.extractor.model import _Sentence
from etl.extractor.patterns import (
    _HANGUL,
)

_MAX_SENTENCE = 2000


def _split_sentences(body: str, L: ExtractionLexicon) -> list[_Sentence]:
    out: list[_Sentence] = []
    pos = 0
    para = 0
    for line in body.split("\n"):
        lstart = pos
        pos += len(line) + 1
        if not line.strip():
            para += 1
            continue
        s = lstart
        for m in _SENT_END.finditer(line):
            e = lstart + m.start() + len(m.group(1))
            _add_sentence(body, s, e, para, out, L)
            s = lstart + m.end()
        _add_sentence(body, s, lstart + len(line), para, out, L)
        para += 1
    return out


_SENT_END = re.compile(r"((?<![A-Z]\.[A-Z])(?<!\b[A-Z])(?<!\bMr)(?<!\bDr)(?<!\bSt)(?<!\bNo)[.!?。][\"”’')\]]*)\s+"
                       r"(?=[\"“‘'(\[]?[A-Z0-9" + _HANGUL + r"])")


def _add_sentence(body: str, s: int, e: int, para: int, out: list[_Sentence], L: ExtractionLexicon) -> None:
    while s < e and body[s].isspace():
        s += 1
    while e > s and body[e - 1].isspace():
        e -= 1
    if e <= s:
        return
    while e - s > _MAX_SENTENCE:  # runaway text without punctuation: cut at a space
        cut = body.rfind(" ", s + _MAX_SENTENCE // 2, s + _MAX_SENTENCE)
        cut = cut if cut > s else s + _MAX_SENTENCE
        _add_sentence(body, s, cut, para, out, L)
        s = cut
        while s < e and body[s].isspace():
            s += 1
    if e <= s:
        return
    text = body[s:e]
    cuts = ([m.start() for m in L.clause_en_re.finditer(text)] + [m.start() for m in L.clause_ko_re.finditer(text)]
            + [m.end() for m in L.clause_ko_conn_re.finditer(text)])
    lead = L.clause_lead_re.match(text)
    if lead:
        cuts.append(lead.end())  # "Despite …, the government …": the opening phrase is a clause
    clauses = []
    prev = 0
    for c in sorted(set(cuts)):
        if c > prev:
            clauses.append((s + prev, s + c))
            prev = c
    clauses.append((s + prev, e))
    out.append(_Sentence(s, e, para, clauses))


def _clause_of(sent: _Sentence, pos: int) -> int:
    for k, (a, b) in enumerate(sent.clauses):
        if a <= pos < b:
            return k
    return len(sent.clauses) - 1


def _sentence_at(starts: list[int], pos: int) -> int:
    """Index of the sentence holding `pos` (`starts`: the sentences' start offsets, built once per text)."""
    return max(0, bisect.bisect_right(starts, pos) - 1)
