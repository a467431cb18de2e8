"""Measure the automatic extractor against the curated entity files (``critmin eval``).

For every seed article that has a curated file in ``entities/``, the extractor runs on the
article body and its output is compared with the curated facts. Four fact types, each scored
with precision, recall and F1, per article and overall (micro-averaged: the counts of all
articles are summed before dividing):

parties
    Gold: the canonical party ids (reference/parties.yaml) of the curated ``parties`` list, of
    every agreement's parties and of the claims' subjects. Predicted: the ids of every party the
    extractor reports, parties of its deals and parties only mentioned alike (the curated list
    holds both; an organisation found only by pattern counts with its own id, so it can only be
    a false positive). Compared as sets.
minerals
    Gold: the mineral slugs the curated file attaches to facts (agreement minerals, volume and
    claim minerals). Predicted: the extractor's top-level ``minerals`` (the minerals of its
    agreements and volumes) and those of its context figures; a mineral merely mentioned in
    passing is not a fact. Sets.
volumes
    Gold: every curated figure, agreement volumes and claims, as the key
    (mineral, unit, quantity). Predicted: the extractor's volumes and its context figures (the
    curated claims are figures of that kind), same key, one per mineral of the figure. Sets: a figure repeated in one article
    is one fact.
agreements
    Gold: the curated agreements. A predicted agreement may match a curated one when (a) they
    have the same kind and share at least one party (canonical id), or (b) their evidence
    spans overlap in the body (same passage, whatever the kind). Matching is one-to-one: the
    number of true positives is the size of a maximum bipartite matching under that relation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from etl.extractor.evaluation.gold import max_matching
from etl.extractor.output import extract_article
from etl.sources.seeds import read_seeds
from etl.transform.lexicon import build_lexicon

FACTS = ("parties", "minerals", "volumes", "agreements")
TARGETS = {"parties": 0.85, "minerals": 0.95, "volumes": 0.9, "agreements": 0.7}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class ArticleEval:
    article_id: str
    scores: dict[str, Score]
    missed: dict[str, list[Any]] = field(default_factory=dict)
    extra: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class EvalReport:
    articles: list[ArticleEval]
    overall: dict[str, Score]

    def meets_targets(self) -> bool:
        return all(self.overall[f].f1 >= t for f, t in TARGETS.items())

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": [{"article": a.article_id, **{f: a.scores[f].as_dict() for f in FACTS},
                          "missed": a.missed, "extra": a.extra} for a in self.articles],
            "overall": {f: self.overall[f].as_dict() for f in FACTS},
            "targets": TARGETS,
            "meets_targets": self.meets_targets(),
        }


def _set_score(gold: set[Any], pred: set[Any]) -> Score:
    tp = len(gold & pred)
    return Score(tp, len(pred - gold), len(gold - pred))


def _qty(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "")).normalize()
    except (InvalidOperation, ValueError):
        return None


def _spans(body: str, quote: Any) -> tuple[int, int] | None:
    if not isinstance(quote, str) or not quote:
        return None
    i = body.find(quote)
    return (i, i + len(quote)) if i >= 0 else None


def _gold_parties(curated: dict[str, Any], agreements: list[dict[str, Any]], claims: list[dict[str, Any]],
                  party_id: Callable[[Any], str | None]) -> set[str]:
    """Canonical ids of the curated parties, agreement parties and claim subjects."""
    names = [p.get("name") for p in curated.get("parties") or [] if isinstance(p, dict)]
    names += [r.get("name") for a in agreements for r in a.get("parties") or [] if isinstance(r, dict)]
    names += [c.get("subject") for c in claims]
    return {pid for pid in (party_id(n) for n in names) if pid}


def evaluate_article(article_id: str, meta: dict[str, Any], body: str, curated: dict[str, Any],
                     party_id: Callable[[Any], str | None], mineral_id: Callable[[Any], str | None],
                     seeds_dir: Path | None = None) -> ArticleEval:
    out = extract_article((meta, body), seeds_dir=seeds_dir)
    agreements = [a for a in curated.get("agreements") or [] if isinstance(a, dict)]
    claims = [c for c in curated.get("claims") or [] if isinstance(c, dict)]
    gold_p = _gold_parties(curated, agreements, claims, party_id)
    pred_p = {p.get("id") or "unknown:" + str(p["name"]) for p in [*out["parties"], *out["mentioned_parties"]]}

    gold_m: set[str] = set()
    gold_v: set[tuple[Any, ...]] = set()
    for a in agreements:
        gold_m |= {m for m in (mineral_id(x) for x in a.get("minerals") or []) if m}
        for v in a.get("volumes") or []:
            if isinstance(v, dict):
                gold_v.add((mineral_id(v.get("mineral")), v.get("unit"), _qty(v.get("quantity"))))
    for c in claims:
        gold_v.add((mineral_id(c.get("mineral")), c.get("unit"), _qty(c.get("quantity"))))
    gold_m |= {v[0] for v in gold_v if v[0]}
    figures = [*out["volumes"], *out["context_figures"]]
    pred_m = set(out["minerals"]) | {m for v in out["context_figures"] for m in v["minerals"]}
    pred_v = {(m, v["unit"], _qty(v["quantity"])) for v in figures for m in v["minerals"] or [None]}

    gold_a = []
    for a in agreements:
        parties = {party_id(r.get("name")) for r in a.get("parties") or [] if isinstance(r, dict)}
        gold_a.append((a.get("kind"), parties - {None}, _spans(body, a.get("evidence")), a.get("key")))
    pred_a = [(a["kind"], set(a.get("party_ids") or []), (a["start"], a["end"])) for a in out["agreements"]]

    def ok(p: int, g: int) -> bool:
        pk, pp, ps = pred_a[p]
        gk, gp, gs, _ = gold_a[g]
        if pk == gk and pp & gp:
            return True
        return gs is not None and ps[0] < gs[1] and gs[0] < ps[1]

    pairs = max_matching(len(pred_a), len(gold_a), ok)
    matched_p = {p for p, _ in pairs}
    matched_g = {g for _, g in pairs}
    scores = {
        "parties": _set_score(gold_p, pred_p),
        "minerals": _set_score(gold_m, pred_m),
        "volumes": _set_score(gold_v, pred_v),
        "agreements": Score(len(pairs), len(pred_a) - len(pairs), len(gold_a) - len(pairs)),
    }
    missed = {
        "parties": sorted(gold_p - pred_p), "minerals": sorted(gold_m - pred_m),
        "volumes": [_show_v(v) for v in sorted(gold_v - pred_v, key=str)],
        "agreements": [gold_a[g][3] for g in range(len(gold_a)) if g not in matched_g],
    }
    extra = {
        "parties": sorted(pred_p - gold_p), "minerals": sorted(pred_m - gold_m),
        "volumes": [_show_v(v) for v in sorted(pred_v - gold_v, key=str)],
        "agreements": [f"{out['agreements'][p]['kind']}: {out['agreements'][p]['evidence'][:60]}"
                       for p in range(len(pred_a)) if p not in matched_p],
    }
    return ArticleEval(article_id, scores, missed, extra)


def _show_v(v: tuple[Any, ...]) -> str:
    q = v[2]
    return f"{v[0] or '-'} {q:f} {v[1]}" if q is not None else f"{v[0] or '-'} ? {v[1]}"


def evaluate(seeds_dir: Path | str) -> EvalReport:
    """Run the extractor on every seed article with a curated file and score it."""
    seeds_dir = Path(seeds_dir)
    seeds = read_seeds(seeds_dir)
    if seeds.reference is None:
        raise ValueError(f"no readable reference lexicons in {seeds_dir / 'reference'}")
    lex = build_lexicon(seeds.reference, [])
    results = []
    for art in seeds.articles:
        aid = str(art.meta.get("id"))
        ent = seeds.entities.get(aid)
        if ent is None:
            continue
        results.append(evaluate_article(aid, art.meta, art.body, ent.data, lex.party, lex.mineral,
                                        seeds_dir=seeds_dir))
    overall = {f: Score() for f in FACTS}
    for r in results:
        for f in FACTS:
            overall[f].add(r.scores[f])
    return EvalReport(results, overall)


def format_table(report: EvalReport, rows: Iterable[ArticleEval] | None = None) -> str:
    """Plain-text table: P / R / F1 per fact type, per article and overall."""
    head = f"{'article':<52}" + "".join(f"{f:>20}" for f in FACTS)
    sub = f"{'':<52}" + "".join(f"{'P    R    F1':>20}" for _ in FACTS)
    lines = [head, sub, "-" * len(head)]

    def row(name: str, scores: dict[str, Score]) -> str:
        return f"{name[:51]:<52}" + "".join(
            f"{scores[f].precision:>8.2f}{scores[f].recall:>6.2f}{scores[f].f1:>6.2f}" for f in FACTS)

    for a in rows if rows is not None else report.articles:
        lines.append(row(a.article_id, a.scores))
    lines.append("-" * len(head))
    lines.append(row("overall (micro)", report.overall))
    lines.append(f"{'targets (F1)':<52}" + "".join(f"{TARGETS[f]:>20.2f}" for f in FACTS))
    return "\n".join(lines)
