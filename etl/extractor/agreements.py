"""Agreements of a sentence from trigger words, their merging across the article, figures attached."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from etl.extractor.lexicon import ExtractionLexicon, PartyInfo
from etl.extractor.model import _Agreement, _Mention, _Result
from etl.extractor.sentences import (
    _clause_of,
)


@dataclass
class _SentenceView:
    """What the agreement rules of one sentence read."""

    res: _Result
    i: int
    by_sent: dict[str, list[list[Any]]]
    subj: str | None
    topic: list[str | None]
    L: ExtractionLexicon
    status: str | None
    announced: date | None


def _agreements_of_sentence(res: _Result, i: int, by_sent: dict[str, list[list[Any]]],
                            subj: str | None, topic: list[str | None], L: ExtractionLexicon) -> None:
    body = res.body
    sent = res.sentences[i]
    sp: list[_Mention] = by_sent["p"][i]
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
    announced = next((per.start for _s, _e, per in by_sent["per"][i]
                      if per.start is not None and per.start == per.end), None)
    view = _SentenceView(res, i, by_sent, subj, topic, L, status, announced)
    used_init: set[str] = set()
    deal_ref = bool(L.deal_anaphora_re.match(body, sent.start))
    made = len(res.agreements)
    referred = False
    for k, (ts, te, kind) in sorted(per_clause.items()):
        a, b = sent.clauses[k]
        cinit = sorted((m for m in initiatives if a <= m.start < b), key=lambda m: abs(m.start - ts))
        identity = cinit[0].pid if cinit and (kind in L.generic or kind in L.absorbing) else None
        before = body[max(sent.start, ts - 12):ts].split()
        definite = (bool(before) and before[-1].casefold() in L.determiners and identity is None
                    and not L.linker_re.match(body[te:te + 12]))
        if kind in L.generic and definite:
            continue  # "the partnership": refers to one already found
        if identity is not None and kind in L.generic:
            kind = "initiative"
        if (definite or deal_ref) and _refers_back(view, k, kind):
            referred = True
            continue  # "The investment will fund …", "이번 계약은 …": the deal already found
        if kind == "supply_plan" and not _goods_in(view):
            continue  # "X가 배터리를 공급할 예정": goods that are no mineral or product
        if identity:
            used_init.add(identity)
        _make_agreement(view, kind, ts, k, identity)
    if deal_ref and not referred and len(res.agreements) == made and made:
        _refers_back(view, 0, None)  # "양측은 … 15% 이상": the figures of the last deal
    for m in initiatives:
        if m.pid not in used_init:
            used_init.add(m.pid)
            _make_agreement(view, "initiative", m.start, _clause_of(sent, m.start), m.pid)


def _refers_back(v: _SentenceView, clause: int, kind: str | None) -> bool:
    """A clause that goes on about a deal already found (the last of its kind, else the last
    one) joins it, unless it names a party that deal does not have: then it is a new deal."""
    ags = v.res.agreements
    if not ags:
        return False
    own = set(_clause_parties(v, clause, None)) if kind is not None else set()
    target = next((ag for ag in reversed(ags) if ag.kind == kind), ags[-1])
    if own - set(target.parties):
        return False
    target.sentences.add(v.i)
    if not target.directed and target.kind in v.L.data["supply_direction"]["kinds"] and v.subj in target.parties:
        roles, directed = _roles(v, target.kind, list(target.parties), None, clause)
        if directed:  # "이 공급계약에 따라 A는 B로부터 … 사들인다": the direction the deal lacked
            _take_direction(target, replace(target, parties=roles))
    if not target.minerals:  # "The agreement covers 12,000 t of lithium hydroxide": the deal's mineral
        target.minerals.extend(dict.fromkeys(x[2] for x in v.by_sent["m"][v.i]))
    return True


def _goods_in(v: _SentenceView) -> bool:
    sent = v.res.sentences[v.i]
    return bool(v.by_sent["m"][v.i]) or any(sent.start <= p[0] < sent.end for p in v.res.products)


def _examples(v: _SentenceView, a: int, b: int) -> set[int]:
    """Starts of mentions listed as examples ("companies including X and Y") in a clause; in a
    sentence that says a deal was signed they are its parties ("signed with firms including X")."""
    m = v.L.example_re.search(v.res.body, a, b)
    if not m or v.status == "signed":
        return set()
    return {x.start for x in v.by_sent["p"][v.i] if m.end() <= x.start < b}


def _clause_parties(v: _SentenceView, clause: int, identity: str | None) -> list[str]:
    """The parties of a clause: its own mentions, the sentence subject, else the topic."""
    res, L, i = v.res, v.L, v.i
    sent, info, sp = res.sentences[i], res.party_info, v.by_sent["p"][i]
    a, b = sent.clauses[clause]
    examples = _examples(v, a, b)
    cparties = [m for m in sp if a <= m.start < b and info[m.pid].type != "initiative" and m.start not in examples]
    earlier = [m for m in sp if m.start < a]
    own_subject = any(res.body[m.end:m.end + 1] in L.subject_particles for m in cparties)
    if v.subj and not own_subject and any(m.pid == v.subj for m in earlier):
        cparties = [m for m in earlier if m.pid == v.subj][:1] + cparties  # the sentence subject
    if not cparties and identity is None and not sp and v.topic[i]:
        cparties = [_Mention(sent.start, sent.start, "", v.topic[i])]
    if identity is not None and not cparties:
        cparties = [m for m in sp if info[m.pid].type != "initiative"]
    if (not own_subject and i > 0 and v.topic[i - 1] and cparties
            and all(_marked_role(res.body, m, L.data["supply_direction"]) == "buyer" for m in cparties)
            and v.topic[i - 1] not in {m.pid for m in cparties}):
        # "2019년 SK이노베이션에게 약 3만톤 …": the seller is the previous sentence's subject
        cparties = [_Mention(sent.start, sent.start, "", v.topic[i - 1])] + cparties
    pids = list(dict.fromkeys(m.pid for m in cparties))
    parent = info[identity].parent if identity else None
    if parent and parent not in pids:
        pids.insert(0, parent)
    return pids


def _roles(v: _SentenceView, kind: str, pids: list[str], parent: str | None,
           clause: int) -> tuple[dict[str, str], bool]:
    roles = v.L.roles.get(kind, v.L.roles["other"])
    sub = v.subj if v.subj in pids else pids[0]
    parties: dict[str, str] = {}
    for pid in pids:
        if pid == parent:
            parties[pid] = "issuer" if kind in ("initiative", "stockpile") else roles["subject"]
        elif pid == sub:
            parties[pid] = roles["subject"]
        elif v.res.party_info[pid].type == "government":
            parties[pid] = roles["government_other"]
        else:
            parties[pid] = roles["other"]
    directed = kind in v.L.data["supply_direction"]["kinds"] and _direction(v, clause, parties, sub)
    return parties, directed


def _direction(v: _SentenceView, clause: int, parties: dict[str, str], sub: str) -> bool:
    """Buyer and seller from the verb ("공급받는다" / "will supply … to") and from markers on the
    parties (X에게, "to X": buyer; X로부터, "from X": seller)."""
    d = v.L.data["supply_direction"]
    res = v.res
    a, b = res.sentences[v.i].clauses[clause]
    text = res.body[a:b].lower()
    bm, sm = v.L.buyer_re.search(text), v.L.seller_re.search(text)
    # the first verb decides ("will supply … under a sales and purchase agreement": sells)
    buys = bool(bm) and (not sm or bm.start() <= sm.start() or text[bm.start():bm.start() + 3] == "공급받")
    se = sm
    sells = bool(se) and not buys
    if buys or sells:
        for pid in parties:
            if parties[pid] in ("buyer", "seller"):
                parties[pid] = ("buyer" if pid == sub else "seller") if buys else ("seller" if pid == sub else "buyer")
    marked = False
    for m in v.by_sent["p"][v.i]:
        if m.pid not in parties or not a <= m.start < b:
            continue
        role = _marked_role(res.body, m, d)
        if role:
            parties[m.pid] = role
            marked = True
    return buys or sells or marked


def _marked_role(body: str, m: _Mention, d: dict[str, Any]) -> str | None:
    after = body[m.end:m.end + 6]
    before = body[max(0, m.start - 8):m.start].lower().split()
    if after.startswith(tuple(d["recipient_markers_ko"])):
        return "buyer"
    if after.startswith(tuple(d["source_markers_ko"])):
        return "seller"
    if before and before[-1] in d["recipient_before_en"]:
        return "buyer"
    if before and before[-1] in d["source_before_en"]:
        return "seller"
    return None


def _make_agreement(v: _SentenceView, kind: str, anchor: int, clause: int, identity: str | None) -> None:
    res, L, i = v.res, v.L, v.i
    sent = res.sentences[i]
    a, b = sent.clauses[clause]
    pids = _clause_parties(v, clause, identity)
    if not pids:
        return
    sm = v.by_sent["m"][i]
    mins = list(dict.fromkeys([x[2] for x in sm if a <= x[0] < b] or [x[2] for x in sm]))
    parent = res.party_info[identity].parent if identity else None
    cst = None
    for pos, st_ in v.by_sent["s"][i]:
        if st_ and a <= pos < b and (cst is None or L.status_rank[st_] < L.status_rank[cst]):
            cst = st_
    st = cst or v.status or L.default_status.get(kind) or L.default_status["*"]
    roles, directed = _roles(v, kind, pids, parent, clause)
    for part, part_anchor in _split_by_recipient(v, kind, roles, clause, anchor):
        res.agreements.append(_Agreement(kind, st, i, sent.start, sent.end, part_anchor, identity,
                                         part, list(mins), v.announced, {i}, directed=directed))


def _split_by_recipient(v: _SentenceView, kind: str, roles: dict[str, str], clause: int,
                        anchor: int) -> list[tuple[dict[str, str], int]]:
    """"X에게 3만톤, Y에게 6만톤을 공급": one supply deal per marked recipient, each with the seller."""
    if kind not in v.L.data["supply_direction"]["kinds"]:
        return [(roles, anchor)]
    a, b = v.res.sentences[v.i].clauses[clause]
    marked = [m for m in v.by_sent["p"][v.i] if a <= m.start < b and m.pid in roles
              and _marked_role(v.res.body, m, v.L.data["supply_direction"]) == "buyer"]
    buyers = list(dict.fromkeys(m.pid for m in marked))
    if len(buyers) < 2:
        return [(roles, anchor)]
    others = {p: r for p, r in roles.items() if p not in buyers}
    first = {p: m.start for m in reversed(marked) for p in [m.pid]}
    return [({**others, pid: "buyer"}, first[pid]) for pid in buyers]


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
            if (ag.kind in L.data["supply_direction"]["kinds"] and _other_buyers(prev, ag)
                    and (prev.directed == ag.directed or not nested)):
                continue  # the same seller's deals with different buyers stay apart (unless one
                # has no stated direction and the other names no new party: the same deal again)
            gov_only = not _non_gov(a, info) or not _non_gov(b, info)
            if _non_gov(a & b, info) or (nested and (not gov_only or prev.minerals == ag.minerals
                                                      or (ag.kind in L.generic and not prev.identity))):
                target = prev
                break
        if target is None:
            out.append(ag)
            continue
        if ag.directed and not target.directed:
            _take_direction(target, ag)
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


def _take_direction(target: _Agreement, ag: _Agreement) -> None:
    """A deal stated without its direction ("A가 B와 공급계약") takes it from a later mention that
    has one ("A가 … 구입하는 계약"): shared parties get those roles, the counterparts the opposite."""
    flip = {"buyer": "seller", "seller": "buyer"}
    flipped = any(target.parties.get(p) in flip and r in flip and target.parties[p] != r for p, r in ag.parties.items())
    for pid, role in target.parties.items():
        if pid in ag.parties and ag.parties[pid] in flip:
            target.parties[pid] = ag.parties[pid]
        elif flipped and role in flip:
            target.parties[pid] = flip[role]
    target.directed = True


def _other_buyers(x: _Agreement, y: _Agreement) -> bool:
    bx = {p for p, r in x.parties.items() if r == "buyer"}
    by = {p for p, r in y.parties.items() if r == "buyer"}
    return bool(bx and by and not bx & by)


def _attach_volumes(res: _Result) -> None:
    """Each deal figure to the deal of its sentence (nearest trigger); else to the last deal with a
    party its sentence names, to the deal of the previous sentence's figures when its sentence
    names none, or to the article's single deal. Context figures stay apart."""
    by_sentence: dict[int, int] = {}
    for vi, v in enumerate(res.volumes):
        if v.context is not None:
            continue
        cands = [(abs(ag.anchor - v.q.start), ai) for ai, ag in enumerate(res.agreements) if v.sentence in ag.sentences]
        if cands:
            ai: int | None = min(cands)[1]
        elif v.q.measure != "count":  # a count belongs to a deal only in the deal's own sentence
            ai = _fallback_deal(res, v.sentence, by_sentence)
        else:
            ai = None
        if ai is None:
            continue
        v.agreement = ai
        res.agreements[ai].volumes.append(vi)
        by_sentence.setdefault(v.sentence, ai)


def _fallback_deal(res: _Result, i: int, by_sentence: Mapping[int, int]) -> int | None:
    sent = res.sentences[i]
    named = {m.pid for m in res.mentions if sent.start <= m.start < sent.end
             and res.party_info[m.pid].type != "government"}
    earlier = [(min(ag.sentences), ai) for ai, ag in enumerate(res.agreements) if min(ag.sentences) <= i]
    if named:
        hits = [(s, ai) for s, ai in earlier if named & set(res.agreements[ai].parties)]
        return max(hits)[1] if hits else None
    if i - 1 in by_sentence and res.sentences[i - 1].para == sent.para:
        return by_sentence[i - 1]
    return 0 if len(res.agreements) == 1 else None
