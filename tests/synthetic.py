"""Synthetic seed sets for the reliability tests: thousands of small valid articles, written fast."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SEEDS

PARTIES = ["Korea Zinc", "Lockheed Martin", "POSCO International", "SK On", "ExxonMobil"]
MINERALS = ["antimony", "germanium", "lithium"]


def make_seed_set(dest: Path, n: int, variant: int = 0) -> Path:
    """`n` articles with curated facts under dest (reference files copied from seeds/).

    `variant` changes every third article's figures (same ids), so loading variant 1 over
    variant 0 updates, deletes and inserts fact rows."""
    shutil.copytree(SEEDS / "reference", dest / "reference", dirs_exist_ok=True)
    arts = dest / "articles"
    ents = dest / "entities"
    arts.mkdir(parents=True, exist_ok=True)
    ents.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        aid = f"synthetic-{i:05d}"
        seller = PARTIES[i % len(PARTIES)]
        buyer = PARTIES[(i + 1) % len(PARTIES)]
        mineral = MINERALS[i % len(MINERALS)]
        tonnes = 100 + i + (7 if variant and i % 3 == 0 else 0)
        sentence = f"{seller} agreed to supply up to {tonnes} tonnes of {mineral} a year to {buyer} from next year."
        (arts / f"{aid}.md").write_text(
            f"---\nid: {aid}\ntitle: Synthetic deal {i}\npublisher: Test Wire\nurl: null\n"
            f"published_on: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}\npublished_precision: day\nlanguage: en\n---\n"
            f"{sentence}\n\nDeal number {i} was reported by the test wire.\n")
        (ents / f"{aid}.yaml").write_text(
            f"article: {aid}\nparties:\n  - {{name: {seller}, evidence: {seller} agreed}}\n"
            f"  - {{name: {buyer}, evidence: 'to {buyer} from next year'}}\n"
            f"agreements:\n  - key: synthetic-deal-{i:05d}\n    kind: supply_contract\n"
            f"    title: Synthetic deal {i}\n    status: signed\n    minerals: [{mineral}]\n"
            f"    parties: [{{name: {seller}, role: supplier}}, {{name: {buyer}, role: buyer}}]\n"
            f"    evidence: {sentence[:-1]}\n"
            f"    volumes:\n      - {{mineral: {mineral}, measure: mass, quantity: {tonnes}, unit: t, bound: up_to,\n"
            f"         per_year: true, period: from next year, evidence: up to {tonnes} tonnes of {mineral} a year}}\n")
    return dest
