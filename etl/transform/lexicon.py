"""The reference lexicon: canonical minerals, parties, aliases and dated FX rates, built once per run from seeds/reference."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from etl.db import domain
from etl.problems import Problem, shorten
from etl.sources.seeds import Reference, as_date

REFERENCE_TABLES = ("mineral", "mineral_alias", "party", "party_alias", "fx_rate")


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def alias_key(name: str) -> str:
    """Case-, width- and space-insensitive key for matching names."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def detect_language(text: str) -> str:
    letters = [c for c in text[:4000] if c.isalpha()]
    hangul = sum(1 for c in letters if _HANGUL.match(c))
    return "ko" if letters and hangul / len(letters) > 0.3 else "en"


@dataclass
class Lexicon:
    """Canonical lookups built from seeds/reference."""

    rows: dict[str, list[dict[str, Any]]]
    mineral_by_key: dict[str, str]
    party_by_key: dict[str, str]
    fx: dict[str, list[tuple[date, Decimal]]]   # currency → [(rate_on, usd_per_unit)] ascending

    def mineral(self, name: Any) -> str | None:
        return self.mineral_by_key.get(alias_key(name)) if isinstance(name, str) else None

    def party(self, name: Any) -> str | None:
        return self.party_by_key.get(alias_key(name)) if isinstance(name, str) else None

    def usd_per_unit(self, currency: str, on: date | None) -> Decimal | None:
        """The latest rate dated on or before `on`; None when there is none (or no date)."""
        if currency == "USD":
            return Decimal(1)
        if on is None:
            return None
        best = None
        for rate_on, rate in self.fx.get(currency, []):
            if rate_on <= on:
                best = rate
        return best


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

    fx: dict[str, list[tuple[date, Decimal]]] = {}
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
        rows["fx_rate"].append({"currency": r.get("currency"), "rate_on": on, "usd_per_unit": rate,
                                "source": r.get("source"), "_file": rel, "_record": record})
        fx.setdefault(str(r.get("currency")), []).append((on, rate))
    for rates in fx.values():
        rates.sort()
    return Lexicon(rows, mineral_by_key, party_by_key, fx)
