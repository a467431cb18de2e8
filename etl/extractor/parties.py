"""Finding parties: reference aliases, unknown organisations by pattern, sentence subjects."""

from __future__ import annotations

import re

from etl.extractor.guards import country_is_place, keep_mention
from etl.extractor.lexicon import ExtractionLexicon, PartyInfo
from etl.extractor.model import _Mention, _Sentence
from etl.extractor.names import Name, english_names, korean_names
from etl.extractor.patterns import (
    _ASCII_ALNUM,
    _IS_HANGUL,
    _case_ok,
    _overlaps,
)
from etl.extractor.resolve import (
    anaphora_mentions,
    group_names,
    lexicon_match,
    party_of_group,
    scan_forms,
)
from etl.extractor.sentences import _sentence_at


def _find_parties(body: str, L: ExtractionLexicon, sentences: list[_Sentence],
                  deal_starts: frozenset[int]) -> tuple[list[_Mention], dict[str, PartyInfo], dict[str, list[str]]]:
    """Every party mention: reference aliases (checked in context), then organisations found
    by pattern and by cue, merged into parties, every spelling looked for, then anaphora.
    ``deal_starts``: the start offsets of the sentences holding a trigger word."""
    starts = [s.start for s in sentences]
    lexical = _lexicon_mentions(body, L, sentences, starts)
    titlecase = _titlecase_spans(body, sentences)
    names = _pattern_names(body, L, lexical, titlecase)
    skip = [(m.start, m.end) for m in lexical] + titlecase
    recurs_en: dict[str, bool] = {}
    names += [n for n in english_names(body, L.names, skip + [(n.start, n.end) for n in names])
              if n.strong or recurs_en.setdefault(n.text, _recurs(body, n))]
    if _IS_HANGUL.search(body):
        country_words = {a["alias"]: L.parties[a["party_id"]].country for a in L.lex.rows["party_alias"]
                         if L.parties[a["party_id"]].type == "government"}
        names += korean_names(body, L.names, skip + [(n.start, n.end) for n in names], country_words, deal_starts)
    recurs: dict[str, bool] = {}
    # a reference alias the context checks turned down (India's DOE) does not return as a new name
    names = [n for n in names if (n.strong or recurs.setdefault(n.text, _recurs(body, n))) and not L.lex.party(n.text)]
    info: dict[str, PartyInfo] = dict(L.parties)
    unknown: dict[str, PartyInfo] = {}
    aliases: dict[str, list[str]] = {}
    forms: dict[str, str] = {}
    for group in group_names(names):
        known = next((pid for n in group for pid in [lexicon_match(n.text, L)] if pid), None)
        party, spellings = party_of_group(group, L)
        if known:
            party = L.parties[known]
        elif party.pid not in unknown:
            unknown[party.pid] = party
            aliases[party.pid] = [f for f in spellings if f != party.name]
        for f in spellings:
            forms.setdefault(f, party.pid)
    info.update(unknown)
    mentions = lexical + scan_forms(body, forms, lexical)
    mentions += anaphora_mentions(body, mentions, info, L)
    return _drop_places(body, mentions, info, starts, sentences), unknown, aliases


def _lexicon_mentions(body: str, L: ExtractionLexicon, sentences: list[_Sentence], starts: list[int]) -> list[_Mention]:
    out = []
    for m in L.party_re.finditer(body):
        pid = L.lex.party(m.group())
        if not pid or not _case_ok(m.group(), L.party_exact):
            continue
        x = _Mention(m.start(), m.end(), m.group(), pid)
        if keep_mention(body, x, L.parties, L, lambda pos=x.start: _clause_start(sentences, starts, pos)):
            out.append(x)
    return out


def _clause_start(sentences: list[_Sentence], starts: list[int], pos: int) -> int:
    if not sentences:
        return 0
    sent = sentences[_sentence_at(starts, pos)]
    return next((a for a, b in sent.clauses if a <= pos < b), sent.start)


def _drop_places(body: str, mentions: list[_Mention], info: dict[str, PartyInfo], starts: list[int],
                 sentences: list[_Sentence]) -> list[_Mention]:
    mentions = sorted(mentions, key=lambda x: (x.start, x.end))
    countries = [m for m in mentions if info[m.pid].type == "government" and info[m.pid].parent is None]
    out = []
    for k, m in enumerate(mentions):
        p = info[m.pid]
        if p.type == "government" and p.parent is None and p.known and not _enumerated(body, m, countries):
            nxt = next((x.start for x in mentions[k + 1:k + 4] if x.start >= m.end), None)
            sent_start = sentences[_sentence_at(starts, m.start)].start if sentences else 0
            if country_is_place(body, m, sent_start, nxt):
                continue
        out.append(m)
    return out


_LIST_SEP = re.compile(r"\A\s*(?:,|·|/|및|와|과|and|or|, and)\s*\Z")


