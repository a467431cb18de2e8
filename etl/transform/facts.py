"""Transform: turn one article's seed records into rows of the core tables.

The front matter and the facts file are first checked against the seed format's models
(etl.validate.shape); the typed records are then resolved to canonical parties and minerals,
dates (relative ones against the article date), quantities to tonnes and US dollars, and every
evidence quote to character offsets in the article.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from etl.db import domain
from etl.problems import Problem, shorten
from etl.sources import schema
from etl.sources.seeds import ArticleFile, EntityFile
from etl.text.language import detect_language
from etl.transform.context import TABLES, ArticleContext, ArticleFacts, fact_id, period_end
from etl.transform.lexicon import Lexicon
from etl.validate import shape

__all__ = ["TABLES", "ArticleFacts", "article_id_problems", "transform_article"]
_UNDATED = (None, "unknown")  # a null date of a participation or event


def article_id_problems(art: ArticleFile, article_id: str) -> list[Problem]:
    """An article's id must be a slug and equal its file name (ids are file names)."""
    out = []
    def add(reason: str) -> None:
        out.append(Problem(art.rel, reason, record="front matter", field="id", raw=shorten(article_id), article_id=article_id))
    if not re.fullmatch(domain.SLUG_PATTERN[1:-1], article_id) or len(article_id) > 80:
        add("id must be a slug of lower-case letters, digits and hyphens (≤ 80 chars)")
    if art.path.stem != article_id:
        add(f"id {article_id!r} differs from the file name {art.path.stem!r}")
    return out


def transform_article(art: ArticleFile, ent: EntityFile | None, lex: Lexicon, content_hash: str,
                      review_status: str = "curated") -> ArticleFacts:
    """One article's rows; `review_status` is 'auto' when `ent` was drafted by the extractor."""
    article_id = str(art.meta.get("id"))
    facts = ArticleFacts(article_id, art.rel, content_hash, review_status)
    facts.problems += article_id_problems(art, article_id)
    published_on, precision = _article(art, facts)
    if ent is None:
        return facts
    records, problems = shape.facts_records(ent.data, ent.rel, article_id)
    facts.problems += problems
    ctx = ArticleContext(facts, art.body, published_on, lex, ent.rel, precision, review_status)
    mentioned: set[str] = set()
    for i, p in records.parties:
        record = f"parties[{i}]"
        pid = ctx.party(p.name, record)
        ev = ctx.evidence(p.evidence, record)
        if pid and ev and pid not in mentioned:
            mentioned.add(pid)
            ctx.add("party_mention", record, article_id=article_id, party_id=pid, evidence_id=ev, review_status=review_status)
    for i, a in records.agreements:
        _agreement(ctx, a, f"agreements[{i}] {a.key}")
    for i, c in records.claims:
        _claim(ctx, c, f"claims[{i}]")
    return facts


def _article(art: ArticleFile, facts: ArticleFacts) -> tuple[date | None, str]:
    """The article row (when its front matter is well formed); the article's date and precision."""
    fm, dating, problems = shape.front_matter(art.meta, art.rel, facts.article_id)
    facts.problems += problems

    def problem(reason: str, field_: str, raw: Any) -> None:
        facts.problems.append(Problem(art.rel, reason, record="front matter", field=field_,
                                      raw=None if raw is None else shorten(raw), article_id=facts.article_id))

    if not art.body.strip():
        problem("article body is empty", "body", None)
    published_on, not_before = dating.published_on, dating.published_not_before
    precision = dating.published_precision or ("day" if published_on else "unknown")
    if published_on and not (date(1900, 1, 1) <= published_on <= date.today()):
        problem(f"published_on {published_on} is out of range (1900 to today)", "published_on", published_on)
    if not_before is not None:
        end = period_end(published_on, precision)
        if published_on is None or precision == "day" or not (published_on <= not_before <= end):  # type: ignore[operator]
            problem(f"published_not_before {not_before} must lie within the {precision} of published_on "
                    f"{published_on} (a lower bound for a date known only to the month or year)",
                    "published_not_before", not_before)
    if fm is not None:
        facts.rows["article"].append({
            "article_id": facts.article_id, "title": fm.title, "publisher": fm.publisher,
            "url": fm.url, "published_on": published_on, "published_precision": precision,
            "language": fm.language or detect_language(art.body), "body": art.body,
            "content_hash": facts.content_hash, "source_file": art.rel, "original_publisher": fm.republished_from,
            "is_ai_generated": fm.ai_generated, "published_not_before": not_before,
            "_file": art.rel, "_record": "front matter",
        })
    return published_on, precision


def _agreement(ctx: ArticleContext, a: schema.Agreement, record: str) -> None:
    """An agreement: its row, this article's status of it, minerals, parties, volumes and extras."""
    key, article_id, review_status = a.key, ctx.article_id, ctx.review_status
    ev = ctx.evidence(a.evidence, record)
    ok, announced = ctx.day(a.announced_on, record, "announced_on")
    ctx.add("agreement", record, agreement_id=key, title=a.title, kind=a.kind, location=a.location)
    if ev and ok:
        ctx.add("agreement_status", record, agreement_id=key, article_id=article_id,
                status=a.status, announced_on=announced, evidence_id=ev, review_status=review_status,
                title=a.title, kind=a.kind, location=a.location)
    for j, name in enumerate(a.minerals or ()):
        slug = ctx.mineral(name, f"{record}.minerals[{j}]")
        if slug:
            ctx.add("agreement_mineral", f"{record}.minerals[{j}]", agreement_id=key, mineral_id=slug, article_id=article_id)
    for j, role in enumerate(a.parties or ()):
        rrec = f"{record}.parties[{j}]"
        pid = ctx.party(role.name, rrec)
        if pid:
            ctx.add("agreement_party", rrec, agreement_id=key, party_id=pid, role=role.role, article_id=article_id)
    for j, v in enumerate(a.volumes or ()):
        _volume(ctx, v, key, f"{record}.volumes[{j}]")
    _agreement_extras(ctx, a, record)


