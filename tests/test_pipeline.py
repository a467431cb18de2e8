"""The load pipeline's behaviour across runs: auto-extracted facts, pruning, reference changes, chunks."""

from __future__ import annotations

import json
import re
import shutil
import uuid
from decimal import Decimal
from pathlib import Path

import yaml
from conftest import ROOT, SEEDS, create_database, critmin, drop_database, make_seed_set, query

from etl import pipeline

NEWSIS = "newsis-2025-09-22-korea-fills-us-supply-chain"
UNKNOWN = "unknown-2026-02-us-critical-minerals-initiative"
NEW_ID = "test-2025-10-02-antimony-deal"
NEW_TEXT = (
    "---\nid: test-2025-10-02-antimony-deal\ntitle: Antimony deal\npublished_on: 2025-10-02\nlanguage: en\n---\n"
    "Korea Zinc signed a supply agreement with Lockheed Martin to deliver 500 tonnes of antimony in 2026.\n"
)


def _core_snapshot(url: str) -> dict[str, list[tuple]]:
    tables = ("article", "agreement", "agreement_status", "agreement_party", "agreement_mineral",
              "volume", "market_claim", "evidence", "party_mention")
    # loaded_at differs between loads: the callers strip it, as the last column
    article = ("select article_id, title, publisher, url, published_on, published_precision, language, body, "
               "content_hash, source_file, original_publisher, is_ai_generated, published_not_before, loaded_at "
               "from core.article order by 1, 2")
    return {t: query(url, article if t == "article" else f"select * from core.{t} order by 1, 2") for t in tables}


def test_article_without_curated_file_gets_auto_facts_until_a_curated_file_replaces_them(db, seeds_copy):
    (seeds_copy / "articles" / f"{NEW_ID}.md").write_text(NEW_TEXT)
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    auto = query(db, "select quantity, unit, mineral_id, review_status, agreement_id from core.volume where article_id = %s", (NEW_ID,))
    assert [(q, u, m, r) for q, u, m, r, _ in auto] == [(Decimal("500"), "t", "antimony", "auto")]
    key = auto[0][4]
    assert key.startswith(f"{NEW_ID}-"), "a drafted agreement stays the article's own"
    assert query(db, "select review_status from reporting.agreements where agreement_id = %s", (key,)) == [("auto",)]

    # A curated file wins: the auto facts and their agreement are replaced.
    (seeds_copy / "entities" / f"{NEW_ID}.yaml").write_text(
        f"article: {NEW_ID}\nparties:\n  - {{name: Korea Zinc, evidence: Korea Zinc}}\n"
        "agreements:\n  - key: korea-zinc-lockheed-antimony-2026\n    kind: supply_contract\n"
        "    title: Korea Zinc antimony for Lockheed Martin\n    status: signed\n    minerals: [antimony]\n"
        "    parties: [{name: Korea Zinc, role: supplier}, {name: Lockheed Martin, role: buyer}]\n"
        "    evidence: Korea Zinc signed a supply agreement with Lockheed Martin\n"
        "    volumes:\n      - {mineral: antimony, measure: mass, quantity: 500, unit: t, bound: exact, per_year: false,\n"
        "         period: in 2026, evidence: 500 tonnes of antimony in 2026}\n")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    assert query(db, "select review_status, agreement_id from core.volume where article_id = %s", (NEW_ID,)) == [
        ("curated", "korea-zinc-lockheed-antimony-2026")]
    assert query(db, "select count(*) from core.agreement where agreement_id = %s", (key,)) == [(0,)]


def test_auto_facts_left_out_are_counted_and_listed_with_their_reason(db, seeds_copy):
    """Nothing the extractor finds disappears: a drafted fact that cannot be loaded (here a party
    the reference lexicon does not know) is counted in the load summary and listed by
    `critmin status` with its reason, and the run still succeeds."""
    text = (ROOT / "tests" / "texts" / "en-unknown-orgs-jv.md").read_text(encoding="utf-8")
    (seeds_copy / "articles" / "test-en-unknown-orgs-jv.md").write_text(text, encoding="utf-8")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    (count,) = re.findall(r"(\d+) auto-extracted facts not loaded", result.stderr)
    assert int(count) >= 1
    status = critmin("status", env={"DATABASE_URL": db})
    lines = [ln for ln in status.stdout.splitlines() if ln.startswith("not loaded in run")]
    assert len(lines) == int(count), status.stdout
    assert any("Nordic Graphite Resources" in ln and "not in reference/parties.yaml" in ln for ln in lines), lines
    assert query(db, "select status from etl.run order by run_id desc limit 1") == [("succeeded",)]
    assert query(db, "select count(*) from core.volume where article_id = 'test-en-unknown-orgs-jv'")[0][0] >= 1


