"""The extraction lexicon: reference parties/minerals and extraction.yaml compiled into matchers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from etl.extractor.names import NameRules, compile_name_rules
from etl.extractor.patterns import (
    _HANGUL,
    _IS_HANGUL,
    _end_assert,
    _guarded_union,
    _note_case,
    _words_re,
)
from etl.paths import reference_file, resource_dir
from etl.sources.seeds import read_reference
from etl.text import UnitLexicon, load_units
from etl.transform.lexicon import Lexicon, alias_key, build_lexicon


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
    units: UnitLexicon
    names: NameRules
    particle_starts: tuple[str, ...]
    stake_re: re.Pattern[str]
    org_suffix_words: frozenset[str]
    product_re: re.Pattern[str]
    product_of: dict[str, str]
    buyer_re: re.Pattern[str]
    seller_re: re.Pattern[str]
    alias_norms: list[str]
    alias_norm_pid: dict[str, str]
    deal_anaphora_re: re.Pattern[str] = re.compile(r"(?!)")
    example_re: re.Pattern[str] = re.compile(r"(?!)")
    context_noun_re: re.Pattern[str] = re.compile(r"(?!)")
    capacity_re: re.Pattern[str] = re.compile(r"(?!)")
    forecast_re: re.Pattern[str] = re.compile(r"(?!)")
    relative_re: re.Pattern[str] = re.compile(r"(?!)")
    clause_lead_re: re.Pattern[str] = re.compile(r"(?!)")
    data: dict[str, Any] = field(default_factory=dict)


def _norm_key(text: str) -> str:
    return re.sub(r"[^0-9a-z가-힣]", "", str(text).lower())


def load_extraction_lexicon(seeds_dir: str | Path | None = None) -> ExtractionLexicon:
    """Read the reference lexicons, units.yaml and extraction.yaml of a seed folder (not cached).

    The bundled seeds stand in for a folder (or a file) that is missing.
    """
    root = Path(seeds_dir) if seeds_dir else resource_dir("seeds")
    problems: list[Any] = []
    ref = read_reference(root, problems)
    if ref is None:
        ref = read_reference(resource_dir("seeds"), problems)
    if ref is None:
        raise ValueError(f"cannot read the reference lexicons in {root / 'reference'}")
    lex = build_lexicon(ref, [])
    with reference_file(root, "extraction.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    particles = "(?:" + _words_re(data["ko_particles"]) + ")"
    parties = {row["party_id"]: PartyInfo(row["party_id"], row["name"], row.get("name_ko"), row.get("party_type"),
                                          row.get("country_code"), row.get("parent_party_id"))
               for row in lex.rows["party"]}
    party_re, exact = _party_matcher(lex, particles)
    mineral_re, m_exact = _mineral_matcher(ref.minerals, lex, data)
    trigger_re, trigger_kind, gap = _trigger_matcher(data)
    status_re, status_of = _status_matcher(data)
    clause_en, clause_ko, clause_ko_conn = _clause_matchers(data)
    alias_norm_pid = {_norm_key(a["alias"]): a["party_id"] for a in lex.rows["party_alias"] if len(_norm_key(a["alias"])) >= 4}
    product_of = {str(f).lower(): name for name, forms in data["products"]["forms"].items() for f in forms}
    country_names = [a["alias"] for a in lex.rows["party_alias"]
                     if parties[a["party_id"]].type == "government" and parties[a["party_id"]].parent is None]
    return ExtractionLexicon(
        lex=lex, parties=parties, party_re=party_re, party_exact=exact, mineral_re=mineral_re,
        mineral_exact=m_exact, trigger_re=trigger_re, trigger_kind=trigger_kind, gap_triggers=gap,
        status_re=status_re, status_of=status_of,
        status_rank={s: i for i, s in enumerate(data["status_words"])},
        kind_rank={k: i for i, k in enumerate(data["kind_priority"])},
        generic=frozenset(data["generic_kinds"]), absorbing=frozenset(data["initiative_kinds"]),
        linker_re=re.compile(r"\A\s*(?:" + _words_re(data["party_linkers"]) + r")(?![A-Za-z])", re.IGNORECASE),
        determiners=frozenset(str(w).casefold() for w in data["anaphoric_determiners"]),
        default_status=data["default_status"], roles=data["roles"],
        subject_particles=tuple(data["ko_subject_particles"]),
        anaphora_re=re.compile(r"\A\W*(?:" + _words_re(data["anaphora_starts"]) + r")(?![A-Za-z])", re.IGNORECASE),
        clause_en_re=clause_en, clause_ko_re=clause_ko, clause_ko_conn_re=clause_ko_conn,
        org_res=_org_patterns(data["org_patterns"], particles), stop_words=frozenset(data["org_patterns"]["stop_words_en"]),
        claim_topics=[(re.compile(_words_re(ws), re.IGNORECASE), t) for t, ws in data["claim_topics"].items()],
        country_ko_re=re.compile(r"(?:" + _words_re(country_names) + r")(?:'s|’s|의)?\s*\Z"),
        units=load_units(reference_file(root, "units.yaml")),
        names=compile_name_rules(data, data["ko_particles"]), particle_starts=tuple(str(p) for p in data["ko_particles"]),
        buyer_re=re.compile(r"(?<![a-z])(?:" + _words_re(data["supply_direction"]["buyer_words"]) + ")"),
        seller_re=re.compile(r"(?<![a-z])(?:" + _words_re(data["supply_direction"]["seller_words"]) + ")"),
        product_re=re.compile(r"(?<![A-Za-z0-9])(?:" + _words_re(product_of) + r")(?![A-Za-z0-9])", re.IGNORECASE),
        product_of=product_of,
        org_suffix_words=frozenset(str(w) for k in ("government_suffixes_en", "research_suffixes_en", "company_suffixes_en")
                                   for w in data["org_patterns"][k]),
        # no \A: match(body, pos) anchors at pos, \A only at the start of the body; a decimal
        # point ("9.9 percent") is no sentence end
        stake_re=re.compile(r"(?:[^.;\n]|\.(?=\d)){0,40}?(?:" + _words_re(data["stake_words"]) + ")", re.IGNORECASE), alias_norms=list(alias_norm_pid),
        alias_norm_pid=alias_norm_pid, data=data, **_context_matchers(data),
    )


def _context_matchers(data: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    """Deal anaphora, example markers and the cues of context figures (extraction.yaml)."""
    c = data["context_figures"]

    def words(ws: Any) -> str:
        return r"(?<![A-Za-z])(?:" + _words_re(ws) + r")(?![A-Za-z])"

    return {
        "deal_anaphora_re": re.compile(r"\W*(?:" + _words_re(data["deal_anaphora"]) + r")(?![A-Za-z])", re.IGNORECASE),
        "example_re": re.compile(words(data["example_markers_en"]), re.IGNORECASE),
        "context_noun_re": re.compile(words(c["nouns"]), re.IGNORECASE),
        "capacity_re": re.compile(words(c["capacity"]), re.IGNORECASE),
        "forecast_re": re.compile(words(c["forecast"]), re.IGNORECASE),
        "relative_re": re.compile(words(c["relative"]), re.IGNORECASE),
        "clause_lead_re": re.compile(r"(?:" + _words_re(data["clause_lead_en"]) + r")\b[^,;]{3,200}?,(?=\s)", re.IGNORECASE),
    }


@lru_cache(maxsize=4)
def lexicon_for(seeds_dir: str | None = None) -> ExtractionLexicon:
    """The command-line edge's cache: one lexicon per seed folder per process."""
    return load_extraction_lexicon(seeds_dir)


