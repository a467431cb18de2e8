"""Synthetic seed sets: valid articles with curated facts, written fast and deterministically.

The one generator behind `critmin bench` (a million volume facts, 20 an article) and the tests'
small sets (one fact an article): every article names a seller and a buyer, one supply agreement
and its figures, each with an evidence quote copied from the article's text. Nothing is random:
article `a` always gets the same parties and figures, so a rewritten article differs only where
its `variant` says.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from etl.paths import resource_dir

VOLUMES_PER_ARTICLE = 20
MINERALS = ("lithium", "nickel", "cobalt", "graphite", "antimony", "germanium", "rare_earths", "manganese")
SELLERS = ("Korea Zinc", "POSCO International", "SK On", "ExxonMobil", "MP Materials", "Lithium Americas", "REalloys")
BUYERS = ("United States", "Japan", "European Union", "Lockheed Martin", "South Korea")
# libyaml's emitter when PyYAML has it (the curator format, --entity-format yaml)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def article_id(a: int, prefix: str = "bench") -> str:
    return f"{prefix}-{a:07d}"


def article_volumes(a: int, facts: int, per_article: int = VOLUMES_PER_ARTICLE) -> int:
    """How many of the `facts` volume facts article number `a` holds (the last one may hold fewer)."""
    return min(per_article, facts - a * per_article)


def write_seed_set(root: Path, facts: int, *, per_article: int = VOLUMES_PER_ARTICLE, variant: int = 0,
                   entity_format: str = "json", prefix: str = "bench") -> int:
    """Articles and facts files holding `facts` volume facts under root (with a copy of the bundled
    reference files); returns the article count. `variant` changes the figures of every third
    article (same ids), so loading variant 1 over variant 0 updates, deletes and inserts fact rows."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "entities").mkdir(exist_ok=True)
    shutil.copytree(resource_dir("seeds") / "reference", root / "reference", dirs_exist_ok=True)
    n_articles = max(1, -(-facts // per_article))
    for a in range(n_articles):
        write_article(root, a, article_volumes(a, facts, per_article), variant=variant if a % 3 == 0 else 0,
                      entity_format=entity_format, prefix=prefix)
    return n_articles


def write_article(root: Path, a: int, n_volumes: int, *, variant: int = 0, entity_format: str = "json",
                  prefix: str = "bench") -> None:
    """Article number `a` and its curated facts: JSON (as machine-written facts are) or YAML (as
    curators write them)."""
    aid = article_id(a, prefix)
    seller, buyer = SELLERS[a % len(SELLERS)], BUYERS[(a // len(SELLERS)) % len(BUYERS)]
    year = 2020 + a % 6
    head = f"{seller} and {buyer} agreed a supply programme (lot {a})."
    lines, volumes = [head], []
    for v in range(n_volumes):
        mineral = MINERALS[(a + v) % len(MINERALS)]
        qty = (a * 37 + v * 101 + variant) % 90000 + 100
        quote = f"{qty:,} tonnes of {mineral.replace('_', ' ')}"
        on = year + v % 3
        lines.append(f"Tranche {v + 1}: {quote} in {on}.")
        volumes.append({"mineral": mineral, "measure": "mass", "quantity": qty, "unit": "t", "bound": "exact",
                        "per_year": False, "period_start": f"{on}-01-01", "period_end": f"{on}-12-31",
                        "evidence": f"Tranche {v + 1}: {quote}"})
    body = "\n".join(lines)
    (root / "articles" / f"{aid}.md").write_text(
        f"---\nid: {aid}\ntitle: Synthetic article {a}\npublisher: Synthetic Wire\npublished_on: {year}-06-01\n"
        f"language: en\n---\n{body}\n", encoding="utf-8")
    facts: dict[str, Any] = {
        "article": aid,
        "parties": [{"name": seller, "evidence": seller}],
        "agreements": [{
            "key": f"{aid}-supply", "kind": "supply_contract", "title": f"Synthetic supply {a}", "status": "signed",
            "minerals": [MINERALS[a % len(MINERALS)]],
            "parties": [{"name": seller, "role": "supplier"}, {"name": buyer, "role": "buyer"}],
            "evidence": head, "volumes": volumes,
        }],
    }
    text = (json.dumps(facts, ensure_ascii=False, indent=1) if entity_format == "json"
            else yaml.dump(facts, Dumper=_DUMPER, allow_unicode=True, sort_keys=False))
    (root / "entities" / f"{aid}.yaml").write_text(text, encoding="utf-8")