def _volume(ctx: ArticleContext, v: schema.Volume, key: str, record: str) -> None:
    mineral = ctx.mineral(v.mineral, record)
    if v.mineral is not None and mineral is None:
        return
    ev = ctx.evidence(v.evidence, record)
    fig = ctx.figure(v, record)
    if ev is None or fig is None:
        return
    if mineral is None and fig["product_id"] is not None:
        mineral = ctx.lex.products[fig["product_id"]]["mineral_id"]
    ctx.add("volume", record, volume_id=fact_id("v", ev, mineral, fig["measure"], fig["unit"], fig["quantity"], fig["period_start"]),
            agreement_id=key, article_id=ctx.article_id, evidence_id=ev, mineral_id=mineral,
            per_year=v.per_year, review_status=ctx.review_status, _quote=v.evidence,
            counting_basis=v.counting_basis, **fig)


def _claim(ctx: ArticleContext, c: schema.Claim, record: str) -> None:
    subject = ctx.party(c.subject, record, "subject")
    mineral = ctx.mineral(c.mineral, record)
    ev = ctx.evidence(c.evidence, record)
    fig = ctx.figure(c, record)
    if ev is None or fig is None:
        return
    fig.pop("product_id")
    ctx.add("market_claim", record, claim_id=fact_id("c", ev, mineral, fig["measure"], fig["unit"], fig["quantity"], fig["period_start"]),
            article_id=ctx.article_id, evidence_id=ev, topic=c.topic, subject_party_id=subject,
            mineral_id=mineral, review_status=ctx.review_status, _quote=c.evidence, **fig)


def _agreement_extras(ctx: ArticleContext, a: schema.Agreement, record: str) -> None:
    """An agreement's participations, relations, price terms and lifecycle events, each with evidence."""
    for j, p in enumerate(a.participations or ()):
        _participation(ctx, p, a.key, f"{record}.participations[{j}]")
    for j, r in enumerate(a.relations or ()):
        _relation(ctx, r, a.key, f"{record}.relations[{j}]")
    for j, t in enumerate(a.terms or ()):
        _term(ctx, t, a.key, f"{record}.terms[{j}]")
    for j, e in enumerate(a.events or ()):
        _event(ctx, e, a.key, f"{record}.events[{j}]", j)


def _common(ctx: ArticleContext, ev: str) -> dict[str, Any]:
    """The columns every evidenced extra of an agreement has."""
    return {"article_id": ctx.article_id, "evidence_id": ev, "review_status": ctx.review_status}


def _participation(ctx: ArticleContext, p: schema.Participation, key: str, record: str) -> None:
    pid = ctx.party(p.party, record, "party")
    ev = ctx.evidence(p.evidence, record)
    start, start_precision = p.valid_from or _UNDATED
    end, end_precision = p.valid_to or _UNDATED
    if pid and ev:
        ctx.add("participation", record, participation_id=fact_id("p", ev, key, pid, p.role, start, end),
                agreement_id=key, party_id=pid, participation_role=p.role,
                valid_from_on=start, valid_from_precision=start_precision,
                valid_to_on=end, valid_to_precision=end_precision, **_common(ctx, ev))


def _relation(ctx: ArticleContext, r: schema.Relation, key: str, record: str) -> None:
    ev = ctx.evidence(r.evidence, record)
    if r.agreement == key:
        ctx.problem("an agreement cannot be related to itself", record, "agreement", r.agreement)
        return
    if ev:
        ctx.add("agreement_relation", record, relation_id=fact_id("r", ev, key, r.kind, r.agreement),
                agreement_id=key, relation_kind=r.kind, related_agreement_id=r.agreement, **_common(ctx, ev))


def _term(ctx: ArticleContext, t: schema.Term, key: str, record: str) -> None:
    ev = ctx.evidence(t.evidence, record)
    mineral = ctx.mineral(t.mineral, record)
    if ev and (t.mineral is None or mineral):
        ctx.add("agreement_term", record, term_id=fact_id("t", ev, key, t.mechanism, mineral, t.value),
                agreement_id=key, price_mechanism=t.mechanism, mineral_id=mineral, price_value=t.value,
                currency=t.currency, per_unit=t.per_unit, tenor_months=t.tenor_months,
                extension_option=t.extension_option, description=t.description, **_common(ctx, ev))


def _event(ctx: ArticleContext, e: schema.Event, key: str, record: str, sequence: int) -> None:
    ev = ctx.evidence(e.evidence, record)
    on, precision = e.event_on or _UNDATED
    if on is not None and ctx.published_on is not None:
        latest = period_end(ctx.published_on, ctx.published_precision)
        if on > latest:  # type: ignore[operator]
            ctx.problem(f"event date {on} is after the article was published ({ctx.published_on}, {ctx.published_precision})",
                        record, "event_on", on)
            return
    if ev:
        ctx.add("agreement_event", record, event_id=fact_id("e", ev, key, e.event, on, sequence),
                agreement_id=key, lifecycle_event=e.event, event_on=on, event_precision=precision,
                sequence=sequence, **_common(ctx, ev))
