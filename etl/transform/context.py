"""One article's rows in the making: lookups against the lexicon, evidence offsets, figures.

Every fact goes through `evidence()` so it has provenance; what cannot be interpreted becomes
a Problem tied to its file, record and field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from etl.db import domain
from etl.problems import Problem, shorten
from etl.sources.schema import Figure
from etl.sources.seeds import as_date
from etl.text import resolve_period, to_tonnes
from etl.transform.lexicon import Lexicon

TABLES = (
    "article", "evidence", "party_mention", "agreement", "agreement_status", "agreement_party",
    "agreement_mineral", "volume", "market_claim", "participation", "agreement_relation",
    "agreement_term", "agreement_event",
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


def fact_id(prefix: str, *parts: Any) -> str:
    digest = hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]
    return f"{prefix}-{digest}"


def period_end(start: date | None, precision: str) -> date | None:
    """Last day of the day, month or year that starts on `start`."""
    if start is None:
        return None
    if precision == "year":
        return date(start.year, 12, 31)
    if precision == "month":
        nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return start


class ArticleContext:
    """Builds one article's rows from its typed facts records."""

    def __init__(self, facts: ArticleFacts, body: str, published_on: date | None, lex: Lexicon, ent_rel: str,
                 published_precision: str = "day", review_status: str = "curated"):
        self.facts = facts
        self.article_id = facts.article_id
        self.body = body
        self.published_on = published_on
        self.published_precision = published_precision
        self.lex = lex
        self.ent_rel = ent_rel
        self.review_status = review_status
        self._evidence_ids: set[str] = set()

    def problem(self, reason: str, record: str | None = None, field_: str | None = None, raw: Any = None) -> None:
        self.facts.problems.append(Problem(self.ent_rel, reason, record=record, field=field_,
                                           raw=None if raw is None else shorten(raw), article_id=self.article_id))

    def add(self, table: str, record: str, **row: Any) -> None:
        row["_file"] = self.ent_rel
        row["_record"] = record
        self.facts.rows[table].append(row)

    def evidence(self, quote: str, record: str) -> str | None:
        start = self.body.find(quote)
        if start < 0:
            self.problem(f"evidence not found in the article text: {shorten(quote, 80)!r}", record, "evidence", quote)
            return None
        end = start + len(quote)
        evidence_id = f"{self.article_id}:{start}-{end}"
        if evidence_id not in self._evidence_ids:
            self._evidence_ids.add(evidence_id)
            self.add("evidence", record, evidence_id=evidence_id, article_id=self.article_id,
                     start_offset=start, end_offset=end, quote=quote)
        return evidence_id

    def mineral(self, name: str | None, record: str, field_: str = "mineral") -> str | None:
        """The mineral's slug (None for no name, or an unknown one, which is reported)."""
        if name is None:
            return None
        slug = self.lex.mineral(name)
        if slug is None:
            self.problem(f"unknown mineral {name!r}: add it to reference/minerals.yaml or fix the spelling", record, field_, name)
        return slug

    def party(self, name: str | None, record: str, field_: str = "name") -> str | None:
        if name is None:
            return None
        pid = self.lex.party(name)
        if pid is None:
            self.problem(f"unknown party {name!r}: add it (or the alias) to reference/parties.yaml", record, field_, name)
        return pid

    def day(self, value: str | int | None, record: str, field_: str) -> tuple[bool, date | None]:
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

    def period(self, item: Figure, record: str) -> tuple[bool, date | None, date | None]:
        if item.period is not None:
            try:
                p = resolve_period(str(item.period), self.published_on, self.lex.units)
            except ValueError as exc:
                self.problem(f"cannot resolve period {item.period!r}: {exc}", record, "period", item.period)
                return False, None, None
            return True, p.start, p.end
        ok1, start = self.day(item.period_start, record, "period_start")
        ok2, end = self.day(item.period_end, record, "period_end")
        return ok1 and ok2, start, end

    def figure(self, item: Figure, record: str) -> dict[str, Any] | None:
        """Quantity, unit, bound, period and normalised columns of a volume or claim."""
        ok, start, end = self.period(item, record)
        if not ok:
            return None
        if start and end and end < start:
            self.problem(f"the period ends ({end}) before it starts ({start})", record, "period_end", end)
            return None
        quantity, unit, measure = item.quantity, item.unit, item.measure
        allowed = domain.UNITS_BY_MEASURE[measure]
        if unit not in allowed:
            self.problem(f"{unit!r} is not a unit of {measure} (expected {', '.join(allowed)})", record, "unit", unit)
            return None
        tonnes = to_tonnes(quantity, unit, self.lex.units) if measure == "mass" else None
        product_id = None
        if item.product is not None:
            product_id = self.lex.product(item.product)
            if product_id is None:
                self.problem(f"unknown product {item.product!r}: add it to reference/products.yaml or fix the spelling",
                             record, "product", item.product)
                return None
            # tonnes of the product become tonnes of contained mineral only at a documented factor
            factor = self.lex.products[product_id]["contained_factor"]
            tonnes = (tonnes * factor).quantize(Decimal("0.000001")) if tonnes is not None and factor is not None else None
        usd = self.usd(quantity, unit, start, end, record) if measure == "money" else None
        if usd is False:
            return None
        return {
            "measure": measure, "quantity": quantity, "unit": unit,
            "bound": item.bound, "period_start": start, "period_end": end,
            "quantity_tonnes": tonnes, "amount_usd": usd, "product_id": product_id,
        }

    def usd(self, quantity: Decimal, currency: str, start: date | None, end: date | None, record: str) -> Decimal | None | bool:
        """The amount in US dollars (None: no rate for its month; False: reported as implausible)."""
        rate = self.lex.usd_per_unit(currency, self.fx_month(start, end))
        try:
            return (quantity * rate).quantize(Decimal("0.01")) if rate is not None else None
        except InvalidOperation:  # more digits than Decimal keeps: far beyond any real amount
            self.problem(f"quantity {quantity:e} {currency} is implausibly large", record, "quantity", quantity)
            return False

    def fx_month(self, start: date | None, end: date | None) -> date | None:
        """The month whose rate converts a figure: the figure's own month when its period lies in
        one calendar month, else the article's month when its date is known to the month."""
        if start and end and (start.year, start.month) == (end.year, end.month):
            return start.replace(day=1)
        if self.published_on and self.published_precision in ("day", "month"):
            return self.published_on.replace(day=1)
        return None
