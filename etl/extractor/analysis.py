"""One pass over an article: signals found in the body, then sentence by sentence."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from etl import text as quantities
from etl.extractor.agreements import (
    _agreements_of_sentence,
    _attach_volumes,
    _merge_agreements,
)
from etl.extractor.lexicon import ExtractionLexicon
from etl.extractor.model import _Result, _Sentence
from etl.extractor.parties import _find_parties, _subject
from etl.extractor.patterns import (
    _case_ok,
    _overlaps,
)
from etl.extractor.sentences import (
    _sentence_at,
    _split_sentences,
)
from etl.extractor.volumes import (
    _volumes_of_sentence,
)
from etl.sources.seeds import as_date, parse_yaml, split_front_matter
from etl.text.language import detect_language
from etl.transform.lexicon import alias_key

MAX_TEXT_CHARS = 20_000_000


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




def _article_date(meta: Mapping[str, Any]) -> date | None:
    try:
        return as_date(meta.get("published_on"))
    except (ValueError, TypeError):
        return None


def _find_minerals(body: str, L: ExtractionLexicon, pspans: list[tuple[int, int]],
                   pstarts: list[int]) -> list[tuple[int, int, str]]:
    """Mineral names, never inside a party name (Lithium Americas, 고려아연)."""
    minerals: list[tuple[int, int, str]] = []
    for m in L.mineral_re.finditer(body):
        if _overlaps(m.start(), m.end(), pspans, pstarts):
            continue
        slug = L.lex.mineral(m.group()) or L.lex.mineral(m.group().replace(" ", "_"))
        if slug and _case_ok(m.group(), L.mineral_exact):
            minerals.append((m.start(), m.end(), slug))
    return minerals


def _trigger_words(body: str, L: ExtractionLexicon) -> list[tuple[int, int, str | None]]:
    """Every trigger word of the body with its kind (one scan, read by the party finder too)."""
    raw: list[tuple[int, int, str | None]] = [(m.start(), m.end(), L.trigger_kind.get(alias_key(m.group())))
                                            for m in L.trigger_re.finditer(body)]
    for rx, kind in L.gap_triggers:
        raw += [(m.start(), m.end(), kind) for m in rx.finditer(body)]
    return raw


def _find_triggers(body: str, L: ExtractionLexicon, pspans: list[tuple[int, int]], pstarts: list[int],
                   raw: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str]]:
    triggers = [(s, e, k) for s, e, k in raw if k and not _overlaps(s, e, pspans, pstarts)]
    stake = L.stake_re
    buying = {"offtake", "supply_contract", "supply_plan"}
    # "will buy up to 9.9 percent stake": buying a stake is an investment
    return sorted((s, e, "investment" if k in buying and stake.match(body, e) else k) for s, e, k in triggers)


def _spans_with(sentences: list[_Sentence], starts: list[int], positions: list[int]) -> list[tuple[int, int]]:
    """The (start, end) of the sentences holding any of the positions, in order."""
    if not sentences:
        return []
    hit = sorted({_sentence_at(starts, p) for p in positions})
    return [(sentences[i].start, sentences[i].end) for i in hit]


def _index_by_sentence(sent_starts: list[int], signals: Mapping[str, list[Any]]) -> dict[str, list[list[Any]]]:
    """Per-sentence lists of each kind of signal (p, m, t, s, q, per)."""
    by_sent: dict[str, list[list[Any]]] = {k: [[] for _ in sent_starts] for k in signals}
    if not sent_starts:
        return by_sent
    for key, items in signals.items():
        for x in items:
            pos = x.start if hasattr(x, "start") and not isinstance(x, tuple) else x[0]
            by_sent[key][_sentence_at(sent_starts, pos)].append(x)
    return by_sent


def _analyse(body: str, meta: Mapping[str, Any], L: ExtractionLexicon) -> _Result:
    published_on = _article_date(meta)
    language = meta.get("language") if meta.get("language") in ("ko", "en") else detect_language(body)
    sentences = _split_sentences(body, L)
    sent_starts = [s.start for s in sentences]
    words = _trigger_words(body, L)
    mentions, unknown, aliases = _find_parties(body, L, sentences, frozenset(
        sentences[_sentence_at(sent_starts, w[0])].start for w in words) if sentences else frozenset())
    party_info = dict(L.parties)
    party_info.update(unknown)
    pspans = [(m.start, m.end) for m in mentions]
    pstarts = [m.start for m in mentions]
    minerals = _find_minerals(body, L, pspans, pstarts)
    triggers = _find_triggers(body, L, pspans, pstarts, words)
    figures = quantities.parse_quantities(body, L.units)
    # statuses, periods and products are read only where a deal or a figure is (the scans cost)
    deal_spans = _spans_with(sentences, sent_starts, [t[0] for t in triggers])
    fact_spans = _spans_with(sentences, sent_starts, [t[0] for t in triggers] + [q.start for q in figures])
    by_sent = _index_by_sentence(sent_starts, {
        "p": mentions, "m": minerals, "t": triggers,
        "s": [(m.start(), L.status_of.get(alias_key(m.group())))
              for a, b in deal_spans for m in L.status_re.finditer(body, a, b)],
        "q": figures, "per": quantities.find_periods(body, published_on, L.units, fact_spans)})
    res = _Result(body, dict(meta), language, published_on, sentences, mentions, party_info,
                  aliases, minerals, [], [], sent_starts, L.units)
    res.products = [(m.start(), m.end(), L.product_of[m.group().lower()])
                    for a, b in fact_spans for m in L.product_re.finditer(body, a, b)]
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
