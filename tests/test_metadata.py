"""The metadata itself: every rule is defined once (etl/db/domain.py, etl/db/models/) and the
other places that state it agree with that definition."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT, SEEDS

from etl.db import domain
from etl.db.models import metadata
from etl.validate.frames import schema_for

# Column name (as written in SQL) → the vocabulary its literals must come from.
VOCABULARY_OF_COLUMN = {
    "kind": domain.AGREEMENT_KINDS,
    "status": domain.AGREEMENT_STATUSES + domain.RUN_STATUSES,
    "role": domain.PARTY_ROLES,
    "party_type": domain.PARTY_TYPES,
    "measure": domain.MEASURES,
    "bound": domain.BOUNDS,
    "unit": domain.UNITS,
    "review_status": domain.REVIEW_STATUSES,
    "language": domain.LANGUAGES,
    "published_precision": domain.DATE_PRECISIONS,
    "announced_precision": domain.DATE_PRECISIONS,
    "topic": domain.CLAIM_TOPICS,
    "mineral_group": domain.MINERAL_GROUPS,
    "participation_role": domain.PARTICIPATION_ROLES,
    "relation_kind": domain.RELATION_KINDS,
    "price_mechanism": domain.PRICE_MECHANISMS,
    "lifecycle_event": domain.LIFECYCLE_EVENTS,
    "scheme": domain.IDENTIFIER_SCHEMES,
    "valid_from_precision": domain.DATE_PRECISIONS,
    "valid_to_precision": domain.DATE_PRECISIONS,
    "event_precision": domain.DATE_PRECISIONS,
    "currency": domain.CURRENCIES,
    "per_unit": domain.MASS_UNITS,
}
_COMPARISON = re.compile(
    r"\b(?:\w+\.)?(?P<column>" + "|".join(VOCABULARY_OF_COLUMN) + r")\s*(?:=|<>|!=|\bnot in\b|\bin\b)\s*"
    r"\(?\s*(?P<literals>'[^']*'(?:\s*,\s*'[^']*')*)",
    re.IGNORECASE,
)


def _sql_texts():
    files = [*sorted((ROOT / "sql").rglob("*.sql")), *sorted((ROOT / "migrations" / "versions").glob("*.py")),
             *sorted((ROOT / "etl").rglob("*.py"))]
    for path in files:
        yield path, path.read_text(encoding="utf-8")


def test_every_vocabulary_literal_in_sql_is_in_its_vocabulary():
    seen = 0
    for path, text in _sql_texts():
        for match in _COMPARISON.finditer(text):
            column = match["column"].lower()
            for literal in re.findall(r"'([^']*)'", match["literals"]):
                if "{" in literal:
                    continue  # generated from the vocabulary (an f-string in etl/db/models/)
                seen += 1
                assert literal in VOCABULARY_OF_COLUMN[column], (
                    f"{path.relative_to(ROOT)}: {column} literal {literal!r} is not in the vocabulary "
                    f"{VOCABULARY_OF_COLUMN[column]}")
    assert seen > 20, "the scan found almost no vocabulary literals: is the pattern still right?"


def test_units_yaml_agrees_with_the_declared_units():
    data = yaml.safe_load((SEEDS / "reference" / "units.yaml").read_text(encoding="utf-8"))
    assert set(data["allowed_units"]) == set(domain.UNITS)
    assert set(data["tonnes_per_unit"]) == set(domain.MASS_UNITS)
    for entry in data["units"]:
        if entry["unit"] in domain.UNITS:  # others are recognised (A$ is not US$) but never emitted
            assert entry["unit"] in domain.UNITS_BY_MEASURE[entry["measure"]], entry


def test_every_model_column_has_a_pandera_counterpart():
    """The frame schemas are read off the models; the only columns they leave out are stated here."""
    set_by_the_database = {"loaded_at"}  # timestamps with a server default
    for table in metadata.tables.values():
        if table.schema != "core":
            continue
        schema = schema_for(table.name)
        missing = {c.name for c in table.columns} - set(schema.columns)
        assert missing <= set_by_the_database, (table.name, missing)


def test_model_checks_come_from_the_vocabularies():
    """Each CHECK with an `isin` rule lists exactly a vocabulary of domain.py."""
    vocabularies = {tuple(v) for k, v in vars(domain).items() if k.isupper() and isinstance(v, tuple)}
    checked = 0
    for table in metadata.tables.values():
        for constraint in table.constraints:
            allowed = getattr(constraint, "info", {}).get("isin")
            if allowed is not None:
                checked += 1
                assert tuple(allowed) in vocabularies, (table.name, constraint.name, allowed)
    assert checked >= 8
