"""The stored results of the heavy reporting views (schema mart): always equal to the plain computation.

reporting.volume_schedule and reporting.mineral_summary read per-mineral rows from mart tables,
built from per-agreement parts that triggers on the core tables keep current; a load refreshes the
minerals whose facts changed (etl/load/marts.py). These tests compare everything with the views'
plain definitions of revision 0004, which compute from the core tables alone.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from conftest import SEEDS, critmin, query, row_versions
from psycopg import sql

from etl.load import marts
from etl.reporting import roles, views

MART_VIEWS = tuple(marts.MARTS)
PARTS = ("volume_schedule_part", "mineral_summary_part")
AINVEST = "ainvest-2025-09-24-posco-reelement-partnership"


def _sorted(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=repr)


def _plain(url: str, view: str) -> list[tuple]:
    """The view's rows as its plain 0004 definition computes them from the core tables."""
    with psycopg.connect(url) as conn:
        text = views.view_sql(view, as_of="0004")
        assert "mart." not in text, "the 0004 text must compute from core, or the mart is compared with itself"
        conn.execute(text)  # replaced inside this transaction only
        rows = conn.execute(sql.SQL("select * from {}").format(sql.Identifier("reporting", view))).fetchall()
        conn.rollback()
    return _sorted(rows)


def _recomputed_parts(url: str) -> dict[str, list[tuple]]:
    """The part tables as a recomputation of every agreement gives them (rolled back)."""
    with psycopg.connect(url) as conn:
        ids = [r[0] for r in conn.execute("select agreement_id from core.agreement")]
        conn.execute("select mart.refresh_schedule_parts(%s)", (ids,))
        conn.execute("select mart.refresh_mineral_parts(%s)", (ids,))
        parts = {t: _sorted(conn.execute(sql.SQL("select * from {}").format(sql.Identifier("mart", t))).fetchall())
                 for t in PARTS}
        conn.rollback()
    return parts


def assert_marts_current(url: str) -> None:
    assert query(url, "select count(*) from mart.stale_mineral") == [(0,)], "a load leaves nothing stale"
    for view in MART_VIEWS:
        plain = _plain(url, view)
        assert _sorted(query(url, f"select * from mart.{view}")) == plain, view
        assert _sorted(query(url, f"select * from reporting.{view}")) == plain, view
    stored = {t: _sorted(query(url, f"select * from mart.{t}")) for t in PARTS}
    assert stored == _recomputed_parts(url)


# ---------------------------------------------------------------------------------- tests


def test_loaded_seeds_fill_the_marts(loaded_db):
    assert query(loaded_db, "select count(*) from mart.mineral_summary") == [(8,)]
    assert query(loaded_db, "select count(*) from mart.volume_schedule") == [(6,)]
    assert_marts_current(loaded_db)


def test_reload_with_changed_added_redated_and_removed_articles_equals_a_recomputation(loaded_db, seeds_copy):
    # a new article: a new agreement, party and mineral figure
    (seeds_copy / "articles" / "test-2025-10-01-new-deal.md").write_text(
        "---\nid: test-2025-10-01-new-deal\ntitle: New deal\npublished_on: 2025-10-01\nlanguage: en\n---\n"
        "Korea Zinc agreed to supply up to 500 tonnes of antimony a year to Lockheed Martin from next year.\n")
    (seeds_copy / "entities" / "test-2025-10-01-new-deal.yaml").write_text(
        "article: test-2025-10-01-new-deal\n"
        "parties:\n  - {name: Korea Zinc, evidence: Korea Zinc}\n"
        "agreements:\n  - key: korea-zinc-lockheed-antimony-supply\n    kind: supply_contract\n"
        "    title: Korea Zinc antimony supply to Lockheed Martin\n    status: signed\n    minerals: [antimony]\n"
        "    parties: [{name: Korea Zinc, role: supplier}, {name: Lockheed Martin, role: buyer}]\n"
        "    evidence: Korea Zinc agreed to supply up to 500 tonnes of antimony a year to Lockheed Martin\n"
        "    volumes:\n      - {mineral: antimony, measure: mass, quantity: 500, unit: t, bound: up_to, per_year: true,\n"
        "         period: from next year, evidence: up to 500 tonnes of antimony a year}\n")
    # a re-dated article (the date orders the sources of a restated figure)
    article = seeds_copy / "articles" / f"{AINVEST}.md"
    article.write_text(article.read_text().replace("published_on: 2025-09-24", "published_on: 2025-09-21", 1))
    # a removed article (pruned with its facts)
    removed = "archyde-2022-09-us-mineral-security-partnership"
    (seeds_copy / "articles" / f"{removed}.md").unlink()
    (seeds_copy / "entities" / f"{removed}.yaml").unlink()
    before = {v: _plain(loaded_db, v) for v in MART_VIEWS}

    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(loaded_db, "select articles_inserted, articles_updated, articles_deleted from etl.run "
                            "order by run_id desc limit 1") == [(1, 1, 1)]
    assert {v: _plain(loaded_db, v) for v in MART_VIEWS} != before, "the changes reach the views"
    assert_marts_current(loaded_db)
    antimony = query(loaded_db, "select calendar_year, tonnes from reporting.volume_schedule "
                                "where mineral = 'antimony' order by 1")
    assert (2026, Decimal("740")) in antimony  # 240 t (at least) + the new 500 t a year from 2026


