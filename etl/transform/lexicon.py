"""The reference lexicon: canonical minerals, parties, aliases and dated FX rates, built once per run from seeds/reference."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel
from stdnum import isin as stdnum_isin
from stdnum import lei as stdnum_lei
from stdnum.exceptions import ValidationError as StdnumError

from etl.db import domain
from etl.problems import Problem, shorten
from etl.sources import schema
from etl.sources.seeds import Reference
from etl.text import UnitLexicon
from etl.validate import shape

REFERENCE_TABLES = ("mineral", "mineral_alias", "product", "product_alias", "party", "party_alias",
                    "party_identifier", "fx_rate")


M = TypeVar("M", bound=BaseModel)


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@lru_cache(maxsize=1 << 16)  # the same few names are looked up for every fact
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


_WIKIDATA_SOURCE = ("wikidata field of reference/parties.yaml (curated before issue 15; "
                    "not re-verified against Wikidata offline)")


class _Names:
    """The name → id indexes of the lexicon; a name may name one entry only."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]], problems: list[Problem]):
        self.rows = rows
        self.problems = problems
        self.index: dict[str, dict[str, str]] = {"mineral": {}, "party": {}, "product": {}}

    def add(self, kind: str, target: str, names: list[str | None], rel: str, record: str) -> None:
        """Index every name of `target`; each distinct spelling becomes an alias row."""
        index, seen = self.index[kind], set()
        for name in names:
            if name is None or not name.strip():
                continue
            key = alias_key(name)
            other = index.get(key)
            if other is not None and other != target:
                self.problems.append(Problem(rel, f"alias {name!r} names both {other!r} and {target!r}", record=record, field="aliases"))
                continue
            index[key] = target
            if name not in seen:
                seen.add(name)
                self.rows[f"{kind}_alias"].append({"alias": name, f"{kind}_id": target, "_file": rel, "_record": record})


def build_lexicon(ref: Reference, problems: list[Problem]) -> Lexicon:
    """The lexicon of the reference files; every entry that is not well formed is a Problem."""
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in REFERENCE_TABLES}
    names = _Names(rows, problems)
    _minerals(ref, names)
    _parties(ref, names)
    products = _products(ref, names)
    fx = _fx_rates(ref, rows, problems)
    index = names.index
    return Lexicon(rows, index["mineral"], index["party"], fx, index["product"], products)


def _entries(model: type[M], items: list[dict[str, Any]], name: str, label: Callable[[dict[str, Any]], str],
             problems: list[Problem]) -> list[tuple[str, M, bool]]:
    """(record name, entry, whether it is well formed) of the entries of reference/<name>.yaml.

    An entry with errors that is still an entry without its failing fields is listed too (its
    names are known, so entries naming it do not fail as well); it makes no rows."""
    def record(i: int, item: dict[str, Any]) -> str:
        return f"[{i}] {label(item)}"
    salvaged: list[tuple[int, M]] = []
    good, bad = shape.records_of(model, items, f"reference/{name}.yaml", record, reasons=shape.REFERENCE_REASONS,
                                 salvaged=salvaged)
    problems += bad
    listed = [(i, entry, True) for i, entry in good] + [(i, entry, False) for i, entry in salvaged]
    return [(record(i, items[i]), entry, whole) for i, entry, whole in sorted(listed, key=lambda x: x[0])]


def _slug(item: dict[str, Any]) -> str:
    return str(item.get("slug", "?"))


def _minerals(ref: Reference, names: _Names) -> None:
    rel = "reference/minerals.yaml"
    for record, m, whole in _entries(schema.Mineral, ref.minerals, "minerals", _slug, names.problems):
        names.add("mineral", m.slug, [m.slug, m.name_en, m.name_ko, m.symbol, *(m.aliases or ())], rel, record)
        if not whole:
            continue
        names.rows["mineral"].append({
            "mineral_id": m.slug, "symbol": m.symbol, "name_en": m.name_en or m.slug,
            "name_ko": m.name_ko, "mineral_group": m.group or "other", "_file": rel, "_record": record,
        })


