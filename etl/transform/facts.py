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

from etl.db import domain
from etl.problems import Problem, shorten
from etl.sources.seeds import ArticleFile, EntityFile, as_date
from etl.text import resolve_period, to_tonnes
from etl.text.language import detect_language
from etl.transform.lexicon import Lexicon

TABLES = (
    "article", "evidence", "party_mention", "agreement", "agreement_status", "agreement_party",
    "agreement_mineral", "volume", "market_claim", "participation", "agreement_relation",
    "agreement_term", "agreement_event",
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


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

    def __init__(self, facts: ArticleFacts, body: str, published_on: date | None, lex: Lexicon, ent_rel: str,
                 published_precision: str = "day"):
        self.facts = facts
        self.body = body
        self.published_on = published_on
        self.published_precision = published_precision
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
            period = resolve_period(str(value), self.published_on, self.lex.units)
        except ValueError as exc:
            self.problem(f"not a date: {value!r} ({exc})", record, field_, value)
            return False, None
        return True, period.start

    def period(self, item: dict[str, Any], record: str) -> tuple[bool, date | None, date | None]:
        phrase = item.get("period")
        if phrase is not None:
            try:
                p = resolve_period(str(phrase), self.published_on, self.lex.units)
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
        tonnes = to_tonnes(quantity, unit, self.lex.units) if measure == "mass" and unit in domain.MASS_UNITS else None
        product = item.get("product")
        product_id = None
        if product is not None:
            product_id = self.lex.product(product)
            if product_id is None:
                self.problem(f"unknown product {product!r}: add it to reference/products.yaml or fix the spelling", record, "product", product)
                return None
            # tonnes of the product become tonnes of contained mineral only at a documented factor
            factor = self.lex.products[product_id]["contained_factor"]
            tonnes = (tonnes * factor).quantize(Decimal("0.000001")) if tonnes is not None and factor is not None else None
        usd = None
        if measure == "money" and unit in domain.CURRENCIES:
            rate = self.lex.usd_per_unit(unit, self.fx_month(start, end))
            try:
                usd = (quantity * rate).quantize(Decimal("0.01")) if rate is not None else None
            except InvalidOperation:  # more digits than Decimal keeps: far beyond any real amount
                self.problem(f"quantity {quantity:e} {unit} is implausibly large", record, "quantity", raw)
                return None
        return {
            "measure": measure, "quantity": quantity, "unit": unit,
            "bound": item.get("bound", "exact"), "period_start": start, "period_end": end,
            "quantity_tonnes": tonnes, "amount_usd": usd, "product_id": product_id,
        }

    def fx_month(self, start: date | None, end: date | None) -> date | None:
        """The month whose rate converts a figure: the figure's own month when its period lies in
        one calendar month, else the article's month when its date is known to the month."""
        if start and end and (start.year, start.month) == (end.year, end.month):
            return start.replace(day=1)
        if self.published_on and self.published_precision in ("day", "month"):
            return self.published_on.replace(day=1)
        return None

    def dated(self, value: Any, record: str, field_: str) -> tuple[bool, date | None, str]:
        """A date with its precision: YYYY-MM-DD (day), YYYY-MM (month), YYYY (year) or null (unknown)."""
        if value is None:
            return True, None, "unknown"
        text = str(value).strip()
        try:
            if isinstance(value, int) and not isinstance(value, bool) or _YEAR.match(text):
                return True, date(int(text), 1, 1), "year"
            if m := _MONTH.match(text):
                return True, date(int(m[1]), int(m[2]), 1), "month"
            return True, as_date(text), "day"
        except ValueError:
            self.problem(f"not a date: {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)", record, field_, value)
            return False, None, "unknown"


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
    not_before = None
    try:
        not_before = as_date(meta.get("published_not_before"))
    except ValueError:
        art_problem(f"published_not_before {meta.get('published_not_before')!r} is not a real ISO date", "published_not_before", meta.get("published_not_before"))
    if not_before is not None:
        end = _period_end(published_on, precision)
        if published_on is None or precision == "day" or not (published_on <= not_before <= end):
            art_problem(f"published_not_before {not_before} must lie within the {precision} of published_on "
                        f"{published_on} (a lower bound for a date known only to the month or year)",
                        "published_not_before", not_before)
    ai_generated = meta.get("ai_generated", False)
    if not isinstance(ai_generated, bool):
        art_problem(f"ai_generated must be true or false, not {ai_generated!r}", "ai_generated", ai_generated)
        ai_generated = False
    language = meta.get("language") or detect_language(art.body)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        art_problem("title is required", "title", title)
    facts.rows["article"].append({
        "article_id": article_id, "title": title, "publisher": meta.get("publisher"),
        "url": meta.get("url"), "published_on": published_on, "published_precision": precision,
        "language": language, "body": art.body, "content_hash": content_hash,
        "source_file": art.rel, "original_publisher": meta.get("republished_from"),
        "is_ai_generated": ai_generated, "published_not_before": not_before,
        "_file": art.rel, "_record": "front matter",
    })
    if ent is None:
        return facts

    ctx = _ArticleContext(facts, art.body, published_on, lex, ent.rel, precision)
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
            if mineral is None and fig["product_id"] is not None:
                mineral = lex.products[fig["product_id"]]["mineral_id"]
            ctx.add("volume", vrec, volume_id=_fact_id("v", vev, mineral, fig["measure"], fig["unit"], fig["quantity"], fig["period_start"]),
                    agreement_id=key, article_id=article_id, evidence_id=vev, mineral_id=mineral,
                    per_year=per_year, review_status=review_status, _quote=v.get("evidence"),
                    counting_basis=v.get("counting_basis"), **fig)
        _agreement_extras(ctx, a, key, record, review_status)

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
        fig.pop("product_id")
        ctx.add("market_claim", record, claim_id=_fact_id("c", cev, mineral, fig["measure"], fig["unit"], fig["quantity"], fig["period_start"]),
                article_id=article_id, evidence_id=cev, topic=c.get("topic"), subject_party_id=subject,
                mineral_id=mineral, review_status=review_status, _quote=c.get("evidence"), **fig)
    return facts


def _period_end(start: date | None, precision: str) -> date | None:
    """Last day of the day, month or year that starts on `start`."""
    if start is None:
        return None
    if precision == "year":
        return date(start.year, 12, 31)
    if precision == "month":
        nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return start


def _items(ctx: _ArticleContext, a: dict[str, Any], section: str, record: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for j, item in enumerate(_list(a.get(section), ctx, f"{record}.{section}")):
        rec = f"{record}.{section}[{j}]"
        if not isinstance(item, dict):
            ctx.problem(f"an entry of {section} must be a mapping", rec, None, item)
            continue
        out.append((rec, item))
    return out


def _agreement_extras(ctx: _ArticleContext, a: dict[str, Any], key: str, record: str, review_status: str) -> None:
    """An agreement's participations, relations, price terms and lifecycle events, each with evidence."""
    article_id = ctx.facts.article_id
    for rec, p in _items(ctx, a, "participations", record):
        pid = ctx.party(p.get("party"), rec, "party")
        ev = ctx.evidence(p.get("evidence"), rec)
        ok1, start, start_p = ctx.dated(p.get("valid_from"), rec, "valid_from")
        ok2, end, end_p = ctx.dated(p.get("valid_to"), rec, "valid_to")
        if pid and ev and ok1 and ok2:
            ctx.add("participation", rec, participation_id=_fact_id("p", ev, key, pid, p.get("role"), start, end),
                    agreement_id=key, party_id=pid, participation_role=p.get("role"),
                    valid_from_on=start, valid_from_precision=start_p, valid_to_on=end, valid_to_precision=end_p,
                    article_id=article_id, evidence_id=ev, review_status=review_status)
    for rec, r in _items(ctx, a, "relations", record):
        other = r.get("agreement")
        ev = ctx.evidence(r.get("evidence"), rec)
        if not isinstance(other, str) or not re.fullmatch(domain.SLUG_PATTERN[1:-1], other):
            ctx.problem("agreement must be the key (slug) of the related agreement", rec, "agreement", other)
            continue
        if other == key:
            ctx.problem("an agreement cannot be related to itself", rec, "agreement", other)
            continue
        if ev:
            ctx.add("agreement_relation", rec, relation_id=_fact_id("r", ev, key, r.get("kind"), other),
                    agreement_id=key, relation_kind=r.get("kind"), related_agreement_id=other,
                    article_id=article_id, evidence_id=ev, review_status=review_status)
    for rec, t in _items(ctx, a, "terms", record):
        ev = ctx.evidence(t.get("evidence"), rec)
        mineral = ctx.mineral(t["mineral"], rec) if t.get("mineral") is not None else None
        value = t.get("value")
        if value is not None:
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                ctx.problem(f"value {value!r} is not a number", rec, "value", value)
                continue
        if value is not None and not t.get("currency"):
            ctx.problem("a price value needs its currency", rec, "currency", None)
            continue
        tenor = t.get("tenor_months")
        if tenor is not None and (isinstance(tenor, bool) or not isinstance(tenor, int)):
            ctx.problem(f"tenor_months must be a whole number of months, not {tenor!r}", rec, "tenor_months", tenor)
            continue
        if not isinstance(t.get("description"), str) or not t["description"].strip():
            ctx.problem("description is required (the term in a few English words)", rec, "description", t.get("description"))
            continue
        if ev and (t.get("mineral") is None or mineral):
            ctx.add("agreement_term", rec, term_id=_fact_id("t", ev, key, t.get("mechanism"), mineral, value),
                    agreement_id=key, price_mechanism=t.get("mechanism"), mineral_id=mineral, price_value=value,
                    currency=t.get("currency"), per_unit=t.get("per_unit"), tenor_months=tenor,
                    extension_option=t.get("extension_option"), description=t["description"],
                    article_id=article_id, evidence_id=ev, review_status=review_status)
    for seq, (rec, e) in enumerate(_items(ctx, a, "events", record)):
        ev = ctx.evidence(e.get("evidence"), rec)
        ok, on, precision = ctx.dated(e.get("event_on"), rec, "event_on")
        if ok and on is not None and ctx.published_on is not None:
            latest = _period_end(ctx.published_on, ctx.published_precision)
            if on > latest:
                ctx.problem(f"event date {on} is after the article was published ({ctx.published_on}, {ctx.published_precision})", rec, "event_on", on)
                continue
        if ev and ok:
            ctx.add("agreement_event", rec, event_id=_fact_id("e", ev, key, e.get("event"), on, seq),
                    agreement_id=key, lifecycle_event=e.get("event"), event_on=on, event_precision=precision,
                    sequence=seq, article_id=article_id, evidence_id=ev, review_status=review_status)