def test_unchanged_reload_writes_nothing_in_the_marts(loaded_db):
    before = row_versions(loaded_db, "mart")
    assert set(before) == {"stale_mineral", *MART_VIEWS, *PARTS}
    result = critmin("load", "--seeds", str(SEEDS), env={"DATABASE_URL": loaded_db})
    assert result.returncode == 0, result.stderr
    assert row_versions(loaded_db, "mart") == before


def test_a_direct_write_shows_at_once_and_the_next_refresh_stores_it(loaded_db):
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
    assert query(loaded_db, "select mineral_id from mart.stale_mineral") == [("tin",)]
    assert query(loaded_db, "select calendar_year, tonnes from reporting.volume_schedule where mineral = 'tin'") == [
        (2027, Decimal("7"))]
    assert query(loaded_db, "select volume_count, stated_tonnes from reporting.mineral_summary "
                            "where mineral_id = 'tin'") == [(1, Decimal("7"))]
    with psycopg.connect(loaded_db) as conn, conn.cursor() as cur:
        assert marts.refresh(cur) == 1
    assert query(loaded_db, "select tonnes from mart.volume_schedule where mineral = 'tin'") == [(Decimal("7"),)]
    assert_marts_current(loaded_db)
    # deleting the article cascades to its facts: the triggers see those deletes too
    with psycopg.connect(loaded_db) as conn:
        conn.execute("delete from core.article where article_id = 'test-direct'")
    assert query(loaded_db, "select count(*) from reporting.volume_schedule where mineral = 'tin'") == [(0,)]
    with psycopg.connect(loaded_db) as conn, conn.cursor() as cur:
        marts.refresh(cur)
    assert_marts_current(loaded_db)


def test_renamed_mineral_and_recountried_party_reach_the_summary(loaded_db):
    with psycopg.connect(loaded_db) as conn:
        conn.execute("update core.mineral set name_en = 'Antimony (Sb)' where mineral_id = 'antimony'")
        conn.execute("update core.party set country_code = 'GB' where party_id = 'korea-zinc'")
    assert query(loaded_db, "select name_en from reporting.mineral_summary where mineral_id = 'antimony'") == [
        ("Antimony (Sb)",)]
    with psycopg.connect(loaded_db) as conn, conn.cursor() as cur:
        marts.refresh(cur)
    assert_marts_current(loaded_db)
    assert "GB" in query(loaded_db, "select countries from mart.mineral_summary where mineral_id = 'antimony'")[0][0]


def test_the_reader_reads_the_views_but_not_the_mart(loaded_db, server_url):
    name, password = f"critmin_test_reader_{uuid.uuid4().hex[:8]}", roles.generate_password()
    roles.ensure_reader_login(server_url, name, password)
    parts = urlsplit(loaded_db)
    reader_url = urlunsplit(parts._replace(netloc=f"{name}:{quote(password, safe='')}@{parts.hostname}:{parts.port}"))
    try:
        with psycopg.connect(reader_url, autocommit=True) as conn:
            for view in MART_VIEWS:
                assert conn.execute(f"select count(*) from reporting.{view}").fetchone()[0] > 0
            for statement in ("select * from mart.volume_schedule", "delete from mart.stale_mineral",
                              "select mart.refresh_schedule_parts(array['x'])"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for schema mart"):
                    conn.execute(statement)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))