def _parties(ref: Reference, names: _Names) -> None:
    rel, problems = "reference/parties.yaml", names.problems
    parents: list[tuple[dict[str, Any], str]] = []
    for record, p, whole in _entries(schema.ReferenceParty, ref.parties, "parties", lambda p: str(p.get("name")), problems):
        pid = slugify(p.name)
        if not pid:
            problems.append(Problem(rel, "a party needs a canonical English name", record=record, field="name", raw=shorten(p.name)))
            continue
        if not whole:
            names.add("party", pid, [p.name, p.name_ko, *(p.aliases or ())], rel, record)
            continue
        row = {"party_id": pid, "name": p.name, "name_ko": p.name_ko, "party_type": p.type, "country_code": p.country,
               "wikidata_id": p.wikidata, "_file": rel, "_record": record, "parent_party_id": None}
        names.rows["party"].append(row)
        if p.parent:
            parents.append((row, p.parent))
        wikidata = [schema.Identifier(scheme="wikidata", value=p.wikidata, source=_WIKIDATA_SOURCE)] if p.wikidata is not None else []
        for j, ident in enumerate([*wikidata, *(p.identifiers or ())]):
            why = identifier_problem(ident.scheme, ident.value)
            if why:
                problems.append(Problem(rel, why, record=f"{record}.identifiers[{j}]", field="value", raw=shorten(ident.value)))
                continue
            names.rows["party_identifier"].append({"party_id": pid, "scheme": ident.scheme, "value": ident.value,
                                                   "source": ident.source, "_file": rel, "_record": f"{record}.identifiers[{j}]"})
        names.add("party", pid, [p.name, p.name_ko, *(p.aliases or ())], rel, record)
    for row, parent in parents:  # a parent may come later in the file
        row["parent_party_id"] = names.index["party"].get(alias_key(parent))
        if row["parent_party_id"] is None:
            problems.append(Problem(rel, f"parent {parent!r} is not a known party", record=row["_record"], field="parent"))


def _products(ref: Reference, names: _Names) -> dict[str, dict[str, Any]]:
    rel, products = "reference/products.yaml", {}
    for record, m, whole in _entries(schema.Product, ref.products, "products", _slug, names.problems):
        if not whole:
            continue  # nothing in the reference files names a product
        mineral = names.index["mineral"].get(alias_key(m.mineral))
        if mineral is None:
            names.problems.append(Problem(rel, f"unknown mineral {m.mineral!r}", record=record, field="mineral", raw=shorten(m.mineral)))
            continue
        row = {"product_id": m.slug, "name_en": m.name_en or m.slug, "name_ko": m.name_ko, "mineral_id": mineral,
               "contained_factor": m.contained_factor, "lce_factor": m.lce_factor, "factor_source": m.factor_source,
               "_file": rel, "_record": record}
        names.rows["product"].append(row)
        products[m.slug] = row
        names.add("product", m.slug, [m.slug, m.name_en, m.name_ko, *(m.aliases or ())], rel, record)
    return products


def _fx_rates(ref: Reference, rows: dict[str, list[dict[str, Any]]], problems: list[Problem]) -> dict[str, dict[date, Decimal]]:
    rel, fx = "reference/fx.yaml", {}
    for record, r, whole in _entries(schema.FxRate, ref.fx, "fx", lambda r: f"{r.get('currency')} {r.get('rate_on')}", problems):
        if not whole:
            continue
        if r.rate_on.day != 1:
            problems.append(Problem(rel, f"rate_on {r.rate_on} must be the first day of the month the rate is the average of", record=record, field="rate_on"))
            continue
        if r.rate_on in fx.get(r.currency, {}):
            problems.append(Problem(rel, f"a second {r.currency} rate for {r.rate_on:%Y-%m}", record=record, field="rate_on"))
            continue
        rows["fx_rate"].append({"currency": r.currency, "rate_on": r.rate_on, "usd_per_unit": r.usd_per_unit,
                                "source": r.source, "_file": rel, "_record": record})
        fx.setdefault(r.currency, {})[r.rate_on] = r.usd_per_unit
    return fx


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
