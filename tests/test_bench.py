"""`critmin bench` reports every figure of the design card and leaves no scratch database behind."""

from __future__ import annotations

import json

from conftest import critmin, query, with_database


def test_bench_json_fields_and_scratch_database_is_dropped(server_url):
    url = with_database(server_url, "postgres")
    result = critmin("bench", "--rows", "20000", "--json", env={"DATABASE_URL": url}, timeout=600)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("rows", "load_rows_per_s", "copy_limit_rows_per_s", "ratio", "reload_unchanged_s",
                "reload_1pct_changed_s", "view_query_ms", "peak_rss_mb", "table_rows", "load_table_rows_per_s",
                "schema_limit_rows_per_s", "ratio_to_schema_limit", "schema_rows_only_s"):
        assert key in data, key
    assert data["rows"] == 20000
    assert data["load_rows_per_s"] > 0 and data["copy_limit_rows_per_s"] > 0
    assert 0 < data["ratio"] == round(data["load_rows_per_s"] / data["copy_limit_rows_per_s"], 3)
    # every core row the load wrote: 20000 volumes, 1000 articles, 21000 evidence spans, ...
    assert data["table_rows_by_table"]["volume"] == 20000 and data["table_rows_by_table"]["article"] == 1000
    assert data["table_rows"] == sum(data["table_rows_by_table"].values()) > 40000
    assert 0 < data["ratio_to_schema_limit"] == round(data["load_table_rows_per_s"] / data["schema_limit_rows_per_s"], 3)
    assert "peer_rows_per_s" not in data  # peers only with --peers
    assert data["reload_1pct_articles_updated"] == 10
    assert query(url, "select count(*) from pg_database where datname like 'critmin_bench_%%'") == [(0,)]


def test_bench_peers_write_the_same_rows(server_url):
    url = with_database(server_url, "postgres")
    result = critmin("bench", "--rows", "2000", "--peers", "--json", env={"DATABASE_URL": url}, timeout=600)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["peer_rows_per_s"]) == {"pandas_to_sql", "pandas_to_sql_multi", "sqlalchemy_core_executemany"}
    for peer, rate in data["peer_rows_per_s"].items():
        assert rate > 0
        assert data["ratio_to_peer"][peer] == round(data["load_table_rows_per_s"] / rate, 3)
    assert query(url, "select count(*) from pg_database where datname like 'critmin_bench_%%'") == [(0,)]
