"""Score the automatic extractor against a gold file in the format of ``../shared/eval/gold.yaml``.

The rules are those of the evaluation set's README (``critmin eval --gold FILE``):

volumes
    A gold figure is found when an extracted figure has the same unit (t and t/yr are one unit,
    ``%`` and ``percent`` are one, currencies by ISO code) and a quantity within 0.5%. Each
    extracted figure matches at most one gold figure (a maximum matching, required gold first).
    Optional gold items are not misses, and an extracted figure matching one is no false
    positive. Precision = matched / extracted; recall = matched required / required gold.
    For matched required figures: bound right (``is_upper_bound`` ⇔ ``up_to``), per-year right
    (gold unit ``t/yr`` ⇔ ``per_year``) and period right (gold has a period ⇔ a start or end).
parties
    A gold party is found when its name or an alias, normalised (lower case, only letters,
    digits and Hangul), equals or contains an extracted name or alias, or is contained in one
    longer than three characters. Optional parties are not misses; an extracted party that
    matches no gold party (optional ones included) is a false positive. Type and country
    accuracy are over the found gold parties (country over those with a gold country).
    The same figures are reported for gold parties not in the reference lexicon (no name or
    alias equal to a lexicon alias) and for the extracted parties the lexicon does not know.
minerals
    Gold: the minerals of the required agreements and figures (``NdPr`` = neodymium +
    praseodymium); minerals of optional items are no false positives. Sets.
agreements
    Found when an extracted agreement has an accepted kind (``kind`` or ``acceptable_kinds``)
    and includes at least two of its parties (one, for single-party measures); then roles
    (every gold party found in it has the gold role) and status (``status`` or
    ``acceptable_status``) right, over the found required agreements.
tuple
    A required gold agreement that has figures is found in full when an extracted agreement
    finds it and one of that agreement's attached figures matches (value + unit) one of the
    gold agreement's figures. Precision over the extracted agreements that carry figures.

Scores are micro-averaged per language and overall (counts summed before dividing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from etl.extractor.evaluation.gold_report import ArticleGold, GoldReport, GoldScores

_NORM = re.compile(r"[^0-9a-z가-힣]")
_CURRENCY_UNITS = {"%": "percent", "t/yr": "t"}


def lexicon_forms(lexicon: Any) -> set[str]:
    """Normalised names and aliases of every reference party (for the not-in-lexicon figures)."""
    forms = {norm_name(a["alias"]) for a in lexicon.lex.rows["party_alias"]}
    return forms | {norm_name(p.name) for p in lexicon.parties.values()} - {""}


def norm_name(text: Any) -> str:
    """Lower case, only letters, digits and Hangul (the README's party normalisation)."""
    return _NORM.sub("", str(text or "").lower())


def _unit(u: Any) -> str:
    u = str(u or "")
    return _CURRENCY_UNITS.get(u, u)


def _close(a: Any, b: Any) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 0.005 * abs(b) if b else a == 0


# ----------------------------------------------------------------------------- reading


def read_article(path: Path) -> tuple[dict[str, Any], str]:
    """An evaluation article: header block (title, source, published, language), blank line, body."""
    text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    head, sep, body = text.partition("\n\n")
    if not sep:
        raise ValueError(f"{path}: no blank line after the header block")
    meta: dict[str, Any] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"{path}: header line without 'key:': {line[:60]!r}")
        meta[key.strip()] = value.strip()
    out = {"title": meta.get("title"), "url": meta.get("source"), "language": meta.get("language")}
    if meta.get("published") and meta["published"] != "unknown":
        out["published_on"] = meta["published"]
    return out, body.strip("\n")


