"""The reference lexicon: canonical minerals, parties, aliases and dated FX rates, built once per run from seeds/reference."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum import isin as stdnum_isin
from stdnum import lei as stdnum_lei
from stdnum.exceptions import ValidationError as StdnumError

from etl.db import domain
from etl.problems import Problem, shorten
from etl.sources.seeds import Reference, as_date
from etl.text import UnitLexicon

REFERENCE_TABLES = ("mineral", "mineral_alias", "product", "product_alias", "party", "party_alias",
                    "party_identifier", "fx_rate")




def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def alias_key(name: str) -> str:
    """Case-, width- and space-insensitive key for matching names."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()



@dataclass
class Lexicon:
    """Canonical lookups built from seeds/reference."""

    rows: dict[str, list[dict[str, Any]]]
    mineral_by_key: dict[str, str]
    party_by_key: dict[str, str]
    fx: dict[str, dict[date, Decimal]]   # currency → {first day of the month: usd_per_unit}
    product_by_key: dict[str, str] = field(default_factory=dict)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)   # product_id → its row
    units: UnitLexicon | None = None   # the seed folder's units.yaml (None: the bundled one)

    def mineral(self, name: Any) -> str | None:
        return self.mineral_by_key.get(alias_key(name)) if isinstance(name, str) else None

    def product(self, name: Any) -> str | None:
        return self.product_by_key.get(alias_key(name)) if isinstance(name, str) else None

    def party(self, name: Any) -> str | None:
        return self.party_by_key.get(alias_key(name)) if isinstance(name, str) else None

    def usd_per_unit(self, currency: str, month: date | None) -> Decimal | None:
        """The rate of the month `month` falls in; None when no rate covers that month (or no month).

        Rates are monthly: a rate never stands in for another month, earlier or later."""
        if currency == "USD":
            return Decimal(1)
        if month is None:
            return None
        return self.fx.get(currency, {}).get(month.replace(day=1))