def _enumerated(body: str, m: _Mention, countries: list[_Mention]) -> bool:
    """"영국, 일본, 인도 …", "the US, Japan and Australia": a country in a list of countries."""
    k = next(j for j, c in enumerate(countries) if c is m) if len(countries) < 64 else _index_of(countries, m)
    for c in countries[max(0, k - 1):k + 2]:
        if c is m:
            continue
        gap = body[c.end:m.start] if c.end <= m.start else body[m.end:c.start] if m.end <= c.start else None
        if gap is not None and len(gap) <= 6 and _LIST_SEP.match(gap):
            return True
    return False


def _index_of(items: list[_Mention], m: _Mention) -> int:
    import bisect

    k = bisect.bisect_left([x.start for x in items], m.start)
    while items[k] is not m:
        k += 1
    return k


_CITED_BEFORE = re.compile(r"according to\s+(?:the\s+)?\Z", re.IGNORECASE)
_PARTY_POSITION = re.compile(r"\b(?:with|to|from|between|by|and)\s+\Z")


def _whole_word_hits(body: str, word: str) -> list[int]:
    """Starts of ``word`` not glued to a Latin letter or digit (str.find: no regex per name)."""
    hits = []
    i = body.find(word)
    while i >= 0:
        j = i + len(word)
        if not (i and _ASCII_ALNUM.match(body[i - 1])) and not (j < len(body) and _ASCII_ALNUM.match(body[j])):
            hits.append(i)
            i = body.find(word, j)  # as re.finditer: the next match starts after this one
        else:
            i = body.find(word, i + 1)
    return hits


def _recurs(body: str, n: Name) -> bool:
    """A name without a cue counts when it comes back later in the article and stands, once,
    where a party stands ("… to Tesla", "with X"); a short acronym needs a cue."""
    if len(n.text) < 3 or (n.text.isupper() and len(n.text) <= 4) or n.text.endswith("s") and n.text[:-1].isupper():
        return False
    hits = _whole_word_hits(body, n.text)
    return len(hits) >= 2 and any(_PARTY_POSITION.search(body[max(0, h - 12):h]) for h in hits)


def _pattern_names(body: str, L: ExtractionLexicon, taken_m: list[_Mention],
                   titlecase: list[tuple[int, int]]) -> list[Name]:
    """Organisations by shape (… Inc., Ministry of …, (주)…, …부): extraction.yaml org_patterns."""
    taken = [(x.start, x.end) for x in taken_m]
    starts = [t[0] for t in taken]
    out: list[Name] = []
    for rx, ptype in L.org_res:
        for m in rx.finditer(body):
            s, e = m.start(), m.end()
            text = m.group().rstrip(" ,.")
            e = s + len(text)
            if _overlaps(s, e, taken, starts) or any(a <= s < b for a, b in titlecase):
                continue
            words = text.split()
            while words and words[0] in L.stop_words:
                text = text[len(words[0]):].lstrip()
                s = e - len(text)
                words = words[1:]
            if (ptype != "government" or text in L.org_suffix_words) and _ASCII_ALNUM.match(text[:1]) and len(words) < 2:
                continue  # one word: a company needs two ("Acme Corp"), "the Commission" is no name
            if len(text) < 2 or any(n.start < e and s < n.end for n in out):
                continue
            if L.lex.party(text):
                continue  # a reference alias the context checks turned down (a bare 집행위원회)
            br = re.match(r"\s*[(（]([^()（）]{2,60})[)）]", body[e:e + 64])
            tail = e + (br.end() if br else 0)
            if L.names.media_re.match(body, tail, tail + 8) or _CITED_BEFORE.search(body, max(0, s - 16), s):
                continue  # "…연구원(POSRI)에 따르면", "according to …": a source, not a party
            country = None
            cm = L.country_ko_re.search(body[max(0, s - 40):s])
            if cm:
                cpid = L.lex.party(re.sub(r"(?:'s|’s|의)?\s*\Z", "", cm.group()))
                country = L.parties[cpid].country if cpid else None
            out.append(Name(s, e, text, ptype, True, country, [br.group(1).strip()] if br else []))
    return out


def _titlecase_spans(body: str, sentences: list[_Sentence]) -> list[tuple[int, int]]:
    """Headline-style sentences (most words capitalised): no pattern names are read there."""
    out = []
    for s in sentences:
        if _IS_HANGUL.search(body[s.start:s.end]):
            continue  # Latin words in a Korean sentence are names, not a headline
        words = re.findall(r"[A-Za-z][A-Za-z'’-]*", body[s.start:s.end])
        if len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.6:
            out.append((s.start, s.end))
    return out


def _subject(body: str, sp: list[_Mention], sent: _Sentence, L: ExtractionLexicon) -> str | None:
    for m in sp:
        nxt = body[m.end:m.end + 1]
        if nxt and nxt in L.subject_particles:
            return m.pid
    if (sp and _ASCII_ALNUM.match(sp[0].text[:1]) and sp[0].start - sent.start <= 40
            and not _IS_HANGUL.search(body[sent.start:sent.end])):  # an English sentence's first name
        return sp[0].pid
    return None
