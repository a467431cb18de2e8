"""The stored results of the heavy reporting views (schema mart): equal to the plain computation.

reporting.volume_schedule and reporting.mineral_summary read their rows from mart tables, summed
from per-agreement parts; no trigger keeps them: the load refreshes the parts of the agreements it
touched and the totals of their minerals before it commits, and `critmin refresh` recomputes
everything after hand edits (etl/load/marts.py). These tests compare the marts with the views'
plain definitions of revision 0004 (migrations/frozen/0004/), which compute from the core tables
alone, and the parts with the intermediate views.
"""

from __future__ import annotations

import shutil
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from conftest import ROOT, SEEDS, create_database, critmin, drop_database, query, row_versions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from etl.load import marts
from etl.reporting import roles

MART_VIEWS = tuple(marts.MARTS)
PARTS = tuple(marts.PARTS)
AINVEST = "ainvest-2025-09-24-posco-reelement-partnership"
ARCHYDE = "archyde-2022-09-us-mineral-security-partnership"
NEWSIS = "newsis-2025-09-22-korea-fills-us-supply-chain"
PLAIN_0004 = ROOT / "migrations" / "frozen" / "0004"


def _sorted(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=repr)


def _plain(url: str, view: str) -> list[tuple]:
    """The view's rows as its plain 0004 definition computes them from the core tables."""
    with psycopg.connect(url) as conn:
        text = (PLAIN_0004 / f"{view}.sql").read_text()
        assert "mart." not in text and "intermediate." not in text, "the 0004 text must compute from core alone"
        conn.execute(text)  # replaced inside this transaction only
        rows = conn.execute(sql.SQL("select * from {}").format(sql.Identifier("reporting", view))).fetchall()
        conn.rollback()
    return _sorted(rows)


def assert_marts_current(url: str) -> None:
    for view in MART_VIEWS:
        plain = _plain(url, view)
        assert _sorted(query(url, f"select * from mart.{view}")) == plain, view
        assert _sorted(query(url, f"select * from reporting.{view}")) == plain, view
    for part, computation in marts.PARTS.items():
        assert _sorted(query(url, f"select * from mart.{part}")) == _sorted(query(url, f"select * from {computation}")), part
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        assert marts.stale_marts(cur) == dict.fromkeys((*PARTS, *MART_VIEWS), 0)