def build_lexicon(ref: Reference, problems: list[Problem]) -> Lexicon:
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in REFERENCE_TABLES}
    mineral_by_key: dict[str, str] = {}
    party_by_key: dict[str, str] = {}

    def claim(index: dict[str, str], name: Any, target: str, rel: str, record: str) -> None:
        if not isinstance(name, str) or not name.strip():
            return
        key = alias_key(name)
        other = index.get(key)
        if other is not None and other != target:
            problems.append(Problem(rel, f"alias {name!r} names both {other!r} and {target!r}", record=record, field="aliases"))
            return
        index[key] = target

    rel = "reference/minerals.yaml"
    for i, m in enumerate(ref.minerals):
        record = f"[{i}] {m.get('slug', '?')}"
        slug = m.get("slug")
        if not isinstance(slug, str) or not re.fullmatch(domain.MINERAL_SLUG_PATTERN[1:-1], slug):
            problems.append(Problem(rel, "slug must be lower-case letters, digits and underscores", record=record, field="slug", raw=shorten(slug)))
            continue
        rows["mineral"].append({
            "mineral_id": slug, "symbol": m.get("symbol"), "name_en": m.get("name_en") or slug,
            "name_ko": m.get("name_ko"), "mineral_group": m.get("group") or "other",
            "_file": rel, "_record": record,
        })
        names = [slug, m.get("name_en"), m.get("name_ko"), m.get("symbol"), *(m.get("aliases") or [])]
        seen: set[str] = set()
        for name in names:
            if isinstance(name, str) and name.strip():
                claim(mineral_by_key, name, slug, rel, record)
                if name not in seen and mineral_by_key.get(alias_key(name)) == slug:
                    seen.add(name)
                    rows["mineral_alias"].append({"alias": name, "mineral_id": slug, "_file": rel, "_record": record})

    rel = "reference/parties.yaml"
    for i, p in enumerate(ref.parties):
        name = p.get("name")
        record = f"[{i}] {name}"
        if not isinstance(name, str) or not slugify(name):
            problems.append(Problem(rel, "a party needs a canonical English name", record=record, field="name", raw=shorten(name)))
            continue
        pid = slugify(name)
        rows["party"].append({
            "party_id": pid, "name": name, "name_ko": p.get("name_ko"),
            "party_type": p.get("type"), "country_code": p.get("country"),
            "parent_name": p.get("parent"), "wikidata_id": p.get("wikidata"),
            "_file": rel, "_record": record,
        })
        identifiers = [{"scheme": "wikidata", "value": p["wikidata"], "source": "wikidata field of reference/parties.yaml (curated before issue 15; not re-verified against Wikidata offline)"}] \
            if isinstance(p.get("wikidata"), str) else []
        extra = p.get("identifiers") or []
        if not isinstance(extra, list):
            problems.append(Problem(rel, "identifiers must be a list of {scheme, value, source}", record=record, field="identifiers"))
            extra = []
        for j, ident in enumerate([*identifiers, *extra]):
            if not isinstance(ident, dict):
                problems.append(Problem(rel, "an identifier must be a mapping {scheme, value, source}", record=record, field="identifiers", raw=shorten(ident)))
                continue
            why = identifier_problem(ident.get("scheme"), ident.get("value"))
            if why:
                problems.append(Problem(rel, why, record=f"{record}.identifiers[{j}]", field="value", raw=shorten(ident.get("value"))))
                continue
            rows["party_identifier"].append({"party_id": pid, "scheme": ident.get("scheme"), "value": ident.get("value"),
                                             "source": ident.get("source"), "_file": rel, "_record": f"{record}.identifiers[{j}]"})
        seen = set()
        for alias in [name, p.get("name_ko"), *(p.get("aliases") or [])]:
            if isinstance(alias, str) and alias.strip():
                claim(party_by_key, alias, pid, rel, record)
                if alias not in seen and party_by_key.get(alias_key(alias)) == pid:
                    seen.add(alias)
                    rows["party_alias"].append({"alias": alias, "party_id": pid, "_file": rel, "_record": record})
    for row in rows["party"]:
        parent = row.pop("parent_name")
        row["parent_party_id"] = None
        if parent:
            row["parent_party_id"] = party_by_key.get(alias_key(str(parent)))
            if row["parent_party_id"] is None:
                problems.append(Problem("reference/parties.yaml", f"parent {parent!r} is not a known party", record=row["_record"], field="parent"))

    product_by_key: dict[str, str] = {}
    products: dict[str, dict[str, Any]] = {}
    rel = "reference/products.yaml"
    for i, m in enumerate(ref.products):
        record = f"[{i}] {m.get('slug', '?')}"
        slug = m.get("slug")
        if not isinstance(slug, str) or not re.fullmatch(domain.MINERAL_SLUG_PATTERN[1:-1], slug):
            problems.append(Problem(rel, "slug must be lower-case letters, digits and underscores", record=record, field="slug", raw=shorten(slug)))
            continue
        mineral = mineral_by_key.get(alias_key(m["mineral"])) if isinstance(m.get("mineral"), str) else None
        if mineral is None:
            problems.append(Problem(rel, f"unknown mineral {m.get('mineral')!r}", record=record, field="mineral", raw=shorten(m.get("mineral"))))
            continue
        try:
            factors = {k: (None if m.get(k) is None else Decimal(str(m.get(k)))) for k in ("contained_factor", "lce_factor")}
        except InvalidOperation:
            problems.append(Problem(rel, "contained_factor and lce_factor must be numbers (or null)", record=record))
            continue
        row = {"product_id": slug, "name_en": m.get("name_en") or slug, "name_ko": m.get("name_ko"),
               "mineral_id": mineral, **factors, "factor_source": m.get("factor_source"), "_file": rel, "_record": record}
        rows["product"].append(row)
        products[slug] = row
        seen = set()
        for name in [slug, m.get("name_en"), m.get("name_ko"), *(m.get("aliases") or [])]:
            if isinstance(name, str) and name.strip():
                claim(product_by_key, name, slug, rel, record)
                if name not in seen and product_by_key.get(alias_key(name)) == slug:
                    seen.add(name)
                    rows["product_alias"].append({"alias": name, "product_id": slug, "_file": rel, "_record": record})

    fx: dict[str, dict[date, Decimal]] = {}
    rel = "reference/fx.yaml"
    for i, r in enumerate(ref.fx):
        record = f"[{i}] {r.get('currency')} {r.get('rate_on')}"
        try:
            on = as_date(r.get("rate_on"))
            rate = Decimal(str(r.get("usd_per_unit")))
        except (ValueError, InvalidOperation):
            problems.append(Problem(rel, "rate_on must be an ISO date and usd_per_unit a number", record=record))
            continue
        if on is None:
            problems.append(Problem(rel, "rate_on is required", record=record, field="rate_on"))
            continue
        if on.day != 1:
            problems.append(Problem(rel, f"rate_on {on} must be the first day of the month the rate is the average of", record=record, field="rate_on"))
            continue
        if on in fx.get(str(r.get("currency")), {}):
            problems.append(Problem(rel, f"a second {r.get('currency')} rate for {on:%Y-%m}", record=record, field="rate_on"))
            continue
        rows["fx_rate"].append({"currency": r.get("currency"), "rate_on": on, "usd_per_unit": rate,
                                "source": r.get("source"), "_file": rel, "_record": record})
        fx.setdefault(str(r.get("currency")), {})[on] = rate
    return Lexicon(rows, mineral_by_key, party_by_key, fx, product_by_key, products)


_TICKER = re.compile(r"^[A-Z]{2,8}:[A-Z0-9.\-]{1,12}$")
_OPENDART = re.compile(r"^[0-9]{8}$")


def identifier_problem(scheme: Any, value: Any) -> str | None:
    """None when `value` is a well-formed identifier of `scheme` (LEI and ISIN check digits
    verified with python-stdnum); else why not."""
    if scheme not in domain.IDENTIFIER_SCHEMES:
        return f"unknown identifier scheme {scheme!r} (allowed: {', '.join(domain.IDENTIFIER_SCHEMES)})"
    if not isinstance(value, str) or not value.strip():
        return f"{scheme} identifier value is missing"
    if scheme in ("lei", "isin"):
        module = stdnum_lei if scheme == "lei" else stdnum_isin
        try:
            module.validate(value)
        except StdnumError as exc:
            return f"{value!r} is not a valid {scheme.upper()}: {exc}"
        if module.compact(value) != value:
            return f"{scheme.upper()} {value!r} must be written compact: {module.compact(value)!r}"
    if scheme == "wikidata" and not re.fullmatch(r"Q[1-9][0-9]*", value):
        return f"{value!r} is not a Wikidata item id (Q followed by digits)"
    if scheme == "ticker" and not _TICKER.match(value):
        return f"{value!r} is not a ticker written EXCHANGE:SYMBOL (e.g. NYSE:LMT)"
    if scheme == "opendart" and not _OPENDART.match(value):
        return f"{value!r} is not an OpenDART corp code (8 digits)"
    return None
