"""Automatic rule- and lexicon-based extractor for Korean and English articles.

Finds parties, minerals, agreements and volumes in an article body, each with its evidence
(an exact quote from the body) and character offsets. Everything it knows comes from data:
party and mineral aliases from ``seeds/reference/{parties,minerals}.yaml``, quantity words from
``units.yaml`` (through :mod:`etl.quantities`, the same parser the transform stage uses) and
trigger / status / clause words from ``seeds/reference/extraction.yaml``.

How it reads an article (one pass of each precompiled regex over the body, then per sentence):

* parties: every reference alias (a trie-shaped regex; acronyms case-sensitive, other names
  not; a Korean name may only be followed by a particle, so 포스코 in 포스코센터 is no party),
  plus unknown organisations by pattern (… Inc./Corp./Group/Resources, Ministry of …,
  Department of …, (주)…, …부 ministries, …위원회); the same party in Korean and English
  resolves to one canonical id;
* minerals: names, Korean names, aliases, groups and a short list of symbols, never inside a
  party name (Lithium Americas, 고려아연);
* volumes: :func:`etl.quantities.parse_quantities`; anaphoric counts ("the two companies") and
  currency conversions in brackets ("$7 billion (approximately 9.25 trillion KRW)") are not
  separate figures; the mineral is the nearest one in the sentence (a coordinated list
  "neodymium and dysprosium" gives one figure per mineral), or the previous sentence's when the
  sentence starts with an anaphor (이는 …); the period is a period phrase right before it (or an
  English one right after it), resolved against the article date;
* agreements: per clause, the highest-priority trigger kind; parties of the clause (else the
  sentence subject, else the previous sentence's topic); minerals of the clause (else of the
  sentence); a mention of an initiative party (MSP, FORGE, Project Vault) is an agreement of
  its own; status from status words; agreements of one kind that share a non-government party
  (or whose party sets nest) are merged, keeping the first evidence.

Public API: :func:`extract_article` (the ``critmin extract`` JSON shape of DESIGN.md) and
:func:`draft_entities` (a curated-format entity file for review).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from etl import quantities
from etl.paths import resource_dir
from etl.sources.seeds import as_date, parse_yaml, read_reference, split_front_matter
from etl.transform.lexicon import Lexicon, alias_key, build_lexicon, detect_language, slugify

__all__ = ["draft_entities", "extract_article", "extract_text", "load_extraction_lexicon"]

MAX_TEXT_CHARS = 20_000_000
_HANGUL = "가-힣"
_IS_HANGUL = re.compile(f"[{_HANGUL}]")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_MAX_SENTENCE = 2000

# ------------------------------------------------------------------------------- regexes


def _tok(ch: str, ci: bool) -> str:
    if ch == " ":
        return r"\s+"
    if ci and ch.lower() != ch.upper() and len(ch.lower()) == 1 and len(ch.upper()) == 1:
        return "[" + re.escape(ch.lower()) + re.escape(ch.upper()) + "]"
    return re.escape(ch)


def _trie_regex(entries: Iterable[tuple[str, bool, str]]) -> str:
    """One regex for many literal forms, shaped as a trie (fast: no long alternation).

    Each entry is (form, case_insensitive, end_assertion); longer forms are preferred and a
    form only ends where its assertion holds (so "Korea" is not found inside "Korean").
    """
    trie: dict[str, Any] = {}
    for form, ci, end in entries:
        node = trie
        for tok in (_tok(c, ci) for c in " ".join(form.split())):
            node = node.setdefault(tok, {})
        node.setdefault("", set()).add(end)

    def emit(node: dict[str, Any]) -> str:
        alts = [tok + emit(child) for tok, child in sorted((k, v) for k, v in node.items() if k)]
        if "" in node:
            ends = sorted(node[""])
            alts.append(ends[0] if len(ends) == 1 else "(?:" + "|".join(ends) + ")")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(trie) if trie else "(?!)"


def _guarded_union(entries: list[tuple[str, bool, str]], hangul_left: bool) -> re.Pattern[str]:
    """Trie regexes grouped by the left boundary their first character needs."""
    ascii_e = [e for e in entries if _ASCII_ALNUM.match(e[0][:1])]
    hangul_e = [e for e in entries if _IS_HANGUL.match(e[0][:1])]
    other_e = [e for e in entries if e not in ascii_e and e not in hangul_e]
    parts = []
    if ascii_e:
        parts.append(r"(?<![A-Za-z0-9])" + _trie_regex(ascii_e))
    if hangul_e:
        parts.append((f"(?<![{_HANGUL}])" if hangul_left else "") + _trie_regex(hangul_e))
    if other_e:
        parts.append(_trie_regex(other_e))
    return re.compile("|".join(parts) if parts else "(?!)")


def _end_assert(form: str, particles: str | None) -> str:
    last = form[-1:]
    if _ASCII_ALNUM.match(last):
        return r"(?![A-Za-z0-9])"
    if particles is not None and _IS_HANGUL.match(last):
        return f"(?:(?![{_HANGUL}])|(?={particles}))"
    return ""


# ------------------------------------------------------------------------------- lexicon


@dataclass
class PartyInfo:
    pid: str
    name: str
    name_ko: str | None
    type: str | None
    country: str | None
    parent: str | None
    known: bool = True


@dataclass
class ExtractionLexicon:
    lex: Lexicon
    parties: dict[str, PartyInfo]
    party_re: re.Pattern[str]
    party_exact: dict[str, set[str]]
    mineral_re: re.Pattern[str]
    mineral_exact: dict[str, set[str]]
    trigger_re: re.Pattern[str]
    trigger_kind: dict[str, str]
    gap_triggers: list[tuple[re.Pattern[str], str]]
    status_re: re.Pattern[str]
    status_of: dict[str, str]
    status_rank: dict[str, int]
    kind_rank: dict[str, int]
    generic: frozenset[str]
    absorbing: frozenset[str]
    linker_re: re.Pattern[str]
    determiners: frozenset[str]
    default_status: dict[str, str]
    roles: dict[str, dict[str, str]]
    subject_particles: tuple[str, ...]
    anaphora_re: re.Pattern[str]
    clause_en_re: re.Pattern[str]
    clause_ko_re: re.Pattern[str]
    clause_ko_conn_re: re.Pattern[str]
    org_res: list[tuple[re.Pattern[str], str]]
    stop_words: frozenset[str]
    claim_topics: list[tuple[re.Pattern[str], str]]
    country_ko_re: re.Pattern[str]
    data: dict[str, Any] = field(default_factory=dict)


def _note_case(alias: str, exact: dict[str, set[str]]) -> None:
    """Acronyms (no lower-case letter: US, EU, POSCO, G7) must match exactly; names need not."""
    key = alias_key(alias)
    if any(c.isascii() and c.isalpha() for c in alias) and not any(c.islower() for c in alias):
        exact.setdefault(key, set()).add(" ".join(alias.split()))
    else:
        exact[key] = set()  # some spelling of this key is case-insensitive


def _case_ok(text: str, exact: dict[str, set[str]]) -> bool:
    forms = exact.get(alias_key(text))
    return not forms or " ".join(text.split()) in forms


def _words_re(words: Iterable[str]) -> str:
    forms = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in forms)


@lru_cache(maxsize=4)
def load_extraction_lexicon(seeds_dir: str | None = None) -> ExtractionLexicon:
    """Read the reference lexicons and extraction.yaml once (cached per seed folder)."""
    root = Path(seeds_dir) if seeds_dir else resource_dir("seeds")
    problems: list[Any] = []
    ref = read_reference(root, problems)
    if ref is None:
        ref = read_reference(resource_dir("seeds"), problems)
    if ref is None:
        raise ValueError(f"cannot read the reference lexicons in {root / 'reference'}")
    lex = build_lexicon(ref, [])
    path = root / "reference" / "extraction.yaml"
    if not path.exists():
        path = resource_dir("seeds") / "reference" / "extraction.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)

    particles = "(?:" + _words_re(data["ko_particles"]) + ")"
    parties: dict[str, PartyInfo] = {}
    for row in lex.rows["party"]:
        parties[row["party_id"]] = PartyInfo(row["party_id"], row["name"], row.get("name_ko"),
                                             row.get("party_type"), row.get("country_code"),
                                             row.get("parent_party_id"))
    entries = []
    exact: dict[str, set[str]] = {}   # alias key → exact spellings, for case-sensitive aliases
    for row in lex.rows["party_alias"]:
        alias = row["alias"]
        _note_case(alias, exact)
        entries.append((alias, True, _end_assert(alias, particles)))
    party_re = _guarded_union(entries, hangul_left=True)

    allow = set(data.get("symbol_allowlist") or [])
    m_entries = []
    m_exact: dict[str, set[str]] = {}
    for m in ref.minerals:
        if not isinstance(m, dict) or lex.mineral(m.get("slug")) is None:
            continue
        # A Korean name counts only when listed as an alias too (금, 은, 납, 주석 are not).
        names = [m.get("slug"), m.get("name_en"), *(m.get("aliases") or [])]
        if m.get("symbol") in allow:
            names.append(m["symbol"])
        for alias in names:
            if not isinstance(alias, str) or not alias.strip():
                continue
            if _IS_HANGUL.match(alias[-1:]) and len(alias.strip()) < 2:
                continue
            for variant in {alias, alias.replace("_", " ")}:
                _note_case(variant, m_exact)
                m_entries.append((variant, True, _end_assert(variant, None)))
    mineral_re = _guarded_union(m_entries, hangul_left=True)

    trigger_kind: dict[str, str] = {}
    t_entries = []
    gap: list[tuple[re.Pattern[str], str]] = []
    for kind, forms in data["triggers"].items():
        for form in forms:
            form = str(form)
            if " ... " in form:
                a, b = form.split(" ... ", 1)
                rx = re.escape(a) + r"[^.!?\n,;]{0,12}?" + re.escape(b)
                if a[:1].isascii():
                    rx = r"(?<![A-Za-z0-9])" + rx + r"(?![A-Za-z0-9])"
                gap.append((re.compile(rx, re.IGNORECASE), kind))
                continue
            trigger_kind.setdefault(alias_key(form), kind)
            t_entries.append((form, True, _end_assert(form, None)))
    trigger_re = _guarded_union(t_entries, hangul_left=False)

    status_of: dict[str, str] = {}
    s_entries = []
    for status, forms in data["status_words"].items():
        for form in forms:
            status_of.setdefault(alias_key(str(form)), status)
            s_entries.append((str(form), True, _end_assert(str(form), None)))
    status_re = _guarded_union(s_entries, hangul_left=False)
    status_rank = {s: i for i, s in enumerate(data["status_words"])}

    followers = _words_re(data["clause_break_en_followers"])
    clause_en = (r"(?:;|\s[—–]\s|,\s+(?:and|but|while|whereas|so)\s+(?=(?i:" + followers
                 + r")\b|[A-Z])|,\s+(?=(?:" + _words_re(data["clause_break_en_starts"]) + r")\b))")
    clause_ko = re.compile(f"(?<=[{''.join(data['clause_break_ko_endings'])}]),\\s")
    clause_ko_conn = re.compile(f"(?:{_words_re(data['clause_break_ko_connectives'])})(?=\\s)")

    org = data["org_patterns"]
    stop = frozenset(org["stop_words_en"])
    cap = r"[A-Z][A-Za-z0-9&'’.\-]*"
    comp = _words_re(org["company_suffixes_en"])
    res = _words_re(org["research_suffixes_en"])
    gov_suf = _words_re(org["government_suffixes_en"])
    heads = _words_re(org["government_heads_en"])
    org_res = [
        (re.compile(rf"(?<![A-Za-z0-9])(?:{heads})\s+(?:the\s+)?[A-Z][a-z]+"
                    rf"(?:(?:,\s*|\s+and\s+|\s+)[A-Z][a-z]+){{0,4}}"), "government"),
        (re.compile(rf"(?<![A-Za-z0-9])(?:{cap}\s+){{1,4}}(?:{comp})(?=[\s,;:)\]'’]|$|\.(?:\s|$))"), "company"),
        (re.compile(rf"(?<![A-Za-z0-9])(?:{cap}\s+){{1,4}}(?:{res})(?![A-Za-z])"), "research_org"),
        (re.compile(rf"(?<![A-Za-z0-9])(?:{cap}\s+){{1,4}}(?:{gov_suf})(?![A-Za-z])"), "government"),
        (re.compile(rf"(?:{_words_re(org['company_prefixes_ko'])})\s?[{_HANGUL}A-Za-z0-9]{{2,12}}"), "company"),
        (re.compile(rf"(?<![{_HANGUL}])[{_HANGUL}A-Za-z0-9]{{2,12}}(?:{_words_re(org['company_suffixes_ko'])})"), "company"),
        (re.compile(rf"(?<![{_HANGUL}])[{_HANGUL}]{{2,10}}\s?(?:{_words_re(org['research_suffixes_ko'])})(?={particles}|[^{_HANGUL}]|$)"), "research_org"),
        (re.compile(rf"(?<![{_HANGUL}])(?:{_words_re(org['ministry_stems_ko'])})부(?={particles}|[^{_HANGUL}]|$)"), "government"),
        (re.compile(rf"(?<![{_HANGUL}])(?:{_words_re(org['agency_words_ko'])})(?={particles}|[^{_HANGUL}]|$)"), "government"),
    ]
    country_names = [a["alias"] for a in lex.rows["party_alias"]
                     if parties[a["party_id"]].type == "government" and parties[a["party_id"]].parent is None]
    country_ko_re = re.compile(r"(?:" + _words_re(country_names) + r")(?:'s|’s|의)?\s*\Z")

    topics = [(re.compile(_words_re(ws), re.IGNORECASE), t) for t, ws in data["claim_topics"].items()]
    return ExtractionLexicon(
        lex=lex, parties=parties, party_re=party_re, party_exact=exact, mineral_re=mineral_re,
        mineral_exact=m_exact, trigger_re=trigger_re,
        trigger_kind=trigger_kind, gap_triggers=gap, status_re=status_re, status_of=status_of,
        status_rank=status_rank, kind_rank={k: i for i, k in enumerate(data["kind_priority"])},
        generic=frozenset(data["generic_kinds"]), absorbing=frozenset(data["initiative_kinds"]),
        linker_re=re.compile(r"\A\s*(?:" + _words_re(data["party_linkers"]) + r")(?![A-Za-z])", re.IGNORECASE),
        determiners=frozenset(str(w).casefold() for w in data["anaphoric_determiners"]),
        default_status=data["default_status"], roles=data["roles"],
        subject_particles=tuple(data["ko_subject_particles"]),
        anaphora_re=re.compile(r"\A\W*(?:" + _words_re(data["anaphora_starts"]) + r")(?![A-Za-z])",
                               re.IGNORECASE),
        clause_en_re=re.compile(clause_en), clause_ko_re=clause_ko, clause_ko_conn_re=clause_ko_conn, org_res=org_res,
        stop_words=stop, claim_topics=topics, country_ko_re=country_ko_re, data=data,
    )


# ------------------------------------------------------------------------------ structures


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


@dataclass
class _Volume:
    q: quantities.Quantity
    mineral: str | None
    sentence: int
    period_start: date | None
    period_end: date | None
    period_text: str | None
    agreement: int | None = None


# ------------------------------------------------------------------------------ reading


def _coerce_text(text: Any) -> str:
    if isinstance(text, (bytes, bytearray)):
        if len(text) > MAX_TEXT_CHARS:
            raise ValueError(f"text is {len(text) // 1_000_000} MB, over the {MAX_TEXT_CHARS // 1_000_000} MB limit")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-8 text (byte {exc.start}): save the file as UTF-8") from None
    if not isinstance(text, str):
        raise ValueError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text is {len(text) // 1_000_000} MB, over the {MAX_TEXT_CHARS // 1_000_000} MB limit")
    return text.removeprefix("\ufeff")


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
    clauses = []
    prev = 0
    for c in sorted(set(cuts)):
        if c > prev:
            clauses.append((s + prev, s + c))
            prev = c
    clauses.append((s + prev, e))
    out.append(_Sentence(s, e, para, clauses))


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


def _overlaps(s: int, e: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, e)
    for j in range(max(0, i - 8), i):
        a, b = spans[j]
        if a < e and s < b:
            return True
    return False


def _in_spans(pos: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


# ------------------------------------------------------------------------------ extraction


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


def _analyse(body: str, meta: Mapping[str, Any], L: ExtractionLexicon) -> _Result:
    published_on = None
    try:
        published_on = as_date(meta.get("published_on"))
    except (ValueError, TypeError):
        published_on = None
    language = meta.get("language") if meta.get("language") in ("ko", "en") else detect_language(body)
    sentences = _split_sentences(body, L)
    sent_starts = [s.start for s in sentences]

    def sentence_of(pos: int) -> int:
        return _sentence_at(sent_starts, pos)

    mentions, unknown, aliases = _find_parties(body, L, sentences)
    party_info = dict(L.parties)
    party_info.update(unknown)
    pspans = [(m.start, m.end) for m in mentions]
    pstarts = [m.start for m in mentions]

    minerals: list[tuple[int, int, str]] = []
    for m in L.mineral_re.finditer(body):
        if _overlaps(m.start(), m.end(), pspans, pstarts):
            continue
        slug = L.lex.mineral(m.group()) or L.lex.mineral(m.group().replace(" ", "_"))
        if slug and _case_ok(m.group(), L.mineral_exact):
            minerals.append((m.start(), m.end(), slug))

    triggers: list[tuple[int, int, str]] = []
    for m in L.trigger_re.finditer(body):
        kind = L.trigger_kind.get(alias_key(m.group()))
        if kind and not _overlaps(m.start(), m.end(), pspans, pstarts):
            triggers.append((m.start(), m.end(), kind))
    for rx, kind in L.gap_triggers:
        for m in rx.finditer(body):
            if not _overlaps(m.start(), m.end(), pspans, pstarts):
                triggers.append((m.start(), m.end(), kind))
    triggers.sort()
    statuses = [(m.start(), L.status_of.get(alias_key(m.group()))) for m in L.status_re.finditer(body)]
    periods = quantities.find_periods(body, published_on)
    qs = quantities.parse_quantities(body)

    # per-sentence indexes
    by_sent: dict[str, list[list[Any]]] = {k: [[] for _ in sentences] for k in ("p", "m", "t", "s", "q", "per")}
    if sentences:
        for x in mentions:
            by_sent["p"][sentence_of(x.start)].append(x)
        for x in minerals:
            by_sent["m"][sentence_of(x[0])].append(x)
        for x in triggers:
            by_sent["t"][sentence_of(x[0])].append(x)
        for x in statuses:
            by_sent["s"][sentence_of(x[0])].append(x)
        for x in qs:
            by_sent["q"][sentence_of(x.start)].append(x)
        for x in periods:
            by_sent["per"][sentence_of(x[0])].append(x)

    res = _Result(body, dict(meta), language, published_on, sentences, mentions, party_info,
                  aliases, minerals, [], [], sent_starts)
    topic: list[str | None] = [None] * len(sentences)
    vol_minerals: list[list[str]] = [[] for _ in sentences]
    for i, sent in enumerate(sentences):
        sp = by_sent["p"][i]
        anaphoric = bool(L.anaphora_re.match(body[sent.start:sent.end]))
        prev_same_para = i > 0 and sentences[i - 1].para == sent.para
        subj = _subject(body, sp, sent, L)
        non_init = [m.pid for m in sp if res.party_info[m.pid].type != "initiative"]
        if non_init:
            topic[i] = subj if subj in non_init else non_init[0]
        elif prev_same_para or anaphoric and i > 0:
            topic[i] = topic[i - 1]
        _volumes_of_sentence(res, i, by_sent, vol_minerals, anaphoric, L)
        _agreements_of_sentence(res, i, by_sent, subj, topic, L)
    _merge_agreements(res, L)
    _attach_volumes(res)
    return res


def _subject(body: str, sp: list[_Mention], sent: _Sentence, L: ExtractionLexicon) -> str | None:
    for m in sp:
        nxt = body[m.end:m.end + 1]
        if nxt and nxt in L.subject_particles:
            return m.pid
    if sp and _ASCII_ALNUM.match(sp[0].text[:1]) and sp[0].start - sent.start <= 40:
        return sp[0].pid
    return None


def _clause_of(sent: _Sentence, pos: int) -> int:
    for k, (a, b) in enumerate(sent.clauses):
        if a <= pos < b:
            return k
    return len(sent.clauses) - 1


def _agreements_of_sentence(res: _Result, i: int, by_sent: dict[str, list[list[Any]]],
                            subj: str | None, topic: list[str | None], L: ExtractionLexicon) -> None:
    body = res.body
    sent = res.sentences[i]
    sp: list[_Mention] = by_sent["p"][i]
    sm = by_sent["m"][i]
    info = res.party_info
    per_clause: dict[int, tuple[int, int, str]] = {}
    for t in by_sent["t"][i]:
        k = _clause_of(sent, t[0])
        if k not in per_clause or L.kind_rank[t[2]] < L.kind_rank[per_clause[k][2]]:
            per_clause[k] = t
    initiatives = [m for m in sp if info[m.pid].type == "initiative"]
    status = None
    for _, st in by_sent["s"][i]:
        if st and (status is None or L.status_rank[st] < L.status_rank[status]):
            status = st
    announced = None
    for _s, _e, per in by_sent["per"][i]:
        if per.start is not None and per.start == per.end:
            announced = per.start
            break

    def make(kind: str, anchor: int, clause: int, identity: str | None) -> None:
        a, b = sent.clauses[clause]
        cparties = [m for m in sp if a <= m.start < b and info[m.pid].type != "initiative"]
        earlier = [m for m in sp if m.start < a]
        own_subject = any(body[m.end:m.end + 1] in L.subject_particles for m in cparties)
        if subj and not own_subject and any(m.pid == subj for m in earlier):
            cparties = [m for m in earlier if m.pid == subj][:1] + cparties  # the sentence subject
        if not cparties and identity is None and not sp and topic[i]:
            cparties = [_Mention(sent.start, sent.start, "", topic[i])]
        if identity is not None and not cparties:
            cparties = [m for m in sp if info[m.pid].type != "initiative"]
        pids: list[str] = []
        for m in cparties:
            if m.pid not in pids:
                pids.append(m.pid)
        parent = info[identity].parent if identity else None
        if parent and parent not in pids:
            pids.insert(0, parent)
        if not pids:
            return
        mins = [x[2] for x in sm if a <= x[0] < b] or [x[2] for x in sm]
        mins = list(dict.fromkeys(mins))
        roles = L.roles.get(kind, L.roles["other"])
        sub = subj if subj in pids else pids[0]
        parties: dict[str, str] = {}
        for pid in pids:
            if pid == parent:
                parties[pid] = "issuer" if kind in ("initiative", "stockpile") else roles["subject"]
            elif pid == sub:
                parties[pid] = roles["subject"]
            elif info[pid].type == "government":
                parties[pid] = roles["government_other"]
            else:
                parties[pid] = roles["other"]
        cst = None
        for pos, st_ in by_sent["s"][i]:
            if st_ and a <= pos < b and (cst is None or L.status_rank[st_] < L.status_rank[cst]):
                cst = st_
        st = cst or status or L.default_status.get(kind) or L.default_status["*"]
        res.agreements.append(_Agreement(kind, st, i, sent.start, sent.end, anchor, identity, parties,
                                         mins, announced, {i}))

    used_init: set[str] = set()
    for k, (ts, te, kind) in sorted(per_clause.items()):
        a, b = sent.clauses[k]
        cinit = sorted((m for m in initiatives if a <= m.start < b), key=lambda m: abs(m.start - ts))
        identity = cinit[0].pid if cinit and (kind in L.generic or kind in L.absorbing) else None
        if kind in L.generic:
            before = body[max(sent.start, ts - 12):ts].split()
            after = body[te:te + 12]
            if (before and before[-1].casefold() in L.determiners and identity is None
                    and not L.linker_re.match(after)):
                continue  # "the partnership": refers to one already found
            if identity is not None:
                kind = "initiative"
        if identity:
            used_init.add(identity)
        make(kind, ts, k, identity)
    for m in initiatives:
        if m.pid not in used_init:
            used_init.add(m.pid)
            make("initiative", m.start, _clause_of(sent, m.start), m.pid)


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


def _non_gov(pids: Iterable[str], info: Mapping[str, PartyInfo]) -> set[str]:
    return {p for p in pids if info[p].type not in ("government",)}


def _merge_agreements(res: _Result, L: ExtractionLexicon) -> None:
    info = res.party_info
    out: list[_Agreement] = []
    for ag in res.agreements:
        target = None
        for prev in out:
            if prev.kind != ag.kind:
                continue
            if prev.identity or ag.identity:
                if prev.identity == ag.identity:
                    target = prev
                    break
                continue
            a, b = set(prev.parties), set(ag.parties)
            nested = bool(a and b and (a <= b or b <= a))
            gov_only = not _non_gov(a, info) or not _non_gov(b, info)
            if _non_gov(a & b, info) or (nested and (not gov_only or prev.minerals == ag.minerals
                                                      or (ag.kind in L.generic and not prev.identity))):
                target = prev
                break
        if target is None:
            out.append(ag)
            continue
        for pid, role in ag.parties.items():
            target.parties.setdefault(pid, role)
        for mn in ag.minerals:
            if mn not in target.minerals:
                target.minerals.append(mn)
        if ag.status in ("non_binding", "cancelled") and target.status != ag.status:
            target.status = ag.status
        target.announced_on = target.announced_on or ag.announced_on
        target.sentences |= ag.sentences
    res.agreements = out


def _attach_volumes(res: _Result) -> None:
    for vi, v in enumerate(res.volumes):
        cands = [(abs(ag.anchor - v.q.start), ai) for ai, ag in enumerate(res.agreements) if v.sentence in ag.sentences]
        if cands:
            ai = min(cands)[1]
            v.agreement = ai
            res.agreements[ai].volumes.append(vi)


# ------------------------------------------------------------------------------ outputs


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _parse_input(text_or_meta_body: Any, meta: Mapping[str, Any] | None) -> tuple[dict[str, Any], str]:
    if isinstance(text_or_meta_body, tuple) and len(text_or_meta_body) == 2:
        m, body = text_or_meta_body
        return dict(m or {}), _coerce_text(body)
    text = _coerce_text(text_or_meta_body)
    if meta is not None:
        return dict(meta), text
    front, body = split_front_matter(text)
    parsed: dict[str, Any] = {}
    if front is not None:
        # The seed reader's parser: dates stay strings (a bad one is unknown, not fatal), no duplicate keys.
        loaded = parse_yaml(front, "front matter", [], record="front matter")
        if isinstance(loaded, dict):
            parsed = loaded
        body = body.strip("\n")
    return parsed, body


def extract_text(body: str, meta: Mapping[str, Any] | None = None, seeds_dir: str | Path | None = None) -> _Result:
    L = load_extraction_lexicon(str(seeds_dir) if seeds_dir else None)
    return _analyse(_coerce_text(body), meta or {}, L)


def extract_article(text_or_meta_body: Any, meta: Mapping[str, Any] | None = None,
                    seeds_dir: str | Path | None = None) -> dict[str, Any]:
    """The ``critmin extract`` JSON object for an article.

    ``text_or_meta_body``: the file's text (Markdown with optional YAML front matter, or plain
    text), bytes (UTF-8), or a ``(meta, body)`` pair. Raises ValueError (one clear message) for
    input that is not text; any text gives a result.
    """
    meta_d, body = _parse_input(text_or_meta_body, meta)
    L = load_extraction_lexicon(str(seeds_dir) if seeds_dir else None)
    r = _analyse(body, meta_d, L)
    return _to_json(r)


def _party_json(r: _Result, pid: str) -> dict[str, Any]:
    p = r.party_info[pid]
    seen = list(dict.fromkeys(m.text for m in r.mentions if m.pid == pid))
    first = next(m for m in r.mentions if m.pid == pid)
    sent = r.sentences[_sentence_at(r.sentence_starts, first.start)]
    aliases = [a for a in dict.fromkeys([*seen, *r.party_aliases.get(pid, [])]) if a != p.name]
    if p.name_ko and p.name_ko != p.name and p.name_ko not in aliases and p.known:
        aliases.append(p.name_ko)
    return {"name": p.name, "type": p.type, "country": p.country, "aliases": aliases,
            "id": pid if p.known else None, "known": p.known,
            "evidence": r.body[sent.start:sent.end], "start": sent.start, "end": sent.end,
            "mention": first.text, "mention_start": first.start, "mention_end": first.end}


def _sentence_at(starts: list[int], pos: int) -> int:
    """Index of the sentence holding `pos` (`starts`: the sentences' start offsets, built once per text)."""
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _to_json(r: _Result) -> dict[str, Any]:
    meta = r.meta
    pids = list(dict.fromkeys(m.pid for m in r.mentions))
    ags = []
    for ag in r.agreements:
        ags.append({
            "kind": ag.kind, "status": ag.status,
            "parties": [{"name": r.party_info[p].name, "role": role} for p, role in ag.parties.items()],
            "minerals": list(ag.minerals), "announced_on": _iso(ag.announced_on),
            "evidence": r.body[ag.start:ag.end], "start": ag.start, "end": ag.end,
            "party_ids": list(ag.parties),
        })
    vols = []
    seen: set[tuple[Any, ...]] = set()
    for v in r.volumes:
        key = (v.mineral, v.q.measure, v.q.quantity, v.q.unit)
        if key in seen:
            continue
        seen.add(key)
        vols.append({
            "mineral": v.mineral, "measure": v.q.measure, "quantity": float(v.q.quantity),
            "unit": v.q.unit, "bound": v.q.bound, "per_year": v.q.per_year,
            "period_start": _iso(v.period_start), "period_end": _iso(v.period_end),
            "evidence": v.q.text, "start": v.q.start, "end": v.q.end, "agreement": v.agreement,
        })
    minerals: list[str] = []
    for ag in r.agreements:
        minerals += ag.minerals
    minerals += [v.mineral for v in r.volumes if v.mineral]
    title = meta.get("title")
    return {
        "article": {"title": title if isinstance(title, str) else None,
                    "published_on": _iso(r.published_on), "language": r.language},
        "parties": [_party_json(r, p) for p in pids],
        "minerals": list(dict.fromkeys(minerals)),
        "agreements": ags,
        "volumes": vols,
        "mentioned_minerals": list(dict.fromkeys(x[2] for x in r.mineral_mentions)),
    }


# ------------------------------------------------------------------------------ draft


_KIND_TITLE = {
    "mou": "MOU", "offtake": "offtake", "supply_contract": "supply contract",
    "supply_plan": "supply plan", "investment": "investment", "joint_venture": "joint venture",
    "partnership": "partnership", "initiative": "initiative", "stockpile": "stockpile",
    "export_control": "export controls", "funding_programme": "funding programme", "other": "measure",
}


def _evidence_for_volume(body: str, v: _Volume, r: _Result) -> str | None:
    """A quote that parses back to the volume's number and unit (the validator re-checks it)."""
    q = v.q
    cands = []
    if v.mineral:
        for s, e, slug in r.mineral_mentions:
            if slug == v.mineral and q.end <= s <= q.end + 25:
                cands.append(body[q.start:e])
                break
    cands.append(q.text)
    for c in cands:
        try:
            found = quantities.parse_quantities(c)
        except Exception:  # noqa: BLE001 - a quote the parser cannot read is not used
            continue
        if c.strip() and c == c.strip() and any(f.quantity == q.quantity and f.unit == q.unit for f in found):
            return c
    return None


def draft_entities(article_id: str, body: str, published_on: date | str | None = None,
                   language: str | None = None, seeds_dir: str | Path | None = None,
                   title: str | None = None) -> dict[str, Any]:
    """A curated-format entity file (seeds/README.md) drafted from the article body.

    Only parties known to reference/parties.yaml are written as facts (an unknown name would
    make the validator reject the article); unknown organisations are listed under the key
    ``_unknown_parties`` (the CLI writes them as comments) for the reviewer to add.
    """
    meta = {"published_on": published_on, "language": language, "title": title}
    L = load_extraction_lexicon(str(seeds_dir) if seeds_dir else None)
    r = _analyse(_coerce_text(body), meta, L)
    info = r.party_info
    parties = []
    seen_p: set[str] = set()
    for m in r.mentions:
        if m.pid in seen_p or not info[m.pid].known:
            continue
        seen_p.add(m.pid)
        s = r.sentences[_sentence_at(r.sentence_starts, m.start)]
        parties.append({"name": info[m.pid].name, "evidence": body[s.start:s.end]})
    agreements = []
    keys: set[str] = set()
    attached: set[int] = set()
    for ag in r.agreements:
        known = [(p, role) for p, role in ag.parties.items() if info[p].known]
        if not known:
            continue
        names = [info[p].name for p, _ in known]
        slug_parts = [info[p].pid for p, _ in known[:2]] + ag.minerals[:1] + [ag.kind.replace("_", "-")]
        key = slugify("-".join(slug_parts))[:72].strip("-") or "agreement"
        base, n = key, 2
        while key in keys:
            key = f"{base}-{n}"
            n += 1
        keys.add(key)
        mins = " and ".join(m.replace("_", " ") for m in ag.minerals[:3])
        title_ = " × ".join(names[:3]) + (f" {mins}" if mins else "") + f" {_KIND_TITLE.get(ag.kind, ag.kind)}"
        vols = []
        for vi in ag.volumes:
            v = r.volumes[vi]
            ev = _evidence_for_volume(body, v, r)
            if ev is None:
                continue
            attached.add(vi)
            vols.append(_volume_yaml(v, ev))
        agreements.append({
            "key": key, "kind": ag.kind, "title": title_, "status": ag.status,
            "announced_on": _iso(ag.announced_on), "location": None,
            "minerals": list(ag.minerals),
            "parties": [{"name": info[p].name, "role": role} for p, role in known],
            "evidence": body[ag.start:ag.end], "volumes": _dedupe(vols),
        })
    claims = []
    for vi, v in enumerate(r.volumes):
        if vi in attached or v.agreement is not None and any(a["evidence"] == body[r.agreements[v.agreement].start:r.agreements[v.agreement].end] for a in agreements):
            continue
        if v.q.measure not in ("share", "money", "mass"):
            continue
        ev = _evidence_for_volume(body, v, r)
        if ev is None:
            continue
        sent = r.sentences[v.sentence]
        stext = body[sent.start:sent.end]
        topic = next((t for rx, t in L.claim_topics if rx.search(stext)), "other")
        subj = next((m.pid for m in r.mentions if sent.start <= m.start < sent.end and info[m.pid].known), None)
        c = {"topic": topic, "subject": info[subj].name if subj else None, **_volume_yaml(v, ev)}
        claims.append(c)
    unknown = [{"name": p.name, "type": p.type, "country": p.country,
                "aliases": r.party_aliases.get(p.pid, [])}
               for p in info.values() if not p.known and any(m.pid == p.pid for m in r.mentions)]
    return {"article": article_id, "parties": parties, "agreements": agreements,
            "claims": _dedupe(claims), "_unknown_parties": unknown}


def _volume_yaml(v: _Volume, evidence: str) -> dict[str, Any]:
    return {"mineral": v.mineral, "measure": v.q.measure, "quantity": _num(v.q.quantity),
            "unit": v.q.unit, "bound": v.q.bound, "per_year": v.q.per_year,
            "period_start": _iso(v.period_start), "period_end": _iso(v.period_end),
            "evidence": evidence}


def _dedupe(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for it in items:
        key = (it.get("mineral"), it.get("unit"), it.get("quantity"), it.get("topic"))
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out


def draft_yaml(draft: Mapping[str, Any], source: str | None = None) -> str:
    """The draft as YAML text with a header saying it is machine-drafted and must be reviewed."""
    lines = [
        "# MACHINE-DRAFTED by `critmin draft` (rule-based extractor): REVIEW BEFORE COMMITTING.",
        "# Check every party, kind, status, role, mineral and figure against the article; fix the",
        "# agreement keys and titles; delete what is wrong. Facts loaded unreviewed carry",
        "# review_status = 'auto'.",
    ]
    if source:
        lines.append(f"# source: {source}")
    unknown = draft.get("_unknown_parties") or []
    if unknown:
        lines.append("# Organisations not in reference/parties.yaml (add them there to use them here):")
        for p in unknown:
            extra = f" aliases {p['aliases']}" if p.get("aliases") else ""
            lines.append(f"#   - {p['name']} (type {p['type']}, country {p['country']}){extra}")
    data = {k: v for k, v in draft.items() if not k.startswith("_")}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(lines) + "\n" + text
