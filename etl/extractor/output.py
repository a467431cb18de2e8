"""The ``critmin extract`` JSON object (the shape shown in README.md) from an analysed article."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from etl.extractor.analysis import _analyse, _parse_input
from etl.extractor.lexicon import ExtractionLexicon, lexicon_for
from etl.extractor.model import _Result, _Volume
from etl.extractor.sentences import (
    _sentence_at,
)


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def extract_article(text_or_meta_body: Any, meta: Mapping[str, Any] | None = None,
                    seeds_dir: str | Path | None = None,
                    lexicon: ExtractionLexicon | None = None) -> dict[str, Any]:
    """The ``critmin extract`` JSON object for an article.

    ``text_or_meta_body``: the file's text (Markdown with optional YAML front matter, or plain
    text), bytes (UTF-8), or a ``(meta, body)`` pair. Raises ValueError (one clear message) for
    input that is not text; any text gives a result. ``lexicon`` (from
    :func:`load_extraction_lexicon`) is used when given, else the one of ``seeds_dir``.
    """
    meta_d, body = _parse_input(text_or_meta_body, meta)
    L = lexicon or lexicon_for(str(seeds_dir) if seeds_dir else None)
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


def _product_in(r: _Result, start: int, end: int, anchor: int) -> str | None:
    """The stated product (spodumene concentrate, lithium hydroxide …) nearest the anchor in a span."""
    inside = [p for p in r.products if start <= p[0] < end]
    return min(inside, key=lambda p: abs(p[0] - anchor))[2] if inside else None


def _product_near(r: _Result, v: Any) -> str | None:
    """A product right after the figure ("150,000 t of spodumene concentrate", "50ktpy nickel
    sulphate") or right before it ("수산화리튬 … 20-25%"), within its sentence."""
    sent = r.sentences[v.sentence]
    after = [p for p in r.products if v.q.start <= p[0] <= v.q.end + 60 and p[0] < sent.end]
    if after:
        return min(after)[2]
    before = [p for p in r.products if sent.start <= p[0] and p[1] <= v.q.start and v.q.start - p[1] <= 40]
    return max(before)[2] if before else None


def _to_json(r: _Result) -> dict[str, Any]:
    meta = r.meta
    pids = list(dict.fromkeys(m.pid for m in r.mentions))
    in_deals = {p for ag in r.agreements for p in ag.parties}  # the others are only mentioned
    ags = []
    for ag in r.agreements:
        ags.append({
            "kind": ag.kind, "status": ag.status,
            "parties": [{"name": r.party_info[p].name, "role": role} for p, role in ag.parties.items()],
            "minerals": list(ag.minerals), "announced_on": _iso(ag.announced_on),
            "evidence": r.body[ag.start:ag.end], "start": ag.start, "end": ag.end,
            "party_ids": list(ag.parties),
            "product": _product_in(r, ag.start, ag.end, ag.anchor),
        })
    vols, context = _volumes_json(r)
    minerals: list[str] = []
    for ag in r.agreements:
        minerals += ag.minerals
    minerals += [m for v in vols for m in v["minerals"]]
    title = meta.get("title")
    return {
        "article": {"title": title if isinstance(title, str) else None,
                    "published_on": _iso(r.published_on), "language": r.language},
        "parties": [_party_json(r, p) for p in pids if p in in_deals],
        "minerals": list(dict.fromkeys(minerals)),
        "agreements": ags,
        "volumes": vols,
        "mentioned_parties": [_party_json(r, p) for p in pids if p not in in_deals],
        "mentioned_minerals": list(dict.fromkeys(x[2] for x in r.mineral_mentions)),
        "context_figures": context,
    }


def _why_context(v: _Volume) -> str | None:
    if v.context is not None:
        return v.context
    if v.agreement is None and v.q.measure == "count":
        return "a count that belongs to no deal"
    return None


def _volumes_json(r: _Result) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The deal figures and, apart, the figures that describe the market, a resource or a plant.
    One item per figure (its minerals listed: "30% of the nickel and cobalt operation"); the same
    figure repeated in the article is listed once."""
    groups: dict[tuple[Any, ...], list[_Volume]] = {}
    for v in r.volumes:
        groups.setdefault((v.q.start, v.q.quantity, v.q.unit), []).append(v)
    vols: list[dict[str, Any]] = []
    context: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for vs in groups.values():
        v = vs[0]
        minerals = list(dict.fromkeys(x.mineral for x in vs if x.mineral))
        key = (tuple(minerals), v.q.measure, v.q.quantity, v.q.unit)
        if key in seen:
            continue
        seen.add(key)
        item = {
            "mineral": minerals[0] if minerals else None, "minerals": minerals, "measure": v.q.measure,
            "quantity": float(v.q.quantity), "unit": v.q.unit, "bound": v.q.bound, "per_year": v.q.per_year,
            "period_start": _iso(v.period_start), "period_end": _iso(v.period_end),
            "evidence": v.q.text, "start": v.q.start, "end": v.q.end, "agreement": v.agreement,
            "product": _product_near(r, v),
        }
        why = _why_context(v)
        if why is None:
            vols.append(item)
        else:
            context.append({**item, "why": why})
    return vols, context