def test_no_auto_loads_the_article_without_facts(db, seeds_copy):
    (seeds_copy / "articles" / f"{NEW_ID}.md").write_text(NEW_TEXT)
    result = critmin("load", "--no-auto", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    assert query(db, "select count(*) from core.article where article_id = %s", (NEW_ID,)) == [(1,)]
    assert query(db, "select count(*) from core.volume where article_id = %s", (NEW_ID,)) == [(0,)]


def test_deleted_article_files_are_pruned_unless_kept(loaded_db, seeds_copy):
    (seeds_copy / "articles" / f"{UNKNOWN}.md").unlink()
    (seeds_copy / "entities" / f"{UNKNOWN}.yaml").unlink()
    kept = critmin("load", "--keep-missing", "--seeds", str(seeds_copy), env={"DATABASE_URL": loaded_db})
    assert kept.returncode == 0, kept.stderr
    assert query(loaded_db, "select count(*) from core.article where article_id = %s", (UNKNOWN,)) == [(1,)]

    pruned = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": loaded_db})
    assert pruned.returncode == 0, pruned.stderr
    assert query(loaded_db, "select count(*) from core.article where article_id = %s", (UNKNOWN,)) == [(0,)]
    assert query(loaded_db, "select count(*) from core.volume where article_id = %s", (UNKNOWN,)) == [(0,)]
    # Project Vault is reported only by that article: it goes; MSP's other sources keep it.
    assert query(loaded_db, "select count(*) from core.agreement where agreement_id = 'project-vault-critical-minerals-stockpile'") == [(0,)]
    assert query(loaded_db, "select articles_deleted from etl.run order by run_id desc limit 1") == [(1,)]


def test_a_reference_change_reaches_loaded_articles(loaded_db, seeds_copy):
    before = query(loaded_db, "select amount_usd from core.volume where unit = 'KRW' and quantity = 140000000000")
    assert before == [(Decimal("100498986.00"),)]  # the ECB-derived rate of 2025-09
    fx = seeds_copy / "reference" / "fx.yaml"
    # a test-only rate (not a real quote) for the article's month
    fx.write_text("- {currency: KRW, rate_on: 2025-09-01, usd_per_unit: '0.0008', source: test}\n")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    after = query(loaded_db, "select amount_usd from core.volume where unit = 'KRW' and quantity = 140000000000")
    assert after == [(Decimal("112000000.00"),)] != before


def test_chunk_boundaries_do_not_change_the_result(server_url, template_db, db, seeds_copy):
    from conftest import create_database, drop_database

    assert not pipeline.load(db, seeds_copy, "test").problems  # all five articles in one chunk
    other = f"critmin_t_chunks_of_one_{uuid.uuid4().hex[:6]}"
    url = create_database(server_url, other, template=template_db)
    try:
        report = pipeline.load(url, seeds_copy, "test", chunk_size=1)  # one article per chunk
        assert report.problems == [] and report.accepted == 5
        one, many = _core_snapshot(url), _core_snapshot(db)
        # loaded_at differs between the two loads; everything else is identical
        strip = {"article": [row[:-1] for row in one["article"]]}, {"article": [row[:-1] for row in many["article"]]}
        assert one | strip[0] == many | strip[1]
    finally:
        drop_database(server_url, other)


def test_agreement_takes_the_earliest_source_and_a_restated_figure_counts_once(db, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS / "reference", seeds / "reference")
    (seeds / "articles").mkdir()
    (seeds / "entities").mkdir()
    for article_id, day, title in (("test-a-early", "2025-01-10", "Early title"), ("test-b-late", "2025-03-10", "Late title")):
        (seeds / "articles" / f"{article_id}.md").write_text(
            f"---\nid: {article_id}\ntitle: T\npublished_on: {day}\nlanguage: en\n---\n"
            "Korea Zinc will supply 240 tonnes of antimony to the United States in 2026.\n")
        (seeds / "entities" / f"{article_id}.yaml").write_text(
            f"article: {article_id}\nagreements:\n  - key: kz-antimony\n    kind: supply_plan\n    title: {title}\n"
            "    status: planned\n    minerals: [antimony]\n    parties: [{name: Korea Zinc, role: supplier}]\n"
            "    evidence: Korea Zinc will supply 240 tonnes of antimony\n    volumes:\n"
            "      - {mineral: antimony, measure: mass, quantity: 240, unit: t, bound: exact, per_year: false,\n"
            "         period: in 2026, evidence: 240 tonnes of antimony}\n")
    report = pipeline.load(db, seeds, "test")
    assert report.problems == []
    assert query(db, "select title from core.agreement where agreement_id = 'kz-antimony'") == [("Early title",)]
    assert query(db, "select tonnes, volume_count from reporting.volume_schedule where mineral = 'antimony'") == [
        (Decimal("240.000000"), 1)]
    assert query(db, "select volume_count, stated_tonnes from reporting.mineral_summary where mineral_id = 'antimony'") == [
        (2, Decimal("240.000000"))]
    # The earliest source leaves: the agreement now takes the other source's title.
    for folder, suffix in (("articles", "md"), ("entities", "yaml")):
        Path(seeds / folder / f"test-a-early.{suffix}").unlink()
    pipeline.load(db, seeds, "test")
    assert query(db, "select title from core.agreement where agreement_id = 'kz-antimony'") == [("Late title",)]


def test_broken_reference_file_stops_the_load_and_writes_nothing(db, seeds_copy):
    parties = seeds_copy / "reference" / "parties.yaml"
    parties.write_text(parties.read_text() + "\n- name: Korea Zinc Copy\n  type: company\n  country: KR\n  aliases: [고려아연]\n")
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 1
    assert "reference/parties.yaml: [" in result.stderr and "alias '고려아연' names both 'korea-zinc' and 'korea-zinc-copy'" in result.stderr
    assert "nothing was loaded" in result.stderr
    assert query(db, "select count(*) from core.article") == [(0,)]
    assert query(db, "select status, articles_read, articles_rejected from etl.run") == [("failed", 5, 5)]


def _without_load_times(snapshot: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {**snapshot, "article": [row[:-1] for row in snapshot["article"]]}  # loaded_at is last


def _with_problems(seeds: Path) -> Path:
    """A synthetic seed set with one article whose quote is not in its text and one unreadable file."""
    make_seed_set(seeds, 23)
    bad = seeds / "entities" / "synthetic-0000005.yaml"
    bad.write_text(bad.read_text().replace("Tranche 1:", "Lot 1:"))
    (seeds / "entities" / "synthetic-0000011.yaml").write_text("article: synthetic-0000011\nparties: [unclosed\n")
    return seeds


def test_parallel_workers_load_exactly_what_one_process_loads(server_url, template_db, tmp_path):
    seeds = _with_problems(tmp_path / "seeds")
    outcomes = []
    for workers in (1, 3):
        url = create_database(server_url, f"critmin_workers_{workers}_{uuid.uuid4().hex[:6]}", template=template_db)
        try:
            # Chunks of 4 articles: 6 chunks, so three workers really run side by side.
            report = pipeline.load(url, seeds, "test", workers=workers, chunk_size=4)
            outcomes.append((_without_load_times(_core_snapshot(url)), [p.line() for p in report.problems], report.accepted,
                             sorted(report.rejected_ids), report.counts))
        finally:
            drop_database(server_url, url.rsplit("/", 1)[1])
    assert outcomes[0] == outcomes[1]
    snapshot, problems, accepted, rejected, _ = outcomes[0]
    assert accepted == 21 and rejected == ["synthetic-0000005", "synthetic-0000011"]
    assert len(snapshot["article"]) == 21 and len(snapshot["volume"]) == 21
    assert any("entities/synthetic-0000005.yaml" in p and "evidence not found" in p for p in problems)
    assert any("entities/synthetic-0000011.yaml" in p and "malformed YAML" in p for p in problems)


def test_json_facts_file_loads_like_its_yaml_twin(server_url, template_db, tmp_path):
    """Entity files written as JSON (a subset of YAML) take the fast parser and give the same rows."""
    yaml_seeds = make_seed_set(tmp_path / "yaml", 6)
    json_seeds = make_seed_set(tmp_path / "json", 6)
    for path in (json_seeds / "entities").glob("*.yaml"):
        path.write_text(json.dumps(yaml.safe_load(path.read_text()), ensure_ascii=False))
    snapshots = []
    for seeds in (yaml_seeds, json_seeds):
        url = create_database(server_url, f"critmin_json_{uuid.uuid4().hex[:6]}", template=template_db)
        try:
            assert not pipeline.load(url, seeds, "test").problems
            # Articles differ only in content_hash (the facts files' bytes differ); every fact must match.
            snapshots.append({t: rows for t, rows in _core_snapshot(url).items() if t != "article"})
        finally:
            drop_database(server_url, url.rsplit("/", 1)[1])
    assert snapshots[0] == snapshots[1] and snapshots[0]["volume"]


def test_json_facts_file_with_a_repeated_key_is_rejected(db, tmp_path):
    seeds = make_seed_set(tmp_path / "seeds", 2)
    (seeds / "entities" / "synthetic-0000001.yaml").write_text(
        '{"article": "synthetic-0000001", "parties": [], "parties": []}')
    result = critmin("load", "--seeds", str(seeds), env={"DATABASE_URL": db})
    assert result.returncode == 1
    assert "entities/synthetic-0000001.yaml" in result.stderr and "duplicate key 'parties'" in result.stderr
    assert query(db, "select article_id from core.article") == [("synthetic-0000000",)]


def test_copy_text_keeps_backslashes_tabs_and_line_breaks(db, tmp_path):
    """Fact rows are rendered to COPY text in worker processes: escapes must round-trip exactly."""
    seeds = make_seed_set(tmp_path / "seeds", 1)
    quote = "Korea Zinc\\t said \\\\N\tthen\r\n고려아연 ✓ C:\\new\\rare"
    article = seeds / "articles" / "synthetic-0000000.md"
    article.write_text(article.read_text() + f"\n{quote}\n")
    entity = seeds / "entities" / "synthetic-0000000.yaml"
    facts = yaml.safe_load(entity.read_text())
    facts["parties"].insert(0, {"name": "Korea Zinc", "evidence": quote})
    entity.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False))
    report = pipeline.load(db, seeds, "test")
    assert not report.problems, [p.line() for p in report.problems]
    assert query(db, "select quote from core.evidence where quote like %s", ("Korea Zinc\\\\t%",)) == [(quote,)]


