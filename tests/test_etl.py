"""Seeds to database: the facts the articles state, idempotent reloads, and rejected input."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEEDS, critmin, query, row_versions

from etl.problems import Problem

NEWSIS = "newsis-2025-09-22-korea-fills-us-supply-chain"
AINVEST = "ainvest-2025-09-24-posco-reelement-partnership"
POSCO_RE = "posco-international-reelement-us-rare-earth-magnet-complex"


def _volumes(url: str, agreement_id: str) -> list[tuple]:
    return query(url, """select mineral_id, quantity, unit, bound, per_year, period_start, period_end, quantity_tonnes
                         from core.volume where agreement_id = %s order by period_start nulls last, quantity""", (agreement_id,))


# ------------------------------------------------------------------------- facts in the seeds


def test_every_seed_article_is_loaded(loaded_db):
    ids = {r[0] for r in query(loaded_db, "select article_id from core.article")}
    assert ids == {p.stem for p in (SEEDS / "articles").glob("*.md")}
    assert len(ids) == 5


def test_korea_zinc_antimony_100_t_this_year_and_at_least_240_t_next_year(loaded_db):
    rows = _volumes(loaded_db, "korea-zinc-antimony-supply-us")
    assert rows == [
        ("antimony", Decimal("100"), "t", "exact", False, date(2025, 1, 1), date(2025, 12, 31), Decimal("100")),
        ("antimony", Decimal("240"), "t", "at_least", False, date(2026, 1, 1), date(2026, 12, 31), Decimal("240")),
    ]
    parties = query(loaded_db, """select p.name, ap.role from core.agreement_party ap join core.party p using (party_id)
                                  where agreement_id = 'korea-zinc-antimony-supply-us' order by 1""")
    assert ("Korea Zinc", "supplier") in parties


def test_sk_on_exxonmobil_lithium_up_to_100000_t_non_binding(loaded_db):
    rows = query(loaded_db, """
        select g.agreement_id, s.status, v.quantity, v.unit, v.bound, v.mineral_id
        from core.agreement g
        join core.agreement_status s using (agreement_id)
        join core.volume v using (agreement_id)
        join core.agreement_party ap1 on ap1.agreement_id = g.agreement_id and ap1.party_id = 'sk-on'
        join core.agreement_party ap2 on ap2.agreement_id = g.agreement_id and ap2.party_id = 'exxonmobil'""")
    assert len(rows) == 1
    _, status, quantity, unit, bound, mineral = rows[0]
    assert (status, quantity, unit, bound, mineral) == ("non_binding", Decimal("100000"), "t", "up_to", "lithium")


def test_korean_money_and_per_year_rates(loaded_db):
    # 1400억원 at the ECB-derived KRW rate of the article's month (2025-09: 0.0007178499 USD per won)
    money = query(loaded_db, "select quantity, unit, amount_usd from core.volume where unit = 'KRW' and quantity = 140000000000")
    assert money == [(Decimal(140000000000), "KRW", Decimal("100498986.00"))]
    germanium = query(loaded_db, "select quantity, per_year, period_start from core.volume where mineral_id = 'germanium' and unit = 't'")
    assert germanium == [(Decimal("10"), True, date(2028, 1, 1))]


def test_one_agreement_two_sources(loaded_db):
    sources = query(loaded_db, "select article_id, status from core.agreement_status where agreement_id = %s order by 1", (POSCO_RE,))
    assert [s[0] for s in sources] == [AINVEST, NEWSIS]
    assert query(loaded_db, "select count(*) from core.agreement where agreement_id = %s", (POSCO_RE,)) == [(1,)]


def _write_fx(seeds: Path, rows: str) -> None:
    (seeds / "reference" / "fx.yaml").write_text(rows)


def test_fx_rates_are_monthly_and_apply_to_their_month_only(db, seeds_copy):
    # test-only rates (not real quotes): only their month matters here
    _write_fx(seeds_copy, "- {currency: KRW, rate_on: 2025-08-01, usd_per_unit: '0.0008', source: test}\n"
                          "- {currency: KRW, rate_on: 2025-09-01, usd_per_unit: '0.0007', source: test}\n")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    # the newsis amount (article of 2025-09-22, no month of its own) at September's rate
    assert query(db, "select amount_usd from core.volume where unit = 'KRW'") == [(Decimal("98000000.00"),)]


def test_no_rate_for_the_month_means_no_dollar_amount(db, seeds_copy):
    _write_fx(seeds_copy, "- {currency: KRW, rate_on: 2025-08-01, usd_per_unit: '0.0008', source: test}\n")
    assert critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db}).returncode == 0
    assert query(db, "select amount_usd from core.volume where unit = 'KRW'") == [(None,)]


def test_a_rate_not_on_the_first_of_a_month_is_rejected(db, seeds_copy):
    _write_fx(seeds_copy, "- {currency: KRW, rate_on: 2025-09-15, usd_per_unit: '0.0007', source: test}\n")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode != 0
    assert "rate_on 2025-09-15 must be the first day of the month" in result.stderr


def test_identifiers_with_bad_check_digits_are_rejected():
    from etl.transform.lexicon import identifier_problem

    assert identifier_problem("isin", "US0378331005") is None          # python-stdnum's own example
    assert "not a valid ISIN" in identifier_problem("isin", "US0378331006")
    assert identifier_problem("lei", "213800D1EI4B9WTWWD28") is None  # python-stdnum's own example
    assert "not a valid LEI" in identifier_problem("lei", "213800D1EI4B9WTWWD29")
    assert "EXCHANGE:SYMBOL" in identifier_problem("ticker", "LMT")
    assert "unknown identifier scheme" in identifier_problem("cusip", "539830109")


def test_a_bad_identifier_in_the_reference_stops_the_load(db, seeds_copy):
    path = seeds_copy / "reference" / "parties.yaml"
    path.write_text(path.read_text().replace('value: "NYSE:LMT"', 'value: "NYSE LMT"'))
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode != 0
    assert "'NYSE LMT' is not a ticker written EXCHANGE:SYMBOL" in result.stderr


def test_product_tonnes_become_contained_mineral_only_at_a_documented_factor(db, seeds_copy):
    (seeds_copy / "articles" / "test-2025-10-01-lithium.md").write_text(
        "---\nid: test-2025-10-01-lithium\ntitle: Lithium deal\npublished_on: 2025-10-01\nlanguage: en\n---\n"
        "Example Cells will buy 2,000 tonnes of lithium carbonate and 500 tonnes of lithium hydroxide in 2026.\n")
    (seeds_copy / "entities" / "test-2025-10-01-lithium.yaml").write_text(
        "article: test-2025-10-01-lithium\n"
        "agreements:\n  - key: test-lithium-offtake\n    kind: offtake\n    title: Test lithium offtake\n"
        "    status: signed\n    minerals: [lithium]\n"
        "    evidence: Example Cells will buy 2,000 tonnes of lithium carbonate\n"
        "    volumes:\n"
        "      - {product: lithium carbonate, measure: mass, quantity: 2000, unit: t, bound: exact, per_year: false,\n"
        "         period: 2026, evidence: '2,000 tonnes of lithium carbonate'}\n"
        "      - {product: 수산화리튬, measure: mass, quantity: 500, unit: t, bound: exact, per_year: false,\n"
        "         period: 2026, evidence: '500 tonnes of lithium hydroxide'}\n")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    rows = query(db, """select product_id, mineral_id, quantity, quantity_tonnes from core.volume
                        where agreement_id = 'test-lithium-offtake' order by 1""")
    assert rows == [("lithium_carbonate", "lithium", Decimal(2000), Decimal("375.704000")),
                    ("lithium_hydroxide", "lithium", Decimal(500), None)]


def test_sources_that_disagree_are_both_kept(loaded_db):
    counts = query(loaded_db, """select v.quantity, v.article_id from core.volume v
                                 where v.agreement_id = 'minerals-security-partnership' and v.unit = 'count' order by 1""")
    values = {q for q, _ in counts}
    assert {Decimal(10), Decimal(11)} <= values
    assert len({a for _, a in counts}) >= 2


def test_every_fact_points_at_an_exact_quote(loaded_db):
    mismatched = query(loaded_db, """select e.evidence_id from core.evidence e join core.article a using (article_id)
                                     where substr(a.body, e.start_offset + 1, e.end_offset - e.start_offset) <> e.quote""")
    assert mismatched == []
    orphans = query(loaded_db, """select count(*) from core.volume v left join core.evidence e using (evidence_id)
                                  where e.evidence_id is null""")
    assert orphans == [(0,)]
    assert query(loaded_db, "select count(*) from core.evidence")[0][0] > 50


def test_run_is_recorded(loaded_db):
    runs = query(loaded_db, "select status, articles_read, articles_inserted, articles_rejected from etl.run")
    assert runs == [("succeeded", 5, 5, 0)]


# ----------------------------------------------------------------------------- idempotence


def test_second_run_inserts_and_updates_nothing(loaded_db):
    before = row_versions(loaded_db)
    result = critmin("load", "--seeds", str(SEEDS), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    assert row_versions(loaded_db) == before
    last = query(loaded_db, "select articles_inserted, articles_updated, articles_unchanged, facts_inserted from etl.run order by run_id desc limit 1")
    assert last == [(0, 0, 5, 0)]


def test_new_article_and_facts_load_with_no_code_change(db, seeds_copy):
    (seeds_copy / "articles" / "test-2025-10-01-new-deal.md").write_text(
        "---\nid: test-2025-10-01-new-deal\ntitle: New deal\npublished_on: 2025-10-01\nlanguage: en\n---\n"
        "Korea Zinc agreed to supply up to 500 tonnes of antimony a year to Lockheed Martin from next year.\n")
    (seeds_copy / "entities" / "test-2025-10-01-new-deal.yaml").write_text(
        "article: test-2025-10-01-new-deal\n"
        "parties:\n  - {name: Korea Zinc, evidence: Korea Zinc}\n"
        "agreements:\n  - key: korea-zinc-lockheed-antimony-supply\n    kind: supply_contract\n    title: Korea Zinc antimony supply to Lockheed Martin\n"
        "    status: signed\n    minerals: [antimony]\n"
        "    parties: [{name: Korea Zinc, role: supplier}, {name: Lockheed Martin, role: buyer}]\n"
        "    evidence: Korea Zinc agreed to supply up to 500 tonnes of antimony a year to Lockheed Martin\n"
        "    volumes:\n      - {mineral: antimony, measure: mass, quantity: 500, unit: t, bound: up_to, per_year: true,\n"
        "         period: from next year, evidence: up to 500 tonnes of antimony a year}\n")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    assert _volumes(db, "korea-zinc-lockheed-antimony-supply") == [
        ("antimony", Decimal("500"), "t", "up_to", True, date(2026, 1, 1), None, Decimal("500"))]


# ---------------------------------------------------------------------------- bad input


def _entity(seeds: Path, article_id: str) -> Path:
    return seeds / "entities" / f"{article_id}.yaml"


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


def break_truncated_yaml(seeds: Path) -> None:
    path = _entity(seeds, NEWSIS)
    path.write_text(path.read_text()[:700] + "\n  - key: [unclosed\n")


def break_unknown_mineral(seeds: Path) -> None:
    _replace(_entity(seeds, NEWSIS), "minerals: [antimony]", "minerals: [unobtainium]")


def break_unknown_unit(seeds: Path) -> None:
    _replace(_entity(seeds, NEWSIS), "unit: t\n", "unit: bushel\n")


def break_negative_quantity(seeds: Path) -> None:
    _replace(_entity(seeds, NEWSIS), "quantity: 100\n", "quantity: -100\n")


def break_quote_not_in_text(seeds: Path) -> None:
    _replace(_entity(seeds, NEWSIS), "evidence: 올해 100톤\n", "evidence: 올해 1000톤을 수출\n")


def break_number_mismatch(seeds: Path) -> None:
    _replace(_entity(seeds, NEWSIS), "quantity: 240\n", "quantity: 2400\n")


def break_duplicate_id(seeds: Path) -> None:
    src = seeds / "articles" / f"{NEWSIS}.md"
    shutil.copy(src, seeds / "articles" / "copy-of-newsis.md")


def break_impossible_date(seeds: Path) -> None:
    _replace(seeds / "articles" / f"{NEWSIS}.md", "published_on: 2025-09-22", "published_on: 2025-02-30")


BREAKS = {
    "truncated-yaml": (break_truncated_yaml, rf"entities/{NEWSIS}\.yaml: line \d+: malformed YAML"),
    "unknown-mineral": (break_unknown_mineral, r"minerals\[0\] field mineral: unknown mineral 'unobtainium'"),
    "unknown-unit": (break_unknown_unit, r"field unit: unknown unit 'bushel'"),
    "negative-quantity": (break_negative_quantity, r"field quantity: -100 must be greater than zero"),
    "quote-not-in-text": (break_quote_not_in_text, r"field evidence: evidence not found in the article text: '올해 1000톤을 수출'"),
    "number-mismatch": (break_number_mismatch, r"field quantity: the quote says 240 t, not 2400 t"),
    "duplicate-id": (break_duplicate_id, rf"copy-of-newsis\.md: front matter field id: (duplicate article id|id '{NEWSIS}' differs)"),
    "impossible-date": (break_impossible_date, r"field published_on: published_on '2025-02-30' is not a real ISO date"),
}


@pytest.mark.parametrize("case", list(BREAKS), ids=list(BREAKS))
def test_bad_input_is_rejected_with_a_clear_line_and_nothing_else_is_lost(db, seeds_copy, case):
    breaker, message = BREAKS[case]
    breaker(seeds_copy)
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(message, result.stderr), result.stderr
    loaded = {r[0] for r in query(db, "select article_id from core.article")}
    assert {AINVEST, "archyde-2022-09-us-mineral-security-partnership"} <= loaded
    assert NEWSIS not in loaded or case == "duplicate-id"
    # The rejected record is kept with the same file, record, field and reason as printed.
    rejected = query(db, "select file, record, field, reason from etl.rejected_row")
    stored = [Problem(file, reason, record=record, field=field).line() for file, record, field, reason in rejected]
    assert any(re.search(message, line) for line in stored), stored
    assert query(db, "select status from etl.run") == [("partial",)]


def test_validate_reports_without_writing(db, seeds_copy):
    break_number_mismatch(seeds_copy)
    result = critmin("validate", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 1
    assert "the quote says 240 t, not 2400 t" in result.stderr
    assert query(db, "select count(*) from core.article") == [(0,)]
    assert query(db, "select count(*) from etl.run") == [(0,)]


def test_changed_article_that_fails_keeps_the_earlier_version(loaded_db, seeds_copy):
    before = query(loaded_db, "select body, content_hash from core.article where article_id = %s", (NEWSIS,))
    facts_before = query(loaded_db, "select count(*) from core.volume where article_id = %s", (NEWSIS,))
    # The article is edited so a quoted sentence no longer reads the same.
    _replace(seeds_copy / "articles" / f"{NEWSIS}.md", "내년 240톤 이상의 안티모니", "내년 250톤 이상의 안티모니")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 1
    assert f"entities/{NEWSIS}.yaml" in result.stderr and "evidence not found in the article text" in result.stderr
    assert query(loaded_db, "select body, content_hash from core.article where article_id = %s", (NEWSIS,)) == before
    assert query(loaded_db, "select count(*) from core.volume where article_id = %s", (NEWSIS,)) == facts_before


def test_changed_article_that_passes_replaces_its_facts(loaded_db, seeds_copy):
    _replace(_entity(seeds_copy, NEWSIS), "bound: at_least", "bound: approx")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    assert query(loaded_db, "select bound from core.volume where mineral_id = 'antimony' and quantity = 240") == [("approx",)]
    last = query(loaded_db, "select articles_updated, articles_unchanged from etl.run order by run_id desc limit 1")
    assert last == [(1, 4)]
