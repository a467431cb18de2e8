"""Context checks for reference aliases that are ambiguous without context.

* a region word before a country ("North Korea", "Latin America", 북한 is its own word);
* a one-character Chinese alias inside a longer word (中 in 中企 / 中東, 美 in 美術);
* a government agency of one country named with another country ("the Philippine DOE");
* a bare committee word (집행위원회, "the Commission") without its owner nearby;
* a country named as a place ("in China", "중국 톈치리튬", "Japan's SoftBank") rather than as
  a government that acts (signs, funds, bans: the subject of the clause, or "X government").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from etl.extractor.lexicon import ExtractionLexicon, PartyInfo
from etl.extractor.model import _Mention

_REGION_BEFORE = re.compile(r"(?:\b(?:North|South|Latin|Central|East|West|Southeast|Northern|Southern|Eastern|"
                            r"Western)\s+|(?<![가-힣])(?:북|남|동|서|중남|중앙)\s?)\Z")
_CJK = re.compile(r"[\u4e00-\u9fff가-힣]")
_GOV_WORDS_AFTER = re.compile(r"\A(?:'s|’s)?\s*(?:government|administration|authorities|officials|정부|당국)", re.IGNORECASE)
_GOV_WORDS_BEFORE = re.compile(r"(?:government of|governments of|administration of)\s+(?:the\s+)?\Z", re.IGNORECASE)
_EN_ACT = re.compile(r"\A\s+(?:and\s+[A-Z][\w.]+\s+)?(?:has|have|had|will|would|is|was|are|were|signed|agreed|announced|"
                     r"imposed|banned|restricted|launched|unveiled|approved|pledged|committed|plans|planned|"
                     r"moved|said|says|introduced|joined|funded|awarded|granted|set|issued|tightened|"
                     r"blocked|added|expanded|seeks|aims|wants|struck|reached|led|leads|called)\b")
_KO_ACT = re.compile(r"\A(?:은|는|이|가|도|과|와|정부|당국|측)(?![가-힣])|\A(?:은|는|이|가|도)\s")
_POSSESSIVE_OR_ADJ = re.compile(r"\A(?:'s|’s)\s+[A-Z]|\A\s?[A-Z가-힣]")


_EU_NEAR = re.compile(r"EU|European|유럽")
_HANGUL_START = re.compile("[가-힣]")
_LATIN_START = re.compile("[A-Za-z0-9]")
_NAME_BEFORE = re.compile(r"(?:[A-Z][a-z]+,|(?<![.!?]\s)(?<!\A)\b(?!The\b)[A-Z][A-Za-z]+)\s+\Z")


def _is_country(info: PartyInfo) -> bool:
    return info.type == "government" and info.parent is None


def keep_mention(body: str, m: _Mention, info: Mapping[str, PartyInfo], L: ExtractionLexicon,
                 clause_start: Callable[[], int]) -> bool:
    """Whether a reference-alias mention stands for its party here."""
    before = body[max(0, m.start - 16):m.start]
    after = body[m.end:m.end + 40]
    p = info[m.pid]
    if _REGION_BEFORE.search(before) and L.lex.party(before.split()[-1] + " " + m.text if before.split() else "") is None:
        if _is_country(p):
            return False
    if len(m.text) == 1 and _CJK.match(after[:1] or " "):
        return False
    if after[:1] == "$":
        return False  # "US$5 million": a currency, not the country
    if m.text[-1:].isascii() and _HANGUL_START.match(after) and not after.startswith(L.particle_starts):
        return False  # "LG화학": the start of a longer Korean name
    if _HANGUL_START.match(m.text[-1:]) and _LATIN_START.match(after):
        return False  # "삼성SDI": the start of a longer name
    if p.type == "government" and p.parent and _other_country_before(body, m, info, L, clause_start()):
        return False
    if len(m.text) <= 10 and m.text.endswith(("위원회", "Commission", "Committee")) and " " not in m.text.strip() \
            and not _EU_NEAR.search(m.text) and not _owner_near(body, m, p, L):
        return False  # a bare "집행위원회" / "the Commission" is any committee without its owner
    return True


def _other_country_before(body: str, m: _Mention, info: Mapping[str, PartyInfo], L: ExtractionLexicon,
                          clause_start: int) -> bool:
    """"필리핀 에너지부", "the Philippines' DOE": a demonym or country right before that is not the owner."""
    window = body[max(clause_start, m.start - 25):m.start]
    owner = info.get(info[m.pid].parent or "")
    words = re.findall(r"[\w’'.\-]+", window)[-2:]
    for w in words:
        w0 = re.sub(r"['’]s?\Z", "", w)
        code = L.names.demonyms.get(w0) or L.names.demonyms.get(w)
        pid = L.lex.party(w0)
        if pid and _is_country(info[pid]):
            code = info[pid].country
        if code and owner is not None and code != owner.country:
            return True
    return False


def _owner_near(body: str, m: _Mention, p: PartyInfo, L: ExtractionLexicon) -> bool:
    window = body[max(0, m.start - 15):m.start]
    if p.parent:
        for a in L.lex.rows["party_alias"]:
            if a["party_id"] == p.parent and a["alias"] in window:
                return True
    return bool(_EU_NEAR.search(window))


_EN_PLACE_BEFORE = re.compile(r"\b(?:in|into|across|at|throughout|within|outside|inside|based in|located in|"
                              r"operations in|mine in|project in|plant in|facility in|sourced from|imported from|imports from)\s+(?:the\s+)?\Z", re.IGNORECASE)
_EN_NATIONALITY_AFTER = re.compile(r"\A(?:['’]s\s+(?=[A-Z][a-z]*[A-Z]|[A-Z][a-z]+\s+[A-Z])|-(?:based|listed|headquartered)\b)")
_KO_PLACE_AFTER = re.compile(r"\A(?:에서|에|으로|로|내|산|현지)(?![가-힣])|\A\s+(?!정부|당국)[가-힣A-Za-z0-9]")
_EN_FUNCTION = re.compile(r"\A\s+(?:and|or|to|on|in|with|for|as|at|by|from|of|that|which|who|the|a|an|over|"
                          r"under|since|after|before|but|while|its|their|has|have|had|will|would|can|could|"
                          r"should|may|might|must|is|was|are|were|be|been|also|not|now|still|already|said|says)\b")
_EN_MODIFIED = re.compile(r"\A\s+(?:[A-Z]{2,}\b|[a-z][a-z\-]+)")


def country_is_place(body: str, m: _Mention, sentence_start: int, next_mention_start: int | None) -> bool:
    """A country mention is a place or a nationality, not a party: "in China", "China's CNGR",
    "Australia-based", "중국에서", "중국 톈치리튬" (right before another name)."""
    after = body[m.end:m.end + 40]
    before = body[max(sentence_start, m.start - 30):m.start]
    if _GOV_WORDS_AFTER.match(after) or _GOV_WORDS_BEFORE.search(before):
        return False
    if next_mention_start is not None and 0 <= next_mention_start - m.end <= 1:
        return True
    if m.text[:1].isascii():
        if _EN_PLACE_BEFORE.search(before) or _EN_NATIONALITY_AFTER.match(after):
            return True
        if _NAME_BEFORE.search(before):
            return True  # "Gwangyang, South Korea" (a place), "PE Hub Canada" (part of a name)
        # "US IRA tax credits", "U.S. ride hailing firm": the country modifies a noun
        return bool(_EN_MODIFIED.match(after)) and not _EN_FUNCTION.match(after) and not _EN_ACT.match(after)
    return bool(_KO_PLACE_AFTER.match(after))
