"""A big load into empty core tables checks references in sets (foreign keys dropped, re-added
NOT VALID and VALIDATEd in the load's transaction); every foreign key is there, valid, afterwards.
Smaller first loads keep the row-level checks, so readers are not locked out while they run."""

from __future__ import annotations

import psycopg
import pytest
from conftest import SEEDS, critmin, query

from etl.load.write import _drop_fact_foreign_keys, _restore_foreign_keys

FOREIGN_KEYS = """select c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.convalidated
                  from pg_constraint c join pg_namespace n on n.oid = c.connamespace
                  where c.contype = 'f' and n.nspname = 'core' order by 1, 2"""


def test_a_first_load_leaves_every_foreign_key_as_migrated_and_valid(db, monkeypatch):
    monkeypatch.setattr("etl.load.write.BULK_CHECK_MIN_ARTICLES", 1)  # the seeds take the set-based path
    migrated = query(db, FOREIGN_KEYS)
    assert len(migrated) > 15 and all(valid for *_, valid in migrated)
    result = critmin("load", "--seeds", str(SEEDS), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(db, FOREIGN_KEYS) == migrated


def test_the_set_based_check_refuses_a_dangling_reference_and_rollback_restores_the_keys(db):
    migrated = query(db, FOREIGN_KEYS)
    with psycopg.connect(db) as conn, conn.cursor() as cur:
        keys = _drop_fact_foreign_keys(cur)
        assert {name for _, name, _ in keys} >= {"fk_volume_agreement_id_agreement", "fk_evidence_article_id_article"}
        cur.execute("""insert into core.article (article_id, title, published_precision, language, body, content_hash)
                       values ('a-1', 'T', 'unknown', 'en', 'Korea Zinc', 'h')""")
        cur.execute("insert into core.evidence values ('e-1', 'a-1', 0, 10, 'Korea Zinc')")
        cur.execute("""insert into core.volume (volume_id, agreement_id, article_id, evidence_id, measure, quantity,
                                                unit, bound, per_year)
                       values ('v-1', 'missing', 'a-1', 'e-1', 'mass', 1, 't', 'exact', false)""")
        with pytest.raises(psycopg.errors.ForeignKeyViolation, match="fk_volume_agreement_id_agreement"):
            _restore_foreign_keys(cur, keys)
    assert query(db, FOREIGN_KEYS) == migrated
    assert query(db, "select count(*) from core.article") == [(0,)]
