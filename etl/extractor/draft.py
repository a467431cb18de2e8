"""A curated-format entity file drafted from an article (``critmin draft`` and auto facts)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from etl import text as quantities
from etl.extractor.analysis import _analyse, _coerce_text
from etl.extractor.lexicon import ExtractionLexicon, lexicon_for
from etl.extractor.model import _Result, _Volume
from etl.extractor.output import _iso, _num
from etl.extractor.sentences import (
    _sentence_at,
)
from etl.transform import slugify

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
            found = quantities.parse_quantities(c, r.units)
        except Exception:  # noqa: BLE001 - a quote the parser cannot read is not used
            continue
        if c.strip() and c == c.strip() and any(f.quantity == q.quantity and f.unit == q.unit for f in found):
            return c
    return None


def draft_entities(article_id: str, body: str, published_on: date | str | None = None,
                   language: str | None = None, seeds_dir: str | Path | None = None,
                   title: str | None = None, lexicon: ExtractionLexicon | None = None) -> dict[str, Any]:
    """A curated-format entity file (seeds/README.md) drafted from the article body.

    Only parties known to reference/parties.yaml are written as facts (an unknown name would
    make the validator reject the article); unknown organisations are listed under the key
    ``_unknown_parties`` (the CLI writes them as comments) for the reviewer to add.
    """
    meta = {"published_on": published_on, "language": language, "title": title}
    L = lexicon or lexicon_for(str(seeds_dir) if seeds_dir else None)
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
