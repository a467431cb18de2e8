"""Transform: turn one article's seed records into rows of the core tables.

Resolves names to canonical parties and minerals, dates (relative ones against the article date),
quantities to tonnes and US dollars, and every evidence quote to character offsets in the article.
What cannot be interpreted becomes a Problem tied to its file, record and field.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from etl import quantities
from etl.db import domain
from etl.problems import Problem, shorten
from etl.sources.seeds import ArticleFile, EntityFile, as_date
from etl.transform.lexicon import Lexicon, detect_language

TABLES = (
    "article", "evidence", "party_mention", "agreement", "agreement_status", "agreement_party",
    "agreement_mineral", "volume", "market_claim",
)


@dataclass
class ArticleFacts:
    """Every row one article contributes, plus the problems that stop it from loading."""

    article_id: str
    rel: str
    content_hash: str
    review_status: str = "curated"
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    problems: list[Problem] = field(default_factory=list)


class _ArticleContext:
    """Builds one article's rows; every fact goes through `evidence()` so it has provenance."""

    def __init__(self, facts: ArticleFacts, body: str, published_on: date | None, lex: Lexicon, ent_rel: str):
        self.facts = facts
        self.body = body
        self.published_on = published_on
        self.lex = lex
        self.ent_rel = ent_rel
        self._evidence_ids: set[str] = set()

    def problem(self, reason: str, record: str | None = None, field_: str | None = None, raw: Any = None) -> None:
        self.facts.problems.append(Problem(self.ent_rel, reason, record=record, field=field_,
                                           raw=None if raw is None else shorten(raw), article_id=self.facts.article_id))

    def add(self, table: str, record: str, **row: Any) -> None:
        row["_file"] = self.ent_rel
        row["_record"] = record
        self.facts.rows[table].append(row)

    def evidence(self, quote: Any, record: str) -> str | None:
        if not isinstance(quote, str) or not quote.strip():
            self.problem("evidence quote is missing", record, "evidence")
            return None
        start = self.body.find(quote)
        if start < 0:
            self.problem(f"evidence not found in the article text: {shorten(quote, 80)!r}", record, "evidence", quote)
            return None
        end = start + len(quote)
        evidence_id = f"{self.facts.article_id}:{start}-{end}"
        if evidence_id not in self._evidence_ids:
            self._evidence_ids.add(evidence_id)
            self.add("evidence", record, evidence_id=evidence_id, article_id=self.facts.article_id,
                     start_offset=start, end_offset=end, quote=quote)
        return evidence_id

    def mineral(self, name: Any, record: str, field_: str = "mineral") -> str | None:
        slug = self.lex.mineral(name)
        if slug is None:
            self.problem(f"unknown mineral {name!r}: add it to reference/minerals.yaml or fix the spelling", record, field_, name)
        return slug

    def party(self, name: Any, record: str, field_: str = "name") -> str | None:
        pid = self.lex.party(name)
        if pid is None:
            self.problem(f"unknown party {name!r}: add it (or the alias) to reference/parties.yaml", record, field_, name)
        return pid

    def day(self, value: Any, record: str, field_: str) -> tuple[bool, date | None]:
        """An ISO date, or a phrase resolved against the article date; (ok, value)."""
        if value is None:
            return True, None
        try:
            return True, as_date(value)
        except ValueError:
            pass
        try:
            period = quantities.resolve_period(str(value), self.published_on)
        except ValueError as exc:
            self.problem(f"not a date: {value!r} ({exc})", record, field_, value)
            return False, None
        return True, period.start

    def period(self, item: dict[str, Any], record: str) -> tuple[bool, date | None, date | None]:
        phrase = item.get("period")
        if phrase is not None:
            try:
                p = quantities.resolve_period(str(phrase), self.published_on)
            except ValueError as exc:
                self.problem(f"cannot resolve period {phrase!r}: {exc}", record, "period", phrase)
                return False, None, None
            return True, p.start, p.end
        ok1, start = self.day(item.get("period_start"), record, "period_start")
        ok2, end = self.day(item.get("period_end"), record, "period_end")
        return ok1 and ok2, start, end

    def figure(self, item: dict[str, Any], record: str) -> dict[str, Any] | None:
        """Quantity, unit, bound, period and normalised columns of a volume or claim."""
        raw = item.get("quantity")
        if isinstance(raw, bool) or raw is None:
            self.problem("quantity is missing or not a number", record, "quantity", raw)
            return None
        try:
            quantity = Decimal(str(raw).replace(",", ""))
        except InvalidOperation:
            self.problem(f"quantity {raw!r} is not a number", record, "quantity", raw)
            return None
        if not quantity.is_finite():
            self.problem(f"quantity {raw!r} is not a finite number", record, "quantity", raw)
            return None
        ok, start, end = self.period(item, record)
        if not ok:
            return None
        if start and end and end < start:
            self.problem(f"the period ends ({end}) before it starts ({start})", record, "period_end", end)
            return None
        unit = item.get("unit")
        measure = item.get("measure")
        allowed = domain.UNITS_BY_MEASURE.get(measure) if isinstance(measure, str) else None
        if allowed and unit in domain.UNITS and unit not in allowed:
            self.problem(f"{unit!r} is not a unit of {measure} (expected {', '.join(allowed)})", record, "unit", unit)
            return None
        tonnes = quantities.to_tonnes(quantity, unit) if measure == "mass" and unit in domain.MASS_UNITS else None
        usd = None
        if measure == "money" and unit in domain.CURRENCIES:
            rate = self.lex.usd_per_unit(unit, self.published_on or start)
            try:
                usd = (quantity * rate).quantize(Decimal("0.01")) if rate is not None else None
            except InvalidOperation:  # more digits than Decimal keeps: far beyond any real amount
                self.problem(f"quantity {quantity:e} {unit} is implausibly large", record, "quantity", raw)
                return None
        return {
            "measure": measure, "quantity": quantity, "unit": unit,
            "bound": item.get("bound", "exact"), "period_start": start, "period_end": end,
            "quantity_tonnes": tonnes, "amount_usd": usd,
        }