def _party_matcher(lex: Lexicon, particles: str) -> tuple[re.Pattern[str], dict[str, set[str]]]:
    entries = []
    exact: dict[str, set[str]] = {}   # alias key → exact spellings, for case-sensitive aliases
    for row in lex.rows["party_alias"]:
        alias = row["alias"]
        _note_case(alias, exact)
        entries.append((alias, True, _end_assert(alias, particles)))
    return _guarded_union(entries, hangul_left=True), exact


def _mineral_matcher(minerals: list[Any], lex: Lexicon, data: dict[str, Any]) -> tuple[re.Pattern[str], dict[str, set[str]]]:
    allow = set(data.get("symbol_allowlist") or [])
    entries = []
    exact: dict[str, set[str]] = {}
    for m in minerals:
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
                _note_case(variant, exact)
                entries.append((variant, True, _end_assert(variant, None)))
    return _guarded_union(entries, hangul_left=True), exact


def _trigger_matcher(data: dict[str, Any]) -> tuple[re.Pattern[str], dict[str, str], list[tuple[re.Pattern[str], str]]]:
    trigger_kind: dict[str, str] = {}
    entries = []
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
            entries.append((form, True, _end_assert(form, None)))
    return _guarded_union(entries, hangul_left=False), trigger_kind, gap


def _status_matcher(data: dict[str, Any]) -> tuple[re.Pattern[str], dict[str, str]]:
    status_of: dict[str, str] = {}
    entries = []
    for status, forms in data["status_words"].items():
        for form in forms:
            status_of.setdefault(alias_key(str(form)), status)
            entries.append((str(form), True, _end_assert(str(form), None)))
    return _guarded_union(entries, hangul_left=False), status_of


def _clause_matchers(data: dict[str, Any]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    followers = _words_re(data["clause_break_en_followers"])
    clause_en = (r"(?:;|\s[—–]\s|,\s+(?:and|but|while|whereas|so)\s+(?=(?i:" + followers
                 + r")\b|[A-Z])|,\s+(?=(?:" + _words_re(data["clause_break_en_starts"]) + r")\b))")
    clause_ko = re.compile(f"(?<=[{''.join(data['clause_break_ko_endings'])}]),\\s")
    clause_ko_conn = re.compile(f"(?:{_words_re(data['clause_break_ko_connectives'])})(?=\\s)")
    return re.compile(clause_en), clause_ko, clause_ko_conn


def _org_patterns(org: dict[str, Any], particles: str) -> list[tuple[re.Pattern[str], str]]:
    """Unknown organisations by shape: … Inc./Corp./Group, Ministry of …, (주)…, …부, …위원회."""
    cap = r"[A-Z][A-Za-z0-9&'’.\-]*"
    comp = _words_re(org["company_suffixes_en"])
    res = _words_re(org["research_suffixes_en"])
    gov_suf = _words_re(org["government_suffixes_en"])
    heads = _words_re(org["government_heads_en"])
    return [
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