def read_gold(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read gold file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise ValueError(f"{path}: a gold file needs a list under 'articles'")
    for i, a in enumerate(data["articles"]):
        if not isinstance(a, dict) or not a.get("id") or not a.get("file"):
            raise ValueError(f"{path}: article {i + 1} needs 'id' and 'file'")
    return data["articles"]


# ----------------------------------------------------------------------------- matching


def max_matching(n_pred: int, n_gold: int, ok: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """Maximum bipartite matching (augmenting paths; the sets are small)."""
    adj = [[g for g in range(n_gold) if ok(p, g)] for p in range(n_pred)]
    match_gold: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for g in adj[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in match_gold or augment(match_gold[g], seen):
                match_gold[g] = p
                return True
        return False

    for p in range(n_pred):
        augment(p, set())
    return sorted((p, g) for g, p in match_gold.items())


def names_match(gold_forms: Iterable[str], pred_forms: Iterable[str]) -> bool:
    """README rule on normalised forms: equal, gold contains extracted, or gold inside a longer (>3) one."""
    preds = [p for p in pred_forms if p]
    for g in gold_forms:
        if not g:
            continue
        for p in preds:
            if g == p or p in g or (len(p) > 3 and g in p):
                return True
    return False


def _forms(names: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(f for f in (norm_name(n) for n in names) if f))


def _gold_minerals(names: Iterable[Any], mineral_id: Callable[[str], str | None]) -> set[str]:
    out: set[str] = set()
    for n in names:
        if not isinstance(n, str):
            continue
        if n.strip().lower() == "ndpr":
            out |= {"neodymium", "praseodymium"}
            continue
        slug = mineral_id(n) or mineral_id(n.replace(" ", "_"))
        out.add(slug or n.strip().lower().replace(" ", "_"))
    return out


def _volume_ok(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    return _unit(pred.get("unit")) == _unit(gold.get("unit")) and _close(pred.get("quantity"), gold.get("quantity"))


def _gold_agreement_ids(v: Mapping[str, Any]) -> list[str]:
    a = v.get("agreement")
    return [str(x) for x in a] if isinstance(a, list) else [str(a)] if a else []


# ----------------------------------------------------------------------------- scoring parts


def _score_parties(gold: list[dict[str, Any]], pred: list[dict[str, Any]], lexicon_forms: set[str],
                   s: GoldScores, missed: dict[str, list[str]], extra: dict[str, list[str]]) -> None:
    gforms = [_forms([g.get("name"), *(g.get("aliases") or [])]) for g in gold]
    pforms = [_forms([p.get("name"), *(p.get("aliases") or [])]) for p in pred]
    c, u = s.counts["parties"], s.counts["unknown_parties"]
    for pi, p in enumerate(pred):
        hit = any(names_match(gf, pforms[pi]) for gf in gforms)
        c.extracted += 1
        c.matched += hit
        if not p.get("known", True):
            u.extracted += 1
            u.matched += hit
        if not hit:
            extra.setdefault("parties", []).append(str(p.get("name")))
    for gi, g in enumerate(gold):
        hits = [pi for pi in range(len(pred)) if names_match(gforms[gi], pforms[pi])]
        unknown = not any(f in lexicon_forms for f in gforms[gi])
        if not g.get("optional"):
            c.required += 1
            c.found += bool(hits)
            if unknown:
                u.required += 1
                u.found += bool(hits)
            if not hits:
                missed.setdefault("parties", []).append(str(g.get("name")) + (" (not in lexicon)" if unknown else ""))
        if hits:
            best = pred[hits[0]]
            s.ratios["party_type"].tick(best.get("type") == g.get("type"))
            if g.get("country"):
                s.ratios["party_country"].tick(best.get("country") == g.get("country"))


def _score_volumes(gold: list[dict[str, Any]], pred: list[dict[str, Any]], s: GoldScores,
                   missed: dict[str, list[str]], extra: dict[str, list[str]]) -> dict[int, int]:
    """Returns extracted index → gold index for every matched extracted figure."""
    req = [i for i, g in enumerate(gold) if not g.get("optional")]
    opt = [i for i, g in enumerate(gold) if g.get("optional")]
    pairs = {p: req[g] for p, g in max_matching(len(pred), len(req), lambda p, g: _volume_ok(pred[p], gold[req[g]]))}
    rest = [p for p in range(len(pred)) if p not in pairs]
    for p, g in max_matching(len(rest), len(opt), lambda p, g: _volume_ok(pred[rest[p]], gold[opt[g]])):
        pairs[rest[p]] = opt[g]
    c = s.counts["volumes"]
    c.extracted += len(pred)
    c.matched += len(pairs)
    c.required += len(req)
    found = {g for g in pairs.values() if g in req}
    c.found += len(found)
    for p, g in pairs.items():
        if g not in found:
            continue
        gv, pv = gold[g], pred[p]
        s.ratios["volume_bound"].tick(bool(gv.get("is_upper_bound")) == (pv.get("bound") == "up_to"))
        s.ratios["volume_per_year"].tick((gv.get("unit") == "t/yr") == bool(pv.get("per_year")))
        s.ratios["volume_period"].tick(bool(gv.get("period")) == bool(pv.get("period_start") or pv.get("period_end")))
    missed["volumes"] = [f"{gold[g].get('quantity')} {gold[g].get('unit')}" for g in req if g not in found]
    extra["volumes"] = [f"{pred[p].get('quantity'):g} {pred[p].get('unit')}" for p in range(len(pred)) if p not in pairs]
    return pairs


def _agreement_hits(g: Mapping[str, Any], pa: Mapping[str, Any], gold_party_forms: Mapping[str, list[str]],
                    pred_party_forms: Mapping[str, list[str]]) -> list[tuple[Mapping[str, Any], str | None]]:
    """The gold agreement's parties that the extracted agreement includes, with the role it gives each."""
    out = []
    for gp in g.get("parties") or []:
        gf = gold_party_forms.get(str(gp.get("name"))) or _forms([gp.get("name")])
        role = None
        hit = False
        for pp in pa.get("parties") or []:
            pf = pred_party_forms.get(str(pp.get("name"))) or _forms([pp.get("name")])
            if names_match(gf, pf):
                hit, role = True, pp.get("role")
                break
        if hit:
            out.append((gp, role))
    return out


def _agreement_found(g: Mapping[str, Any], pa: Mapping[str, Any], gold_party_forms: Mapping[str, list[str]],
                     pred_party_forms: Mapping[str, list[str]]) -> list[tuple[Mapping[str, Any], str | None]] | None:
    kinds = {g.get("kind"), *(g.get("acceptable_kinds") or [])}
    if pa.get("kind") not in kinds:
        return None
    hits = _agreement_hits(g, pa, gold_party_forms, pred_party_forms)
    need = min(2, len(g.get("parties") or []))
    return hits if len(hits) >= max(need, 1) else None


def _score_agreements(gold_a: list[dict[str, Any]], pred_a: list[dict[str, Any]],
                      gold_party_forms: Mapping[str, list[str]], pred_party_forms: Mapping[str, list[str]],
                      s: GoldScores, missed: dict[str, list[str]], extra: dict[str, list[str]]) -> dict[int, list[int]]:
    """Returns gold index → the extracted agreements that find it."""
    finds: dict[int, list[int]] = {}
    hits_of: dict[tuple[int, int], list[Any]] = {}
    for gi, g in enumerate(gold_a):
        for pi, pa in enumerate(pred_a):
            hits = _agreement_found(g, pa, gold_party_forms, pred_party_forms)
            if hits is not None:
                finds.setdefault(gi, []).append(pi)
                hits_of[gi, pi] = hits
    c = s.counts["agreements"]
    c.extracted += len(pred_a)
    c.matched += len({pi for pis in finds.values() for pi in pis})
    for gi, g in enumerate(gold_a):
        if g.get("optional"):
            continue
        c.required += 1
        if gi not in finds:
            missed.setdefault("agreements", []).append(f"{g.get('id')} {g.get('kind')}")
            continue
        c.found += 1
        best = max(finds[gi], key=lambda pi: len(hits_of[gi, pi]))
        hits = hits_of[gi, best]
        s.ratios["agreement_roles"].tick(all(role == gp.get("role") for gp, role in hits))
        statuses = {g.get("status"), *(g.get("acceptable_status") or [])}
        s.ratios["agreement_status"].tick(pred_a[best].get("status") in statuses)
    matched = {pi for pis in finds.values() for pi in pis}
    extra["agreements"] = [f"{pa.get('kind')}: {', '.join(p['name'] for p in pa.get('parties') or [])}"
                           for pi, pa in enumerate(pred_a) if pi not in matched]
    return finds


def _score_tuples(gold_a: list[dict[str, Any]], gold_v: list[dict[str, Any]], pred_v: list[dict[str, Any]],
                  n_pred_a: int, finds: Mapping[int, list[int]], s: GoldScores) -> None:
    figures: dict[str, list[dict[str, Any]]] = {}
    for v in gold_v:
        for aid in _gold_agreement_ids(v):
            figures.setdefault(aid, []).append(v)
    attached: dict[int, list[dict[str, Any]]] = {}
    for v in pred_v:
        if isinstance(v.get("agreement"), int):
            attached.setdefault(v["agreement"], []).append(v)
    c = s.counts["tuple"]
    c.extracted += sum(1 for pi in range(n_pred_a) if attached.get(pi))
    full_pred: set[int] = set()
    for gi, g in enumerate(gold_a):
        gfig = figures.get(str(g.get("id"))) or []
        if not gfig:
            continue
        ok = [pi for pi in finds.get(gi, [])
              if any(_volume_ok(pv, gv) for pv in attached.get(pi, []) for gv in gfig)]
        full_pred |= set(ok)
        if not g.get("optional"):
            c.required += 1
            c.found += bool(ok)
    c.matched += len(full_pred)


def score_article(entry: Mapping[str, Any], out: Mapping[str, Any], lexicon_forms: set[str],
                  mineral_id: Callable[[str], str | None]) -> ArticleGold:
    """Score one extractor output (the ``critmin extract`` JSON) against one gold article."""
    s = GoldScores()
    missed: dict[str, list[str]] = {}
    extra: dict[str, list[str]] = {}
    gold_p = [p for p in entry.get("parties") or [] if isinstance(p, dict)]
    gold_a = [a for a in entry.get("agreements") or [] if isinstance(a, dict)]
    gold_v = [v for v in entry.get("volumes") or [] if isinstance(v, dict)]
    pred_p, pred_a, pred_v = list(out["parties"]), list(out["agreements"]), list(out["volumes"])
    _score_parties(gold_p, pred_p, lexicon_forms, s, missed, extra)
    _score_volumes(gold_v, pred_v, s, missed, extra)
    gold_party_forms = {str(p.get("name")): _forms([p.get("name"), *(p.get("aliases") or [])]) for p in gold_p}
    pred_party_forms = {str(p.get("name")): _forms([p.get("name"), *(p.get("aliases") or [])]) for p in pred_p}
    finds = _score_agreements(gold_a, pred_a, gold_party_forms, pred_party_forms, s, missed, extra)
    _score_tuples(gold_a, gold_v, pred_v, len(pred_a), finds, s)
    req = [*(a for a in gold_a if not a.get("optional")), *(v for v in gold_v if not v.get("optional"))]
    every = [*gold_a, *gold_v]
    want = _gold_minerals([m for a in req for m in (a.get("minerals") or [a.get("mineral")])], mineral_id)
    allowed = want | _gold_minerals([m for a in every for m in (a.get("minerals") or [a.get("mineral")])], mineral_id)
    got = set(out["minerals"])
    c = s.counts["minerals"]
    c.extracted += len(got)
    c.matched += len(got & allowed)
    c.required += len(want)
    c.found += len(want & got)
    missed["minerals"], extra["minerals"] = sorted(want - got), sorted(got - allowed)
    return ArticleGold(str(entry.get("id")), str(entry.get("language") or out["article"]["language"]), s, missed, extra)


def evaluate_gold(gold_path: Path | str, extract: Callable[[Mapping[str, Any], str], Mapping[str, Any]],
                  lexicon_forms: set[str], mineral_id: Callable[[str], str | None]) -> GoldReport:
    """Run ``extract(meta, body)`` on every article of the gold file and score it."""
    gold_path = Path(gold_path)
    results = []
    for entry in read_gold(gold_path):
        path = gold_path.parent / str(entry["file"])
        if not path.is_file():
            raise ValueError(f"{gold_path}: article file {entry['file']} not found")
        meta, body = read_article(path)
        results.append(score_article(entry, extract(meta, body), lexicon_forms, mineral_id))
    by_lang: dict[str, GoldScores] = {}
    overall = GoldScores()
    for r in results:
        by_lang.setdefault(r.language, GoldScores()).add(r.scores)
        overall.add(r.scores)
    return GoldReport(results, dict(sorted(by_lang.items())), overall)