def _fact_id(prefix: str, *parts: Any) -> str:
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:16]
    return f"{prefix}-{digest}"


def _list(value: Any, ctx: _ArticleContext, record: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.problem("must be a list", record, None, value)
        return []
    return value


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
    meta = art.meta
    article_id = str(meta.get("id"))
    facts = ArticleFacts(article_id, art.rel, content_hash, review_status)

    def art_problem(reason: str, field_: str, raw: Any = None) -> None:
        facts.problems.append(Problem(art.rel, reason, record="front matter", field=field_,
                                      raw=None if raw is None else shorten(raw), article_id=article_id))

    facts.problems += article_id_problems(art, article_id)
    if not art.body.strip():
        art_problem("article body is empty", "body")
    precision = meta.get("published_precision")
    try:
        published_on = as_date(meta.get("published_on"))
    except ValueError:
        art_problem(f"published_on {meta.get('published_on')!r} is not a real ISO date (YYYY-MM-DD)", "published_on", meta.get("published_on"))
        published_on = None
    if precision is None:
        precision = "day" if published_on else "unknown"
    if published_on and not (date(1900, 1, 1) <= published_on <= date.today()):
        art_problem(f"published_on {published_on} is out of range (1900 to today)", "published_on", published_on)
    language = meta.get("language") or detect_language(art.body)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        art_problem("title is required", "title", title)
    facts.rows["article"].append({
        "article_id": article_id, "title": title, "publisher": meta.get("publisher"),
        "url": meta.get("url"), "published_on": published_on, "published_precision": precision,
        "language": language, "body": art.body, "content_hash": content_hash,
        "source_file": art.rel, "_file": art.rel, "_record": "front matter",
    })
    if ent is None:
        return facts

    ctx = _ArticleContext(facts, art.body, published_on, lex, ent.rel)
    data = ent.data
    allowed = {"article", "parties", "agreements", "claims"}
    for key in data:
        if key not in allowed:
            ctx.problem(f"unknown section {key!r} (expected one of {', '.join(sorted(allowed))})", None, str(key))

    mentioned: set[str] = set()
    for i, p in enumerate(_list(data.get("parties"), ctx, "parties")):
        record = f"parties[{i}]"
        if not isinstance(p, dict):
            ctx.problem("a party must be a mapping with name and evidence", record, None, p)
            continue
        pid = ctx.party(p.get("name"), record)
        ev = ctx.evidence(p.get("evidence"), record)
        if pid and ev and pid not in mentioned:
            mentioned.add(pid)
            ctx.add("party_mention", record, article_id=article_id, party_id=pid, evidence_id=ev, review_status=review_status)

    for i, a in enumerate(_list(data.get("agreements"), ctx, "agreements")):
        record = f"agreements[{i}]"
        if not isinstance(a, dict):
            ctx.problem("an agreement must be a mapping", record, None, a)
            continue
        key = a.get("key")
        record = f"agreements[{i}] {key}"
        if not isinstance(key, str) or not re.fullmatch(domain.SLUG_PATTERN[1:-1], key):
            ctx.problem("key must be a slug of lower-case letters, digits and hyphens", record, "key", key)
            continue
        ev = ctx.evidence(a.get("evidence"), record)
        ok, announced = ctx.day(a.get("announced_on"), record, "announced_on")
        ctx.add("agreement", record, agreement_id=key, title=a.get("title"), kind=a.get("kind"),
                location=a.get("location"))
        if ev and ok:
            ctx.add("agreement_status", record, agreement_id=key, article_id=article_id,
                    status=a.get("status"), announced_on=announced, evidence_id=ev, review_status=review_status,
                    title=a.get("title"), kind=a.get("kind"), location=a.get("location"))
        for j, mname in enumerate(_list(a.get("minerals"), ctx, f"{record}.minerals")):
            slug = ctx.mineral(mname, f"{record}.minerals[{j}]")
            if slug:
                ctx.add("agreement_mineral", f"{record}.minerals[{j}]", agreement_id=key, mineral_id=slug, article_id=article_id)
        for j, role in enumerate(_list(a.get("parties"), ctx, f"{record}.parties")):
            rrec = f"{record}.parties[{j}]"
            if not isinstance(role, dict):
                ctx.problem("a party of an agreement must be {name, role}", rrec, None, role)
                continue
            pid = ctx.party(role.get("name"), rrec)
            if pid:
                ctx.add("agreement_party", rrec, agreement_id=key, party_id=pid, role=role.get("role"), article_id=article_id)
        for j, v in enumerate(_list(a.get("volumes"), ctx, f"{record}.volumes")):
            vrec = f"{record}.volumes[{j}]"
            if not isinstance(v, dict):
                ctx.problem("a volume must be a mapping", vrec, None, v)
                continue
            mineral = ctx.mineral(v["mineral"], vrec) if v.get("mineral") is not None else None
            if v.get("mineral") is not None and mineral is None:
                continue
            vev = ctx.evidence(v.get("evidence"), vrec)
            fig = ctx.figure(v, vrec)
            if vev is None or fig is None:
                continue
            per_year = v.get("per_year", False)
            if not isinstance(per_year, bool):
                ctx.problem(f"per_year must be true or false, not {per_year!r}", vrec, "per_year", per_year)
                continue
            ctx.add("volume", vrec, volume_id=_fact_id("v", vev, mineral, fig["measure"], fig["unit"], fig["quantity"], fig["period_start"]),
                    agreement_id=key, article_id=article_id, evidence_id=vev, mineral_id=mineral,
                    per_year=per_year, review_status=review_status, _quote=v.get("evidence"), **fig)

    for i, c in enumerate(_list(data.get("claims"), ctx, "claims")):
        record = f"claims[{i}]"
        if not isinstance(c, dict):
            ctx.problem("a claim must be a mapping", record, None, c)
            continue
        subject = ctx.party(c["subject"], record, "subject") if c.get("subject") is not None else None
        mineral = ctx.mineral(c["mineral"], record) if c.get("mineral") is not None else None
        cev = ctx.evidence(c.get("evidence"), record)
        fig = ctx.figure(c, record)
        if cev is None or fig is None:
            continue
        ctx.add("market_claim", record, claim_id=_fact_id("c", cev, mineral, fig["measure"], fig["unit"], fig["quantity"], fig["period_start"]),
                article_id=article_id, evidence_id=cev, topic=c.get("topic"), subject_party_id=subject,
                mineral_id=mineral, review_status=review_status, _quote=c.get("evidence"), **fig)
    return facts