def _refresh(url: str) -> None:
    result = critmin("refresh", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stdout + result.stderr


def _load(url: str, seeds: Path) -> None:
    result = critmin("load", "--seeds", str(seeds), env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stdout + result.stderr


def _new_article(seeds: Path, key: str, mineral: str, tonnes: int) -> None:
    article = f"test-2025-10-01-{key}"
    quote_ = f"up to {tonnes} tonnes of {mineral} a year"
    (seeds / "articles" / f"{article}.md").write_text(
        f"---\nid: {article}\ntitle: New deal {key}\npublished_on: 2025-10-01\nlanguage: en\n---\n"
        f"Korea Zinc agreed to supply {quote_} to Lockheed Martin from next year.\n")
    (seeds / "entities" / f"{article}.yaml").write_text(
        f"article: {article}\n"
        "parties:\n  - {name: Korea Zinc, evidence: Korea Zinc}\n"
        f"agreements:\n  - key: korea-zinc-lockheed-{mineral}-supply\n    kind: supply_contract\n"
        f"    title: Korea Zinc {mineral} supply to Lockheed Martin\n    status: signed\n    minerals: [{mineral}]\n"
        "    parties: [{name: Korea Zinc, role: supplier}, {name: Lockheed Martin, role: buyer}]\n"
        f"    evidence: Korea Zinc agreed to supply {quote_}\n"
        f"    volumes:\n      - {{mineral: {mineral}, measure: mass, quantity: {tonnes}, unit: t, bound: up_to, per_year: true,\n"
        f"         period: from next year, evidence: {quote_}}}\n")


# ---------------------------------------------------------------------------------- tests


def test_loaded_seeds_fill_the_marts(loaded_db):
    assert query(loaded_db, "select count(*) from mart.mineral_summary") == [(8,)]
    assert query(loaded_db, "select count(*) from mart.volume_schedule") == [(6,)]
    assert_marts_current(loaded_db)


def test_no_trigger_is_left_on_the_core_tables(loaded_db):
    assert query(loaded_db, """select tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid
                               join pg_namespace n on n.oid = c.relnamespace
                               where n.nspname = 'core' and not t.tgisinternal""") == []


def test_reload_with_changed_added_redated_and_removed_articles_equals_a_recomputation(loaded_db, seeds_copy):
    _new_article(seeds_copy, "new-deal", "antimony", 500)
    article = seeds_copy / "articles" / f"{AINVEST}.md"
    article.write_text(article.read_text().replace("published_on: 2025-09-24", "published_on: 2025-09-21", 1))
    (seeds_copy / "articles" / f"{ARCHYDE}.md").unlink()
    (seeds_copy / "entities" / f"{ARCHYDE}.yaml").unlink()
    before = {v: _plain(loaded_db, v) for v in MART_VIEWS}

    _load(loaded_db, seeds_copy)
    assert query(loaded_db, "select articles_inserted, articles_updated, articles_deleted from etl.run "
                            "order by run_id desc limit 1") == [(1, 1, 1)]
    assert {v: _plain(loaded_db, v) for v in MART_VIEWS} != before, "the changes reach the views"
    assert_marts_current(loaded_db)
    antimony = query(loaded_db, "select calendar_year, tonnes from reporting.volume_schedule "
                                "where mineral = 'antimony' order by 1")
    assert (2026, Decimal("740")) in antimony  # 240 t (at least) + the new 500 t a year from 2026


def test_unchanged_reload_writes_nothing_in_the_marts(loaded_db):
    before = row_versions(loaded_db, "mart")
    assert set(before) == {*MART_VIEWS, *PARTS}
    _load(loaded_db, SEEDS)
    assert row_versions(loaded_db, "mart") == before


def test_a_direct_write_is_reported_stale_by_doctor_and_stored_by_refresh(loaded_db):
    with psycopg.connect(loaded_db) as conn:
        conn.execute("""insert into core.article (article_id, title, published_on, published_precision, language,
                                                  body, content_hash)
                        values ('test-direct', 'Direct', '2026-06-01', 'day', 'en', '7 t of tin', 'h')""")
        conn.execute("insert into core.evidence values ('test-direct:0-10', 'test-direct', 0, 10, '7 t of tin')")
        conn.execute("insert into core.agreement (agreement_id, title, kind) values ('test-tin', 'Tin', 'offtake')")
        conn.execute("""insert into core.agreement_mineral values ('test-tin', 'tin', 'test-direct')""")
        conn.execute("""insert into core.volume (volume_id, agreement_id, article_id, evidence_id, mineral_id, measure,
                            quantity, unit, bound, per_year, period_start, period_end, quantity_tonnes)
                        values ('v-direct', 'test-tin', 'test-direct', 'test-direct:0-10', 'tin', 'mass', 7, 't',
                                'exact', false, '2027-01-01', '2027-12-31', 7)""")
    from etl.db.doctor import check_marts

    name, ok, message = check_marts(loaded_db)
    assert not ok and "mart.volume_schedule_part (1 rows differ)" in message and "critmin refresh" in message
    assert query(loaded_db, "select count(*) from reporting.volume_schedule where mineral = 'tin'") == [(0,)]
    _refresh(loaded_db)
    assert check_marts(loaded_db)[1]
    assert query(loaded_db, "select calendar_year, tonnes from reporting.volume_schedule where mineral = 'tin'") == [
        (2027, Decimal("7"))]
    assert query(loaded_db, "select volume_count, stated_tonnes from reporting.mineral_summary "
                            "where mineral_id = 'tin'") == [(1, Decimal("7"))]
    assert_marts_current(loaded_db)
    with psycopg.connect(loaded_db) as conn:  # its facts go with it (cascade)
        conn.execute("delete from core.article where article_id = 'test-direct'")
    assert not check_marts(loaded_db)[1]
    _refresh(loaded_db)
    assert query(loaded_db, "select count(*) from reporting.volume_schedule where mineral = 'tin'") == [(0,)]
    assert_marts_current(loaded_db)


def test_a_renamed_mineral_in_the_lexicon_reaches_the_summary_through_the_load(loaded_db, seeds_copy):
    lexicon = seeds_copy / "reference" / "minerals.yaml"
    text = lexicon.read_text()
    assert "name_en: antimony\n" in text
    lexicon.write_text(text.replace("name_en: antimony\n", "name_en: Antimony (Sb)\n", 1))
    _load(loaded_db, seeds_copy)
    assert query(loaded_db, "select name_en from reporting.mineral_summary where mineral_id = 'antimony'") == [
        ("Antimony (Sb)",)]
    assert_marts_current(loaded_db)


def test_the_reader_reads_the_views_but_not_the_mart(loaded_db, server_url):
    name, password = f"critmin_test_reader_{uuid.uuid4().hex[:8]}", roles.generate_password()
    roles.ensure_reader_login(server_url, name, password)
    parts = urlsplit(loaded_db)
    reader_url = urlunsplit(parts._replace(netloc=f"{name}:{quote(password, safe='')}@{parts.hostname}:{parts.port}"))
    try:
        with psycopg.connect(reader_url, autocommit=True) as conn:
            for view in MART_VIEWS:
                assert conn.execute(f"select count(*) from reporting.{view}").fetchone()[0] > 0
            for statement, schema in (("select * from mart.volume_schedule", "mart"),
                                      ("delete from mart.volume_schedule_part", "mart"),
                                      ("select mart.refresh_parts(array['x'])", "mart"),
                                      ("select * from intermediate.volume_schedule_parts", "intermediate")):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match=f"permission denied for schema {schema}"):
                    conn.execute(statement)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))


