"""A curated-format entity file drafted from an article (``critmin draft`` and auto facts)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from etl import text as quantities
from etl.db import domain
from etl.extractor.analysis import _analyse, _coerce_text
from etl.extractor.lexicon import ExtractionLexicon, lexicon_for
from etl.extractor.model import _Agreement, _Result, _Volume
from etl.extractor.output import _iso, _num
from etl.extractor.sentences import (
    _sentence_at,
)
from etl.transform.lexicon import slugify

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


class DroppedFact(NamedTuple):
    """A fact the extractor found that the draft leaves out, and why (for the load summary)."""

    fact: dict[str, Any]
    reason: str


def draft_entities(article_id: str, body: str, published_on: date | str | None = None,
                   language: str | None = None, seeds_dir: str | Path | None = None,
                   title: str | None = None, lexicon: ExtractionLexicon | None = None,
                   ) -> tuple[dict[str, Any], list[DroppedFact]]:
    """A curated-format entity file (seeds/README.md) drafted from the article body, and the
    facts found but left out of it, each with its reason.

    Every fact written passes the checks of the validate stage that the draft can know
    (vocabularies, units of the measure, period order, quotes that parse back to the figure);
    only parties known to reference/parties.yaml are written (an unknown name would make the
    validator reject the article). Unknown organisations are listed under ``_unknown_parties``
    (the CLI writes them as comments) for the reviewer to add.
    """
    meta = {"published_on": published_on, "language": language, "title": title}
    L = lexicon or lexicon_for(str(seeds_dir) if seeds_dir else None)
    r = _analyse(_coerce_text(body), meta, L)
    dropped: list[DroppedFact] = []
    parties = _draft_parties(r, dropped)
    agreements, attached = _draft_agreements(r, dropped)
    drafted = {i for i, a in enumerate(r.agreements) if _agreement_key_source(a, r)}
    claims = _draft_claims(r, L, attached, drafted, dropped)
    unknown = [{"name": p.name, "type": p.type, "country": p.country, "aliases": r.party_aliases.get(p.pid, [])}
               for p in r.party_info.values() if not p.known and any(m.pid == p.pid for m in r.mentions)]
    draft = {"article": article_id, "parties": parties, "agreements": agreements,
             "claims": _dedupe(claims), "_unknown_parties": unknown}
    return draft, dropped


def _agreement_key_source(ag: _Agreement, r: _Result) -> bool:
    return any(r.party_info[p].known for p in ag.parties) and ag.kind in domain.AGREEMENT_KINDS


def _draft_parties(r: _Result, dropped: list[DroppedFact]) -> list[dict[str, Any]]:
    parties = []
    seen: set[str] = set()
    for m in r.mentions:
        if m.pid in seen:
            continue
        seen.add(m.pid)
        s = r.sentences[_sentence_at(r.sentence_starts, m.start)]
        fact = {"type": "party", "name": r.party_info[m.pid].name, "evidence": r.body[s.start:s.end]}
        if r.party_info[m.pid].known:
            parties.append({"name": fact["name"], "evidence": fact["evidence"]})
        else:
            dropped.append(DroppedFact(fact, f"party {fact['name']!r} is not in reference/parties.yaml"))
    return parties


def _draft_agreements(r: _Result, dropped: list[DroppedFact]) -> tuple[list[dict[str, Any]], set[int]]:
    info, body = r.party_info, r.body
    agreements: list[dict[str, Any]] = []
    keys: set[str] = set()
    attached: set[int] = set()
    for ag in r.agreements:
        fact = {"type": "agreement", "kind": ag.kind, "evidence": body[ag.start:ag.end],
                "parties": [info[p].name for p in ag.parties]}
        known = [(p, role) for p, role in ag.parties.items() if info[p].known and role in domain.PARTY_ROLES]
        reason = _agreement_problem(ag, known, info)
        if reason:
            dropped.append(DroppedFact(fact, reason))
            continue
        key = _unique_key(ag, known, info, keys)
        names = [info[p].name for p, _ in known]
        mins = " and ".join(m.replace("_", " ") for m in ag.minerals[:3])
        title_ = " × ".join(names[:3]) + (f" {mins}" if mins else "") + f" {_KIND_TITLE.get(ag.kind, ag.kind)}"
        vols = []
        for vi in ag.volumes:
            v = r.volumes[vi]
            ev, why = _checked_volume(body, v, r)
            if ev is None:
                dropped.append(DroppedFact(_volume_fact(v), why))
                continue
            attached.add(vi)
            vols.append(_volume_yaml(v, ev))
        agreements.append({
            "key": key, "kind": ag.kind, "title": title_, "status": ag.status,
            "announced_on": _iso(ag.announced_on), "location": None, "minerals": list(ag.minerals),
            "parties": [{"name": info[p].name, "role": role} for p, role in known],
            "evidence": body[ag.start:ag.end], "volumes": _dedupe(vols),
        })
    return agreements, attached


def _agreement_problem(ag: _Agreement, known: list[tuple[str, str]], info: Mapping[str, Any]) -> str | None:
    if ag.kind not in domain.AGREEMENT_KINDS:
        return f"agreement kind {ag.kind!r} is not an agreement kind"
    if ag.status not in domain.AGREEMENT_STATUSES:
        return f"status {ag.status!r} is not an agreement status"
    if not known:
        unknown = [info[p].name for p in ag.parties if not info[p].known]
        return ("no party of the agreement is in reference/parties.yaml"
                + (f" ({', '.join(unknown)})" if unknown else ""))
    return None


def _unique_key(ag: _Agreement, known: list[tuple[str, str]], info: Mapping[str, Any], keys: set[str]) -> str:
    slug_parts = [info[p].pid for p, _ in known[:2]] + ag.minerals[:1] + [ag.kind.replace("_", "-")]
    key = slugify("-".join(slug_parts))[:72].strip("-") or "agreement"
    base, n = key, 2
    while key in keys:
        key = f"{base}-{n}"
        n += 1
    keys.add(key)
    return key


def _draft_claims(r: _Result, L: ExtractionLexicon, attached: set[int], drafted: set[int],
                  dropped: list[DroppedFact]) -> list[dict[str, Any]]:
    """Figures not written with an agreement become market claims where a claim can hold them."""
    info, body = r.party_info, r.body
    claims = []
    for vi, v in enumerate(r.volumes):
        if vi in attached:
            continue
        if v.q.measure not in ("share", "money", "mass"):
            if v.agreement is None or v.agreement not in drafted:
                dropped.append(DroppedFact(_volume_fact(v), f"a {v.q.measure} figure is only loaded with an agreement"))
            continue
        ev, why = _checked_volume(body, v, r)
        if ev is None:
            dropped.append(DroppedFact(_volume_fact(v), why))
            continue
        sent = r.sentences[v.sentence]
        stext = body[sent.start:sent.end]
        topic = next((t for rx, t in L.claim_topics if rx.search(stext)), "other")
        subj = next((m.pid for m in r.mentions if sent.start <= m.start < sent.end and info[m.pid].known), None)
        claims.append({"topic": topic if topic in domain.CLAIM_TOPICS else "other",
                       "subject": info[subj].name if subj else None, **_volume_yaml(v, ev)})
    return claims


def _volume_fact(v: _Volume) -> dict[str, Any]:
    return {"type": "volume", "mineral": v.mineral, "quantity": _num(v.q.quantity), "unit": v.q.unit,
            "evidence": v.q.text}


def _checked_volume(body: str, v: _Volume, r: _Result) -> tuple[str | None, str]:
    """The volume's evidence quote, or None and why the validator would refuse the figure."""
    allowed = domain.UNITS_BY_MEASURE.get(v.q.measure, ())
    if v.q.unit not in allowed:
        return None, f"unit {v.q.unit!r} is not a unit of {v.q.measure}"
    if v.q.bound not in domain.BOUNDS:
        return None, f"bound {v.q.bound!r} is not a bound"
    if v.period_start and v.period_end and v.period_end < v.period_start:
        return None, f"the period ends ({v.period_end}) before it starts ({v.period_start})"
    ev = _evidence_for_volume(body, v, r)
    if ev is None:
        return None, f"no quote of {v.q.text!r} parses back to {_num(v.q.quantity)} {v.q.unit}"
    return ev, ""


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


def draft_yaml(draft: Mapping[str, Any], source: str | None = None,
               dropped: list[DroppedFact] | None = None) -> str:
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
    if dropped:
        lines.append("# Found but not drafted (fix the reference lexicons or add them by hand):")
        for d in dropped:
            what = d.fact.get("name") or d.fact.get("kind") or f"{d.fact.get('quantity')} {d.fact.get('unit')}"
            lines.append(f"#   - {d.fact['type']} {what}: {d.reason}")
    data = {k: v for k, v in draft.items() if not k.startswith("_")}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(lines) + "\n" + text