def test_sparse_changes_are_found_and_loaded_in_small_handouts(server_url, template_db, tmp_path):
    """A reload with two changed articles far apart (chunks of 2: handed out every 20 scanned)."""
    seeds = make_seed_set(tmp_path / "seeds", 30)
    changed = make_seed_set(tmp_path / "changed", 30, variant=1)
    urls = [create_database(server_url, f"critmin_sparse_{i}_{uuid.uuid4().hex[:6]}", template=template_db) for i in (0, 1)]
    try:
        assert not pipeline.load(urls[0], seeds, "test", workers=2, chunk_size=2).problems
        for aid in ("synthetic-0000003", "synthetic-0000027"):
            shutil.copy(changed / "articles" / f"{aid}.md", seeds / "articles" / f"{aid}.md")
            shutil.copy(changed / "entities" / f"{aid}.yaml", seeds / "entities" / f"{aid}.yaml")
        report = pipeline.load(urls[0], seeds, "test", workers=2, chunk_size=2)
        assert (report.counts.articles_updated, report.counts.articles_unchanged) == (2, 28)
        assert not pipeline.load(urls[1], seeds, "test", workers=1).problems
        assert _without_load_times(_core_snapshot(urls[0])) == _without_load_times(_core_snapshot(urls[1]))
    finally:
        for url in urls:
            drop_database(server_url, url.rsplit("/", 1)[1])


def test_the_seed_folders_own_units_yaml_is_used(db, tmp_path):
    """units.yaml is read from --seeds (the file the reference digest hashes), not the bundled copy:
    a unit word added there makes a quote that uses it check out and load."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    base = ROOT / "tests" / "bad_inputs" / "_base"
    shutil.copytree(base, seeds, dirs_exist_ok=True)
    article = seeds / "articles" / "bad-input-case.md"
    article.write_text(article.read_text(encoding="utf-8").replace("500 tonnes", "500 tonz"), encoding="utf-8")
    facts = seeds / "entities" / "bad-input-case.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("500 tonnes", "500 tonz"), encoding="utf-8")
    refused = critmin("validate", "--seeds", str(seeds))
    assert refused.returncode == 1 and "bad-input-case" in refused.stderr  # the bundled units know no "tonz"
    units = seeds / "reference" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("forms: [t, tonne, tonnes,", "forms: [t, tonz, tonne, tonnes,", 1),
                     encoding="utf-8")
    result = critmin("load", "--seeds", str(seeds), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    assert query(db, "select quantity_tonnes from core.volume where article_id = 'bad-input-case'") == [(Decimal("500"),)]
