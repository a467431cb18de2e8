"""The seed format as a schema: the published JSON Schema is the models', every seed file fits the
models, and an ill-formed file gives one readable Problem per error while its well-formed
records still go through the rest of the checks. No database needed."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS

from etl.db import domain
from etl.sources import schema
from etl.sources.seeds import read_article, read_entity_file, read_reference
from etl.validate import shape

BASE_AGREEMENT = {
    "key": "acme-antimony-supply", "kind": "supply_contract", "title": "Acme antimony supply", "status": "signed",
    "evidence": "Acme agreed to supply antimony",
    "volumes": [{"measure": "mass", "quantity": "1,500", "unit": "t", "evidence": "1,500 tonnes"}],
}


def test_published_json_schema_is_the_models():
    for name in schema.SCHEMAS:
        path = schema.SCHEMA_DIR / name
        assert path.is_file(), f"seeds/schema/{name} is missing: run python -m etl.sources.schema"
        assert path.read_text(encoding="utf-8") == schema.json_schema_text(name), \
            f"seeds/schema/{name} differs from the models: run python -m etl.sources.schema"
    assert schema.main(["--check"]) == 0


def test_schema_check_fails_on_a_stale_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(schema, "SCHEMA_DIR", tmp_path)
    assert schema.main([]) == 0
    assert schema.main(["--check"]) == 0
    stale = tmp_path / "facts.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"offtake",', ""), encoding="utf-8")
    assert schema.main(["--check"]) == 1
    assert "seeds/schema/facts.schema.json differs from the models" in capsys.readouterr().err


def test_vocabularies_in_the_json_schema_are_the_domain_ones():
    facts = json.loads(schema.json_schema_text("facts.schema.json"))
    defs = facts["$defs"]
    assert defs["Agreement"]["properties"]["kind"]["enum"] == list(domain.AGREEMENT_KINDS)
    assert defs["AgreementParty"]["properties"]["role"]["enum"] == list(domain.PARTY_ROLES)
    assert defs["Volume"]["properties"]["unit"]["enum"] == list(domain.UNITS)
    assert defs["Agreement"]["additionalProperties"] is False
    assert set(facts["properties"]) == {"article", "parties", "agreements", "claims"}


def test_every_seed_file_fits_the_models():
    problems: list = []
    articles = sorted((SEEDS / "articles").glob("*.md"))
    entities = sorted((SEEDS / "entities").glob("*.yaml"))
    assert articles and entities
    for path in articles:
        art = read_article(path, SEEDS, problems)
        assert art is not None
        schema.FrontMatter.model_validate(art.meta)
    for path in entities:
        ent = read_entity_file(path, SEEDS, problems)
        assert ent is not None
        schema.FactsFile.model_validate(ent.data)
    ref = read_reference(SEEDS, problems)
    assert ref is not None and not problems
    for model, items in ((schema.Mineral, ref.minerals), (schema.ReferenceParty, ref.parties),
                         (schema.Product, ref.products), (schema.FxRate, ref.fx)):
        assert [model.model_validate(item) for item in items]


def test_a_well_formed_file_is_typed_in_one_pass():
    records, problems = shape.facts_records({"agreements": [BASE_AGREEMENT]}, "entities/x.yaml", "x")
    assert problems == []
    (i, agreement), = records.agreements
    assert i == 0 and agreement.kind == "supply_contract"
    assert str(agreement.volumes[0].quantity) == "1500" and agreement.volumes[0].bound == "exact"


def _lines(data: dict) -> tuple[shape.FactRecords, list[str]]:
    records, problems = shape.facts_records(data, "entities/x.yaml", "x")
    assert all(p.article_id == "x" for p in problems)
    return records, sorted(p.line() for p in problems)


def test_every_error_is_one_line_and_the_good_records_are_kept():
    bad_volume = {**BASE_AGREEMENT, "key": "second", "volumes": [{"measure": "mass", "quantity": "lots", "unit": "bushel",
                                                                   "per_year": "yes", "evidence": "x"}]}
    records, lines = _lines({"agreements": [BASE_AGREEMENT, bad_volume, 5], "notez": 1})
    assert [i for i, _ in records.agreements] == [0]   # the well-formed one, with its index in the file
    assert lines == sorted([
        "entities/x.yaml field notez: unknown section 'notez' (expected one of agreements, article, claims, parties)",
        "entities/x.yaml: agreements[1] second.volumes[0] field quantity: quantity 'lots' is not a number",
        f"entities/x.yaml: agreements[1] second.volumes[0] field unit: unknown unit 'bushel' (allowed: {', '.join(domain.UNITS)})",
        "entities/x.yaml: agreements[1] second.volumes[0] field per_year: per_year must be true or false, not 'yes'",
        "entities/x.yaml: agreements[2]: an agreement must be a mapping",
    ])


@pytest.mark.parametrize(("change", "line"), [
    ({"volumes": [{**BASE_AGREEMENT["volumes"][0], "per_yaer": True}]},
     "agreements[0] acme-antimony-supply.volumes[0] field per_yaer: unknown field 'per_yaer' (expected one of measure,"),
    ({"key": "Not A Slug"}, "agreements[0] Not A Slug field key: key must be a slug"),
    ({"evidence": "  "}, "agreements[0] acme-antimony-supply field evidence: evidence quote is missing"),
    ({"terms": [{"mechanism": "floor", "description": "a floor", "value": 3, "evidence": "x"}]},
     "agreements[0] acme-antimony-supply.terms[0] field currency: a price value needs its currency"),
    ({"events": [{"event": "signed", "event_on": "2025-13", "evidence": "x"}]},
     "events[0] field event_on: not a date: '2025-13' (expected YYYY-MM-DD, YYYY-MM or YYYY)"),
    ({"volumes": [{**BASE_AGREEMENT["volumes"][0], "quantity": True}]},
     "volumes[0] field quantity: quantity is missing or not a number"),
    ({"volumes": [{**BASE_AGREEMENT["volumes"][0], "quantity": "nan"}]},
     "volumes[0] field quantity: quantity 'nan' is not a finite number"),
    ({"volumes": "all of them"}, "agreements[0] acme-antimony-supply.volumes: must be a list"),
    ({"volumes": ["x"]}, "agreements[0] acme-antimony-supply.volumes[0]: a volume must be a mapping"),
])
def test_readable_lines(change, line):
    records, lines = _lines({"agreements": [{**BASE_AGREEMENT, **change}]})
    assert records.agreements == []
    assert len(lines) == 1 and line in lines[0], lines


def test_front_matter_errors_keep_the_article_date():
    meta = {"id": "x", "title": "  ", "published_on": "2025-10-01", "published_precision": "month",
            "ai_generated": "yes", "notes": "free text", "anything_else": [1]}
    parsed, dating, problems = shape.front_matter(meta, "articles/x.md", "x")
    assert parsed is None
    assert str(dating.published_on) == "2025-10-01" and dating.published_precision == "month"
    assert sorted(p.line() for p in problems) == [
        "articles/x.md: front matter field ai_generated: ai_generated must be true or false, not 'yes'",
        "articles/x.md: front matter field title: title is required",
    ]


def test_a_reference_entry_with_errors_still_names_its_entry():
    salvaged: list = []
    items = [{"name": "Acme", "type": "corporation", "aliases": ["ACME"]}, {"name": "Acme Sub", "parent": "Acme"}]
    good, problems = shape.records_of(schema.ReferenceParty, items, "reference/parties.yaml",
                                      lambda i, item: f"[{i}] {item['name']}", reasons=shape.REFERENCE_REASONS,
                                      salvaged=salvaged)
    assert [i for i, _ in good] == [1] and [(i, p.type) for i, p in salvaged] == [(0, None)]
    assert [p.line() for p in problems] == [
        f"reference/parties.yaml: [0] Acme field type: unknown type 'corporation' (allowed: {', '.join(domain.PARTY_TYPES)})"]
