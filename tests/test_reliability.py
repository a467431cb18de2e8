"""Crash safety, concurrent loads, readers during a load, and migrations on live data.

A load is one transaction: killed at any moment (the loader or the server itself), the core
tables are exactly as before the load or exactly as after it, and the next load completes.
Two loads at once are serialised by a PostgreSQL advisory lock: the second waits, saying so
("another critmin load is running; waiting for it to finish…"), then finds nothing to do.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from conftest import ROOT, SEEDS, create_database, drop_database, make_seed_set, query
from conftest import critmin as _critmin
from psycopg import sql

from etl.db.models import metadata
from etl.load.write import LOAD_LOCK_KEY


def critmin(*args: str, **kwargs):
    """This module's cases are end to end (crashes, concurrency, the server's lifecycle): real processes."""
    return _critmin(*args, subprocess_=True, **kwargs)


N_ARTICLES = 800
CORE_TABLES = sorted(t.name for t in metadata.tables.values() if t.schema == "core")


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum of every core table (load timestamps left out)."""
    out = {}
    with psycopg.connect(url) as conn:
        for name in CORE_TABLES:
            cols = [c.name for c in metadata.tables[f"core.{name}"].columns if c.name != "loaded_at"]
            row = sql.SQL("row({})::text").format(sql.SQL(", ").join(map(sql.Identifier, cols)))
            out[name] = conn.execute(sql.SQL(
                "select count(*), coalesce(md5(string_agg(r, E'\\n' order by r)), '') from (select {} as r from {}) s"
            ).format(row, sql.Identifier("core", name))).fetchone()
    return out


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "COLUMNS": "200", "NO_COLOR": "1"}


