"""Organisations the reference lexicon does not know, found by general cues in both languages.

English: capitalised name sequences that end with a corporate suffix (… Resources, … Corp),
follow a descriptor ("battery producer X", "Canada-based X"), carry an appositive ("X, a
Chinese battery-metal producer") or a ticker ("X (ASX: ABC)"), or recur in deal sentences.
Korean: words that the analyser (kiwipiepy) reads as proper nouns and that end with a company
suffix (…리튬, …케미칼, …머티리얼즈), follow a descriptor (광업회사 X, 자회사 X) or carry their
Latin name in brackets (X(Name)). Each name gets its type and, from a nationality word right
before it, its country. Every word list comes from the ``names`` section of extraction.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from etl.extractor.korean import proper_noun_words
from etl.extractor.patterns import _HANGUL, _in_spans, _words_re

_OWNER = re.compile(r"\A(.*?)['’]s\s+(?=[A-Z])")
_POSSESSIVE_END = re.compile(r"['’]s\Z")
_ABBREV_END = re.compile(r"\b(?:Inc|Co|Ltd|Corp|S\.A|L\.P)\.\Z")
_REST = re.compile(r"(?:['’]s)?\s+")
_ACRONYM_AFTER = re.compile(r"\A\s?\([A-Z]{2,6}\)")
_WORDS = re.compile(r"[\w.\-’']+")
_LATIN_BRACKET = re.compile(r"[(（]([A-Za-z][A-Za-z0-9 &.,'\-]{1,40})[)）]")
_LATIN = re.compile(r"[A-Za-z]")
_HANGUL_CHAR = re.compile(f"[{_HANGUL}]")
_NEXT_WORD = re.compile(rf"\s*([{_HANGUL}]+)")


@dataclass
class NameRules:
    """The compiled ``names`` section of extraction.yaml."""

    cap_seq: re.Pattern[str]
    suffix_en: frozenset[str]
    descriptor_before_en: re.Pattern[str]
    appositive_en: re.Pattern[str]
    ticker_after: re.Pattern[str]
    based_before: re.Pattern[str]
    place_after_en: re.Pattern[str]
    not_names: frozenset[str]
    ko_word: re.Pattern[str]
    ko_particles: tuple[str, ...]
    suffix_ko: tuple[str, ...]
    gov_suffix_ko: tuple[str, ...]
    descriptors_ko: tuple[str, ...]
    place_after_ko: frozenset[str]
    media_re: re.Pattern[str]
    demonyms: dict[str, str]
    anaphora_en: re.Pattern[str]
    anaphora_ko: re.Pattern[str]
    pair_anaphora: re.Pattern[str]
    place_words: frozenset[str]
    subject_particles: frozenset[str]
    particle_end: re.Pattern[str]
    suffix_end: re.Pattern[str]
    suffix_any: re.Pattern[str]
    not_last_en: frozenset[str]
    place_suffix_ko: tuple[str, ...]
    product_re: re.Pattern[str]
    media_words: tuple[str, ...]


def compile_name_rules(data: Mapping[str, Any], ko_particles: Iterable[str]) -> NameRules:
    n = data["names"]
    desc = _words_re(n["descriptors_en"])
    tok = r"(?:[A-Z][A-Za-z0-9&'’.\-]*|\d[A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*)(?![가-힣A-Za-z0-9])"
    demonyms = {str(w): code for code, ws in n["demonyms"].items() for w in ws}
    return NameRules(
        cap_seq=re.compile(rf"(?<![A-Za-z0-9가-힣&'’\-]){tok}(?:(?:\s+|\s*&\s*)(?:{tok}|of(?=\s+[A-Z])|de(?=\s+[A-Z])))*"
                           rf"(?:,\s+(?:Ltd|Inc|LLC|S\.A|Co)\.?)?"),
        suffix_en=frozenset(str(w).rstrip(".").lower() for w in n["company_suffixes_en"]),
        descriptor_before_en=re.compile(rf"(?:\b(?:{desc})|-based|-listed|’s|'s)\s+\Z", re.IGNORECASE),
        appositive_en=re.compile(rf"\A,\s+(?:a|an|the|its)\s+(?:[\w’'\-]+\s+){{0,5}}?(?:{desc})\b",
                                 re.IGNORECASE),
        ticker_after=re.compile(rf"\A\s*\((?:{_words_re(n['exchanges'])})\s*:\s*[A-Z0-9.]{{1,8}}\)"),
        based_before=re.compile(r"([A-Z][\w.]+(?:\s[A-Z][\w.]+)?)-based\s+\Z"),
        place_after_en=re.compile(rf"\A\s+(?:{_words_re(n['place_followers_en'])})\b", re.IGNORECASE),
        not_names=frozenset(str(w) for w in n["not_names_en"]),
        ko_word=re.compile(rf"(?<![{_HANGUL}A-Za-z0-9])[{_HANGUL}A-Za-z0-9&·]*[{_HANGUL}][{_HANGUL}A-Za-z0-9&·]*"
                           rf"|(?<![{_HANGUL}A-Za-z0-9])[A-Z][A-Za-z0-9&]+(?=[{_HANGUL}(（])"),
        ko_particles=tuple(sorted((str(p) for p in ko_particles), key=len, reverse=True)),
        suffix_ko=tuple(sorted((str(s) for s in n["company_suffixes_ko"]), key=len, reverse=True)),
        gov_suffix_ko=tuple(str(s) for s in n["government_suffixes_ko"]),
        descriptors_ko=tuple(sorted((str(s) for s in n["descriptors_ko"]), key=len, reverse=True)),
        place_after_ko=frozenset(str(s) for s in n["place_followers_ko"]),
        media_re=re.compile(_words_re(n["media_cues"])),
        demonyms=demonyms,
        anaphora_en=re.compile(rf"\b(?:{_words_re(n['company_anaphora_en'])})\b", re.IGNORECASE),
        anaphora_ko=re.compile(_words_re(n["company_anaphora_ko"])),
        not_last_en=frozenset(str(w).lower() for w in n["not_last_words_en"]),
        place_suffix_ko=tuple(str(w) for w in n["place_suffixes_ko"]),
        particle_end=re.compile("(?:" + "|".join(re.escape(str(p)) for p in sorted(ko_particles, key=len, reverse=True)) + r")\Z"),
        suffix_end=re.compile("(?:" + _words_re(n["company_suffixes_ko"]) + r")\Z"),
        suffix_any=re.compile("(?:" + _words_re(n["company_suffixes_ko"]) + ")"),
        subject_particles=frozenset(("은", "는", "이", "가")),
        place_words=frozenset(str(w).lower() for w in n["place_followers_en"]),
        product_re=re.compile(rf"(?:{_words_re(data['products']['name_words'])})", re.IGNORECASE),
        media_words=tuple(str(w) for w in n["media_cues"] if re.match(f"[{_HANGUL}]", str(w))),
        pair_anaphora=re.compile(rf"(?:{_words_re(n['pair_anaphora_ko'])})|\b(?:{_words_re(n['pair_anaphora_en'])})\b",
                                 re.IGNORECASE),
    )


@dataclass
class Name:
    """An organisation found by cue: its span, name, type, country and other spellings."""

    start: int
    end: int
    text: str
    type: str
    strong: bool
    country: str | None = None
    aliases: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- English


def _trim_en(text: str, start: int, R: NameRules) -> tuple[str, int, str | None]:
    """Drop leading stop words and a possessive owner ("Japan’s SoftBank" → SoftBank, owner Japan)."""
    owner = None
    m = _OWNER.search(text)
    if m:
        owner = m.group(1)
        start += m.end()
        text = text[m.end():]
    words = text.split()
    while words and (words[0] in R.not_names or words[0].rstrip(".,") in R.not_names):
        cut = text.index(words[0]) + len(words[0])
        rest = text[cut:]
        start += cut + (len(rest) - len(rest.lstrip()))
        text = rest.lstrip()
        words = words[1:]
    text = _POSSESSIVE_END.sub("", text)
    abbreviated = _ABBREV_END.search(text)
    text = text.rstrip(",") if not abbreviated else text
    if text.endswith(".") and not abbreviated:
        text = text[:-1]
    return text, start, owner


def _span_index(skip: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[int]]:
    spans = sorted(skip)
    return spans, [a for a, _ in spans]


def english_names(body: str, R: NameRules, skip: list[tuple[int, int]]) -> list[Name]:
    out: list[Name] = []
    spans, starts = _span_index(skip)
    for m in R.cap_seq.finditer(body):
        raw, raw_start = m.group(), m.start()
        if " " not in raw and (raw in R.not_names or len(raw) < 2):
            continue  # "The", "In": the common case, decided without more work
        inside = [spans[k][1] for k in _covering(spans, starts, raw_start)]
        if inside:  # "Japan’s SoftBank Group Corp": the known part is taken, the rest may be a name
            cut = max(inside) - raw_start
            rest = _REST.match(raw, cut)
            if not rest or cut >= len(raw):
                continue
            raw, raw_start = raw[rest.end():], raw_start + rest.end()
            if _in_spans(raw_start, spans, starts) or not raw[:1].isupper():
                continue
        text, s, owner = _trim_en(raw, raw_start, R)
        words = text.split()
        if not words or (len(words) == 1 and (words[0] in R.not_names or len(words[0]) < 2)):
            continue
        e = s + len(text)
        last = words[-1].rstrip(".").lower()
        before, after = body[max(0, s - 40):s], body[e:e + 80]
        if R.place_after_en.match(after) or R.media_re.search(after[:12]) or last in R.place_words \
                or before.rstrip().lower().endswith("according to"):
            continue
        if R.product_re.search(text) or last in R.not_last_en or words[0].lower().endswith("ing"):
            continue
        suffix = len(words) >= 2 and last in R.suffix_en
        cue = bool(R.descriptor_before_en.search(before) or R.appositive_en.match(after)
                   or R.ticker_after.match(after) or _ACRONYM_AFTER.match(after))
        country = _country_before(before, R, owner)
        out.append(Name(s, e, text, "company", suffix or cue, country))
    return out


def _covering(spans: list[tuple[int, int]], starts: list[int], pos: int) -> list[int]:
    """Indexes of the spans that contain ``pos`` (spans sorted by start)."""
    import bisect

    i = bisect.bisect_right(starts, pos)
    return [k for k in range(max(0, i - 8), i) if spans[k][0] <= pos < spans[k][1]]


def _country_before(before: str, R: NameRules, owner: str | None) -> str | None:
    for word in ([owner] if owner else []) + _WORDS.findall(before)[-4:][::-1]:
        code = R.demonyms.get(word) or R.demonyms.get(_POSSESSIVE_END.sub("", word))
        if code:
            return code
    return None


# ----------------------------------------------------------------------------- Korean


def _strip_particle(word: str, R: NameRules) -> str:
    m = R.particle_end.search(word)
    return word[: m.start()] if m and m.start() >= 2 else word


_ASIDE = re.compile(r"\s?[(（][^()（）]{1,12}[)）]\s?")


def _adjacent(body: str, end: int, start: int) -> bool:
    """Two Korean words next to each other: at most two characters apart, or a short aside
    between them ("합작법인(JV) X": the descriptor still describes X)."""
    return end + 2 >= start or bool(_ASIDE.fullmatch(body, end, start))


def korean_names(body: str, R: NameRules, skip: list[tuple[int, int]], known: set[str],
                 deal_starts: frozenset[int] = frozenset()) -> list[Name]:
    """Korean candidates, checked by the analyser in one call. ``deal_starts``: the start offsets
    of sentences with a deal word, whose first word, marked as subject (X는 …), may be a name."""
    cands: list[tuple[int, str, str, str | None, bool]] = []  # start, stem, kind, bracket, strong
    words = [(m.start(), m.group()) for m in R.ko_word.finditer(body)]
    spans, starts = _span_index(skip)
    for k, (s, w) in enumerate(words):
        prev = words[k - 1][1] if k > 0 and _adjacent(body, words[k - 1][0] + len(words[k - 1][1]), s) else ""
        if not (body[s + len(w):s + len(w) + 1] in ("(", "（") or R.suffix_any.search(w) or s in deal_starts
                or (prev and (prev.endswith(R.descriptors_ko) or prev in known or prev in R.demonyms))
                or (not w.isascii() and _LATIN.search(w))):
            continue  # cheap test first: most words carry no cue
        stem = _strip_particle(w, R)
        e = s + len(stem)
        br = _LATIN_BRACKET.match(body, e, e + 45) if stem == w and body[e:e + 1] in "(（" else None
        desc = bool(prev) and prev.endswith(R.descriptors_ko)
        sm = R.suffix_end.search(stem)
        suffix = bool(sm) and sm.start() >= 2
        mixed = not stem.isascii() and bool(_LATIN.search(stem))
        national = bool(prev) and stem != w and (prev in known or prev in R.demonyms)
        subject = s in deal_starts and stem != w and w[len(stem):] in R.subject_particles
        if not (br or desc or suffix or mixed or national or subject) or _covering(spans, starts, s):
            continue  # most words: no cue at all
        if stem in known or stem in R.descriptors_ko or len(stem) < 2 or stem in R.not_names:
            continue
        if R.product_re.search(stem) or stem.endswith(R.media_words):
            continue
        if len(stem) <= 2 and stem.isascii():
            continue
        if br and br.group(1).strip() in R.not_names:
            br = None
        if national and stem.endswith(R.place_suffix_ko):
            national = False
        if br or desc or suffix or mixed or national or subject:
            cands.append((s, stem, "company", br.group(1).strip() if br else None,
                          bool(br or desc or mixed or (suffix and subject))))
    unique = list(dict.fromkeys(c[1] for c in cands))
    reading = dict(zip(unique, proper_noun_words(unique), strict=True))
    place = {stem: _ever_a_place(body, stem, R) for stem in unique}
    out: list[Name] = []
    for s, stem, ptype, bracket, cued in cands:
        nounish, proper = reading[stem]
        if not nounish or not (cued or proper):
            continue  # a suffix or a nationality alone needs a proper noun (톈치리튬 yes, 이차전지배터리 no)
        strong = True
        pos = s + len(stem) + (len(bracket) + 2 if bracket else 0)
        nxt = _NEXT_WORD.match(body, pos, pos + 12)
        if nxt and _strip_particle(nxt.group(1), R) in R.place_after_ko or place[stem]:
            continue
        tail = s + len(stem) + (len(bracket) + 2 if bracket else 0)
        if R.media_re.match(body[tail:tail + 8]):
            continue
        name = Name(s, s + len(stem), stem, ptype, strong, None, [bracket] if bracket else [])
        _extend_korean(body, name, words, R, known)
        out.append(name)
    return out


def _ever_a_place(body: str, stem: str, R: NameRules) -> bool:
    """Whether some mention of the word is followed by a place word (상하이 공장, … 광산)."""
    for m in re.finditer(re.escape(stem) + rf"\s*([{_HANGUL}]+)", body):
        if _strip_particle(m.group(1), R) in R.place_after_ko:
            return True
    return False


def _extend_korean(body: str, name: Name, words: list[tuple[int, str]], R: NameRules, known: set[str]) -> None:
    """"파루 그라파이트(FARU Graphite)": a two-word Latin name takes the Korean word before it too;
    a country or nationality word right before gives the country."""
    prev = [(s, w) for s, w in words if s < name.start and s + len(w) >= name.start - 2]
    if not prev:
        return
    ps, pw = prev[-1]
    code = R.demonyms.get(pw)
    if pw in known or code:
        name.country = code
        return
    if name.aliases and len(name.aliases[0].split()) >= 2 and _strip_particle(pw, R) == pw \
            and not pw.endswith(R.descriptors_ko) and proper_noun_words([pw])[0][0]:
        name.text = body[ps:name.end]
        name.start = ps