# ------------------------------------------------------------ random sequences of changes

# Each step changes the seeds and loads them, or edits the core tables by hand and runs
# `critmin refresh`; after every step every mart must equal the plain computation.
STEPS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["antimony", "tin", "lithium"]), st.integers(1, 900)),
    st.tuples(st.just("redate"), st.sampled_from([AINVEST, NEWSIS]), st.sampled_from(["2025-09-20", "2025-09-26"])),
    st.tuples(st.just("remove"), st.sampled_from([AINVEST, ARCHYDE, NEWSIS])),
    st.tuples(st.just("restore")),
    st.tuples(st.just("reload")),
    st.tuples(st.just("edit_volume"), st.integers(1, 50)),
    st.tuples(st.just("edit_country"), st.sampled_from(["GB", "KR"])),
    st.tuples(st.just("delete_article"), st.sampled_from([AINVEST, NEWSIS])),
)


def _apply(step: tuple, url: str, seeds: Path, counter: list[int]) -> None:
    kind = step[0]
    if kind == "add":
        counter[0] += 1
        _new_article(seeds, f"deal-{counter[0]}", step[1], step[2])
    elif kind == "redate":
        path = seeds / "articles" / f"{step[1]}.md"
        if path.exists():
            lines = path.read_text().splitlines(keepends=True)
            path.write_text("".join(f"published_on: {step[2]}\n" if line.startswith("published_on:") else line
                                    for line in lines))
    elif kind == "remove":
        for folder, suffix in (("articles", ".md"), ("entities", ".yaml")):
            (seeds / folder / f"{step[1]}{suffix}").unlink(missing_ok=True)
    elif kind == "restore":
        for folder in ("articles", "entities"):
            for path in (SEEDS / folder).iterdir():
                shutil.copy(path, seeds / folder / path.name)
    if kind in ("add", "redate", "remove", "restore", "reload"):
        _load(url, seeds)
        return
    with psycopg.connect(url) as conn:
        if kind == "edit_volume":
            conn.execute("""update core.volume set quantity_tonnes = quantity_tonnes + %s
                            where volume_id = (select min(volume_id) from core.volume where quantity_tonnes is not null)""",
                         (step[1],))
        elif kind == "edit_country":
            conn.execute("update core.party set country_code = %s where party_id = 'korea-zinc'", (step[1],))
        elif kind == "delete_article":
            conn.execute("delete from core.article where article_id = %s", (step[1],))
    _refresh(url)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEPS, min_size=1, max_size=4))
def test_random_loads_reloads_deletes_and_edits_keep_every_mart_equal_to_the_plain_computation(
        steps, server_url, loaded_template_db, tmp_path_factory):
    name = f"critmin_t_{uuid.uuid4().hex[:10]}"
    url = create_database(server_url, name, template=loaded_template_db)
    seeds = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(SEEDS, seeds)
    try:
        counter = [0]
        for step in steps:
            _apply(step, url, seeds, counter)
            assert_marts_current(url)
    finally:
        drop_database(server_url, name)