def start_load(url: str, seeds: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", "load", "--seeds", str(seeds)], env=_env(url), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_run(url: str, after_run: int, proc: subprocess.Popen, timeout: float = 120) -> bool:
    """Wait until the load has registered its run (it is about to open its transaction)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if query(url, "select count(*) from etl.run where run_id > %s", (after_run,))[0][0]:
            return True
        time.sleep(0.01)
    raise AssertionError("the load never started its run")


def last_run(url: str) -> int:
    return query(url, "select coalesce(max(run_id), 0) from etl.run")[0][0]


@pytest.fixture(scope="module")
def seed_sets(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("synthetic")
    return make_seed_set(root / "a", N_ARTICLES, 0), make_seed_set(root / "b", N_ARTICLES, 1)


@pytest.fixture(scope="module")
def sized(server_url, template_db, seed_sets):
    """A database at state A, the snapshots of states A and B, and how long a load transaction takes."""
    a, b = seed_sets
    name = f"critmin_crash_{uuid.uuid4().hex[:8]}"
    url = create_database(server_url, name, template=template_db)
    try:
        assert _critmin("load", "--seeds", str(a), env={"DATABASE_URL": url}).returncode == 0  # in process
        state_a = snapshot(url)
        # How long the load is in its transaction: from registering its run until the process ends.
        run = last_run(url)
        proc = start_load(url, b)
        wait_for_run(url, run, proc)
        t0 = time.monotonic()
        _, err = proc.communicate(timeout=300)
        tx = time.monotonic() - t0
        assert proc.returncode == 0, err
        state_b = snapshot(url)
        assert state_a != state_b and state_a["article"][0] == N_ARTICLES
        yield {"url": url, "sets": {"a": a, "b": b}, "states": {"a": state_a, "b": state_b}, "tx": float(tx), "at": "b"}
    finally:
        drop_database(server_url, name)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def _assert_gone(pids: list[int], timeout: float = 10) -> None:
    """Worker processes of a killed load die with it (none is left computing for nobody)."""
    deadline = time.monotonic() + timeout
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in pids if _alive(p)], "worker processes outlived the killed load"


def _kill_loop(sized, kills: int, seed: int) -> int:
    rng = random.Random(seed)
    url = sized["url"]
    survived = 0
    interrupted = 0  # kills that caught the load before its commit
    with_workers = 0  # kills that caught its worker processes running
    for k in range(kills):
        here = sized["at"]
        target = "a" if here == "b" else "b"
        run = last_run(url)
        proc = start_load(url, sized["sets"][target])
        if k % 5 == 4:
            time.sleep(rng.uniform(0.0, 3.0))  # sometimes anywhere: starting up, reading, validating
        else:
            wait_for_run(url, run, proc)
            time.sleep(rng.uniform(0.0, sized["tx"] * 1.1))  # mostly while the transaction writes
        workers = _children(proc.pid)
        with_workers += bool(workers)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        _assert_gone(workers)
        state = snapshot(url)
        assert state in (sized["states"][here], sized["states"][target]), f"kill {k}: core tables between states"
        interrupted += state == sized["states"][here]
        # the load that completes the state needs no process of its own (only the killed ones do)
        done = _critmin("load", "--seeds", str(sized["sets"][target]), env={"DATABASE_URL": url})
        assert done.returncode == 0, done.stderr[-2000:]
        assert snapshot(url) == sized["states"][target], f"kill {k}: the next load did not complete the state"
        sized["at"] = target
        survived += 1
    # The killed runs stay visible as interrupted, not as successes.
    assert interrupted >= 1, "no kill landed inside a load transaction: the test proves nothing"
    assert with_workers >= 1, "no kill caught the worker processes: their clean-up went untested"
    assert query(url, "select count(*) from etl.run where status = 'running' and finished_at is null")[0][0] >= 1
    print(f"{survived} kills survived, {interrupted} inside the load transaction, {with_workers} with workers running "
          f"(tx {sized['tx']:.2f}s)")
    return survived


def test_sigkill_during_load_leaves_before_or_after(sized):
    assert _kill_loop(sized, 5, seed=7) == 5


@pytest.mark.slow
def test_sigkill_during_load_20_times(sized):
    assert _kill_loop(sized, 20, seed=20260101) == 20


def test_embedded_server_killed_mid_load_recovers(tmp_path, seed_sets):
    from etl.db.migrate import upgrade_head
    from etl.db.server import EmbeddedServer

    server = EmbeddedServer(tmp_path / "home")
    try:
        url = server.start().url()
        upgrade_head(url)
        before = snapshot(url)
        proc = start_load(url, seed_sets[0])
        wait_for_run(url, 0, proc)
        time.sleep(0.3)
        os.kill(server.running_pid(), signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode != 0
        server.wait_until_stopped()
        env = {"CRITMIN_HOME": str(server.home), "DATABASE_URL": ""}
        started = critmin("db", "start", env=env)  # what a user runs: recovers the crashed server
        assert started.returncode == 0, started.stderr
        after_crash = snapshot(url)
        done = critmin("load", "--seeds", str(seed_sets[0]), env={"DATABASE_URL": url})
        assert done.returncode == 0, done.stderr[-2000:]
        loaded = snapshot(url)
        assert after_crash in (before, loaded)
        assert loaded["article"][0] == N_ARTICLES
    finally:
        server.stop()


# ----------------------------------------------------------------------------- concurrency


def test_concurrent_loads_wait_for_each_other(db, seed_sets, server_url):
    """Three loads at once: one runs, two wait (and say so); all exit 0; the result is one load's."""
    small = seed_sets[0]
    # Hold the first load inside its transaction (it needs core.mineral) until the others queue.
    blocker = psycopg.connect(db)
    blocker.execute("lock table core.mineral in share mode")
    procs = [start_load(db, small) for _ in range(3)]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            waiting = query(db, "select count(*) from pg_locks where locktype = 'advisory' and objid = %s and not granted",
                            (LOAD_LOCK_KEY & 0xFFFFFFFF,))[0][0]
            if waiting >= 2 or any(p.poll() is not None for p in procs):
                break
            time.sleep(0.05)
        assert waiting == 2, "two loads should be waiting for the lock"
    finally:
        blocker.rollback()
        blocker.close()
    results = [p.communicate(timeout=180) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0, 0, 0], [e[-1500:] for _, e in results]
    waited = [e for _, e in results if "another critmin load is running" in e]
    assert len(waited) == 2
    assert all("Traceback" not in e for _, e in results)
    assert query(db, "select count(*) from core.article") == [(N_ARTICLES,)]
    runs = query(db, "select status, articles_inserted, articles_unchanged from etl.run order by run_id")
    assert sorted(r[1] for r in runs) == [0, 0, N_ARTICLES] and all(r[0] == "succeeded" for r in runs)
    dupes = query(db, "select count(*) - count(distinct (agreement_id, article_id, mineral_id, quantity)) from core.volume")
    assert dupes == [(0,)]


def test_readers_keep_working_during_a_load(db, seed_sets):
    """A reader polling core tables (and the reporting views, if any) is never blocked or broken."""
    views = [r[0] for r in query(db, "select table_name from information_schema.views where table_schema = 'reporting'")]
    stop = threading.Event()
    seen: list[tuple[float, int]] = []
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            with psycopg.connect(db, autocommit=True) as conn:
                conn.execute("set statement_timeout = '5s'")
                while not stop.is_set():
                    t0 = time.monotonic()
                    n = conn.execute("select count(*) from core.article").fetchone()[0]
                    conn.execute("select count(*) from core.volume v join core.agreement g using (agreement_id)").fetchone()
                    for v in views:
                        conn.execute(sql.SQL("select * from {} limit 5").format(sql.Identifier("reporting", v))).fetchall()
                    seen.append((time.monotonic() - t0, n))
                    time.sleep(0.02)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result = critmin("load", "--seeds", str(seed_sets[0]), env={"DATABASE_URL": db})
    finally:
        stop.set()
        thread.join(30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not errors, errors
    assert len(seen) > 20
    assert {n for _, n in seen} <= {0, N_ARTICLES}, "a reader saw a half-loaded state"
    assert max(t for t, _ in seen) < 2.0, "a reader was blocked by the load"


# ------------------------------------------------------------------------ migrations, live


def test_downgrade_and_upgrade_keep_live_data(loaded_db):
    from alembic import command
    from alembic.script import ScriptDirectory

    from etl.db.migrate import alembic_config

    cfg = alembic_config(loaded_db)
    head = ScriptDirectory.from_config(cfg).get_revision("head")
    if head.down_revision is None:
        pytest.skip("only one revision: downgrading it would drop the schema")
    before = snapshot(loaded_db)
    runs = query(loaded_db, "select count(*) from etl.run")
    command.downgrade(cfg, "-1")
    command.upgrade(cfg, "head")
    assert snapshot(loaded_db) == before
    assert query(loaded_db, "select count(*) from etl.run") == runs
    assert query(loaded_db, "select version_num from alembic_version") == [(head.revision,)]
    # And the data still loads on top: nothing to do.
    again = critmin("load", "--seeds", str(SEEDS), env={"DATABASE_URL": loaded_db})
    assert again.returncode == 0 and snapshot(loaded_db) == before


# ---------------------------------------------------------------------------------- doctor


def test_doctor_passes_on_a_good_setup_and_says_what_to_fix(loaded_db, empty_db, monkeypatch):
    from etl.db.doctor import run_checks

    monkeypatch.setenv("DATABASE_URL", loaded_db)
    results = {name: (ok, msg) for name, ok, msg in run_checks()}
    assert set(results) >= {"versions", "disk space", "server reachable", "migrations", "reporting views", "reader role"}
    assert all(ok for ok, _ in results.values()), results
    password = urlsplit(loaded_db).password
    assert all(password not in msg for _, msg in results.values())

    monkeypatch.setenv("DATABASE_URL", empty_db)
    results = {name: (ok, msg) for name, ok, msg in run_checks()}
    assert results["migrations"] == (False, "the database has no critmin schema yet: run `critmin migrate`")
    assert not results["reporting views"][0] and "critmin migrate" in results["reporting views"][1]

    monkeypatch.setenv("DATABASE_URL", f"postgresql://u:{password}@127.0.0.1:1/x")
    results = {name: (ok, msg) for name, ok, msg in run_checks()}
    assert not results["server reachable"][0] and password not in results["server reachable"][1]
