"""Finding parties: reference aliases, unknown organisations by pattern, sentence subjects."""

from __future__ import annotations

import re

from etl.extractor.lexicon import ExtractionLexicon, PartyInfo
from etl.extractor.model import _Mention, _Sentence
from etl.extractor.patterns import (
    _ASCII_ALNUM,
    _IS_HANGUL,
    _case_ok,
    _overlaps,
)
from etl.transform import alias_key, slugify


def _find_parties(body: str, L: ExtractionLexicon, sentences: list[_Sentence]) -> tuple[list[_Mention], dict[str, PartyInfo], dict[str, list[str]]]:
    mentions: list[_Mention] = []
    for m in L.party_re.finditer(body):
        pid = L.lex.party(m.group())
        if pid and _case_ok(m.group(), L.party_exact):
            mentions.append(_Mention(m.start(), m.end(), m.group(), pid))
    unknown: dict[str, PartyInfo] = {}
    aliases: dict[str, list[str]] = {}
    taken = [(x.start, x.end) for x in mentions]
    starts = [t[0] for t in taken]
    titlecase = _titlecase_spans(body, sentences)
    extra: list[_Mention] = []
    for rx, ptype in L.org_res:
        for m in rx.finditer(body):
            s, e = m.start(), m.end()
            text = m.group().rstrip(" ,.")
            e = s + len(text)
            if _overlaps(s, e, taken, starts) or any(a <= s < b for a, b in titlecase):
                continue
            words = text.split()
            while words and words[0] in L.stop_words:
                s += len(words[0]) + (len(text) - len(text.lstrip()))
                text = text[len(words[0]):].lstrip()
                s = e - len(text)
                words = words[1:]
            if ptype != "government" and _ASCII_ALNUM.match(text[:1]) and len(words) < 2:
                continue
            if len(text) < 2 or _overlaps(s, e, [(x.start, x.end) for x in extra], [x.start for x in extra]):
                continue
            key = alias_key(text)
            pid = "unknown:" + (slugify(text) or key)
            # "엑슨모빌(ExxonMobil)": a bracketed name right after is the same party
            br = re.match(r"\s*[(（]([^()（）]{2,60})[)）]", body[e:e + 64])
            if pid not in unknown:
                country = None
                cm = L.country_ko_re.search(body[max(0, s - 40):s])
                if cm:
                    cpid = L.lex.party(re.sub(r"(?:'s|’s|의)?\s*\Z", "", cm.group()))
                    country = L.parties[cpid].country if cpid else None
                unknown[pid] = PartyInfo(pid, text, text if _IS_HANGUL.search(text) else None,
                                         ptype, country, None, known=False)
                aliases[pid] = []
            if br and br.group(1) not in aliases[pid]:
                aliases[pid].append(br.group(1).strip())
            extra.append(_Mention(s, e, text, pid))
    mentions.extend(extra)
    mentions.sort(key=lambda x: x.start)
    return mentions, unknown, aliases


def _titlecase_spans(body: str, sentences: list[_Sentence]) -> list[tuple[int, int]]:
    """Headline-style sentences (most words capitalised): no pattern names are read there."""
    out = []
    for s in sentences:
        words = re.findall(r"[A-Za-z][A-Za-z'’-]*", body[s.start:s.end])
        if len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.6:
            out.append((s.start, s.end))
    return out


def _subject(body: str, sp: list[_Mention], sent: _Sentence, L: ExtractionLexicon) -> str | None:
    for m in sp:
        nxt = body[m.end:m.end + 1]
        if nxt and nxt in L.subject_particles:
            return m.pid
    if sp and _ASCII_ALNUM.match(sp[0].text[:1]) and sp[0].start - sent.start <= 40:
        return sp[0].pid
    return None
