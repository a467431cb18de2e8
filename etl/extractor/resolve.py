"""From found names to parties: one party per organisation, every mention of it in the article.

* names that are spelling variants of each other (a prefix, "Korea Zinc" / "Korea Zinc Co.", or
  a close transliteration, 리엘리먼트 / 리엘러먼트) are one party; so is a name close to a
  reference alias, which then resolves to the reference party (rapidfuzz, ratio ≥ 90);
* a multi-word English name's first word is its short form ("Liontown" for "Liontown
  Resources"), a bracketed name its other spelling;
* every spelling is then looked for across the whole article;
* "the company", "회사 측" refer to the last company named; "양사", "the two companies" to the
  last two.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping

from rapidfuzz import fuzz, process

from etl.extractor.lexicon import ExtractionLexicon, PartyInfo
from etl.extractor.model import _Mention
from etl.extractor.names import Name
from etl.extractor.patterns import _HANGUL, _overlaps
from etl.transform.lexicon import slugify

_NORM = re.compile(r"[^0-9a-z가-힣]")
FUZZY_CUTOFF = 90


def norm(text: str) -> str:
    return _NORM.sub("", text.lower())


def _same(a: str, b: str) -> bool:
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    short, long_ = sorted((na, nb), key=len)
    if len(short) >= 3 and long_.startswith(short) and (len(short) >= 5 or len(long_) - len(short) <= 12):
        return True
    return len(short) >= 4 and fuzz.ratio(na, nb) >= FUZZY_CUTOFF


def group_names(names: list[Name]) -> list[list[Name]]:
    """Names of one organisation together (strong names first in each group)."""
    groups: list[list[Name]] = []
    seen: dict[tuple[str, tuple[str, ...]], Name] = {}
    for n in names:  # one Name per spelling: a long text repeats them
        key = (n.text, tuple(n.aliases))
        if key not in seen or (n.strong and not seen[key].strong):
            seen[key] = n
    for n in sorted(seen.values(), key=lambda x: (not x.strong, x.start)):
        for g in groups:
            if any(_same(n.text, x.text) or any(_same(a, x.text) for a in n.aliases) for x in g):
                g.append(n)
                break
        else:
            groups.append([n])
    return groups


def lexicon_match(text: str, L: ExtractionLexicon) -> str | None:
    """A reference party whose alias is a close variant of ``text`` (transliterations, Co./Inc.)."""
    key = norm(text)
    if len(key) < 4:
        return None
    hit = process.extractOne(key, L.alias_norms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return L.alias_norm_pid[hit[0]] if hit else None


def _short_form(text: str, L: ExtractionLexicon) -> str | None:
    words = text.split()
    if len(words) < 2 or not words[0][:1].isupper():
        return None
    first = words[0].rstrip(",.")
    if (len(first) < 3 or first in L.names.not_names or first.lower() in L.names.suffix_en or L.lex.party(first)
            or first in L.org_suffix_words):
        return None
    return first


def party_of_group(group: list[Name], L: ExtractionLexicon) -> tuple[PartyInfo, list[str]]:
    """The unknown party a group of names stands for, and every spelling to look for."""
    head = max(group, key=lambda n: (n.strong, len(n.text)))
    latin = next((a for n in group for a in n.aliases if a[:1].isascii()), None)
    name = latin if latin and re.search(f"[{_HANGUL}]", head.text) else head.text
    forms = list(dict.fromkeys([n.text for n in group] + [a for n in group for a in n.aliases]))
    short = _short_form(name, L) if head.type == "company" else None
    if short:
        forms.append(short)
    country = next((n.country for n in group if n.country), None)
    ko = next((f for f in forms if re.search(f"[{_HANGUL}]", f)), None)
    slug = slugify(name)
    pid = "unknown:" + (slug if slug and not re.search(f"[{_HANGUL}]", name) else norm(name) or slug)
    return PartyInfo(pid, name, ko, head.type, country, None, known=False), forms


def scan_forms(body: str, forms: Mapping[str, str], taken: list[_Mention]) -> list[_Mention]:
    """Every occurrence of every spelling (one pass, longest spelling first), outside what is taken."""
    usable = sorted((f for f in forms if len(f) >= 2), key=len, reverse=True)
    if not usable:
        return []
    alts = []
    for form in usable:
        left = r"(?<![A-Za-z0-9])" if form[:1].isascii() else f"(?<![{_HANGUL}])"
        right = r"(?![A-Za-z0-9])" if form[-1:].isascii() else ""
        alts.append(left + re.escape(form) + right)
    spans = sorted((m.start, m.end) for m in taken)
    starts = [a for a, _ in spans]
    out: list[_Mention] = []
    for m in re.finditer("|".join(alts), body):
        if not _overlaps(m.start(), m.end(), spans, starts):
            out.append(_Mention(m.start(), m.end(), m.group(), forms[m.group()]))
    return out


def anaphora_mentions(body: str, mentions: list[_Mention], info: Mapping[str, PartyInfo],
                      L: ExtractionLexicon) -> list[_Mention]:
    """"the company" → the last company named before it; "양사" → the last two."""
    companies = sorted((m for m in mentions if info[m.pid].type == "company"), key=lambda x: x.end)
    ends = [c.end for c in companies]
    out: list[_Mention] = []
    R = L.names
    for rx, pair in ((R.anaphora_en, False), (R.anaphora_ko, False), (R.pair_anaphora, True)):
        for m in rx.finditer(body):
            k = bisect.bisect_right(ends, m.start())
            pids: list[str] = []
            while k > 0 and len(pids) < (2 if pair else 1):
                k -= 1
                if companies[k].pid not in pids:
                    pids.append(companies[k].pid)
            for pid in pids:
                out.append(_Mention(m.start(), m.end(), m.group(), pid))
    return out
