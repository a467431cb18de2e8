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
                "reload_1pct_changed_s", "view_query_ms", "peak_rss_mb"):
        assert key in data, key
    assert data["rows"] == 20000
    assert data["load_rows_per_s"] > 0 and data["copy_limit_rows_per_s"] > 0
    assert 0 < data["ratio"] == round(data["load_rows_per_s"] / data["copy_limit_rows_per_s"], 3)
    assert data["reload_1pct_articles_updated"] == 10
    assert query(url, "select count(*) from pg_database where datname = %s", (data["database"],)) == [(0,)]
