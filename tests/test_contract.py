"""The reporting contract (sql/reporting/contract.yaml) is the one definition of the views BI tools
depend on; the migrated database, the data dictionary and `critmin doctor` agree with it."""

from __future__ import annotations

import re

import psycopg
from conftest import ROOT, critmin

from etl.db import domain
from etl.reporting.contract import contract_drift, load_contract
from etl.reporting.views import view_names

CONTRACT = load_contract()


def test_contract_names_every_view_file_once():
    names = [v.name for v in CONTRACT.views]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(view_names())


def test_migrated_database_matches_the_contract(db):
    assert contract_drift(db) == []


def test_drift_is_found_and_named(db):
    """A hand-edited comment or a changed column is reported, view and column named."""
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("comment on column reporting.volumes.unit is 'edited by hand'")
        conn.execute("comment on view reporting.parties is 'edited by hand'")
    drift = contract_drift(db)
    assert drift == ["reporting.parties: its COMMENT differs from the contract's description",
                     "reporting.volumes.unit: its COMMENT differs from the contract's description"]
    result = critmin("doctor", env={"DATABASE_URL": db})
    assert result.returncode == 1
    assert "2 differences from the reporting contract" in result.stdout


def test_design_card_columns_are_in_the_contract():
    """The columns the design card promises (its reporting contract) are all there."""
    promised = {
        "agreements": "agreement_id title kind status announced_on minerals party_names countries volume_count source_count",
        "agreement_parties": "agreement_id party_id party_name party_type country_code role",
        "volumes": "volume_id agreement_id agreement_title mineral measure quantity unit bound per_year "
                   "period_start period_end quantity_tonnes amount_usd article_id evidence",
        "parties": "party_id name name_ko party_type country_code agreement_count",
    }
    for view, columns in promised.items():
        have = [c.name for c in CONTRACT.view(view).columns]
        assert have[: len(columns.split())] == columns.split() or set(columns.split()) <= set(have), view
    assert {"mineral_summary", "country_links", "sources"} <= {v.name for v in CONTRACT.views}


def test_data_dictionary_covers_the_contract_and_the_core_tables(loaded_db):
    result = critmin("docs", env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for view in CONTRACT.views:
        assert f"### reporting.{view.name}" in text
        for column in view.columns:
            assert f"| `{column.name}` | {column.type} | " in text, (view.name, column.name)
    for table in ("core.article", "core.volume", "core.evidence", "etl.run", "etl.rejected_row"):
        assert f"### {table}" in text, table


# ------------------------------------------------------------------ the seeds README's lists

_README = (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")


def _annotated(field: str) -> set[str]:
    """The words of the comment after `field:` in the seeds README's example, with its continuation lines."""
    lines = _README.splitlines()
    for i, line in enumerate(lines):
        if re.match(rf"^\s*(?:- )?(?:\{{name: [^,]+, )?{field}:", line) and "#" in line:
            words = line.split("#", 1)[1].split()
            for cont in lines[i + 1:]:
                if not re.match(r"^\s*(- \{name: [^}]+\})?\s+#", cont):
                    break
                words += cont.split("#", 1)[1].split()
            return {w.rstrip(",") for w in words if w not in ("roles:", "|")}
    raise AssertionError(f"seeds/README.md annotates no field {field!r}")


def test_seeds_readme_lists_the_vocabularies():
    assert _annotated("kind") == set(domain.AGREEMENT_KINDS)
    assert _annotated("status") == set(domain.AGREEMENT_STATUSES)
    assert _annotated("role") == set(domain.PARTY_ROLES)
    assert _annotated("measure") == set(domain.MEASURES)
    assert _annotated("unit") == set(domain.UNITS)
    assert _annotated("bound") == set(domain.BOUNDS)
    assert _annotated("topic") == set(domain.CLAIM_TOPICS)
    assert _annotated("published_precision") == set(domain.DATE_PRECISIONS)
    assert _annotated("language") == set(domain.LANGUAGES)
