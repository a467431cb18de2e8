"""Fixtures: one real PostgreSQL server per test session, a clean database per test.

The server is the embedded one (in a temporary CRITMIN_HOME) unless TEST_DATABASE_URL names a
server whose user may create databases. Each test gets its own database copied from a template
that is already migrated (and, for `loaded_db`, already loaded with the seeds).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# What the CLI sees in tests, in or out of process: wide plain output. Set before etl.cli is
# imported, since its consoles read them once.
_CLI_ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
os.environ.update(_CLI_ENV)
SEEDS = ROOT / "seeds"


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> Iterator[str]:
    """An admin URL (database `postgres`) of the server the tests use."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield with_database(external, "postgres")
        return
    import shutil
    import tempfile

    from etl.db.server import EmbeddedServer

    # Outside pytest's own temp root: a second pytest session (as root) resets that root's
    # permissions, which the server's system user needs.
    home = Path(tempfile.mkdtemp(prefix="critmin-test-home-"))
    server = EmbeddedServer(home)
    info = server.start()
    yield with_database(info.url(), "postgres")
    server.stop()
    shutil.rmtree(home, ignore_errors=True)


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        if template:
            conn.execute(sql.SQL("create database {} template {}").format(sql.Identifier(name), sql.Identifier(template)))
        else:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return with_database(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def critmin(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 300,
            subprocess_: bool = False) -> subprocess.CompletedProcess:
    """Run the CLI with `args`, returning its exit status and output.

    In this process by default (the same `etl.cli.main` a user's command runs, with the
    environment, working directory and output streams swapped for the call); as a real
    subprocess with `subprocess_=True`, for the end-to-end cases (fresh run, crash,
    concurrency, server lifecycle)."""
    full_env = {**os.environ, **(env or {}), **_CLI_ENV}
    if subprocess_:
        return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True,
                              env=full_env, cwd=cwd or ROOT, timeout=timeout)
    return _critmin_in_process(list(args), full_env, cwd or ROOT)


def _critmin_in_process(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    import contextlib
    import io

    from etl.cli import main

    saved_env, saved_cwd, saved_argv = dict(os.environ), os.getcwd(), sys.argv
    stdout, stderr = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    try:
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        sys.argv = ["critmin", *args]
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main()
            except SystemExit as exc:
                code = exc.code
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        sys.argv = saved_argv
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(["critmin", *args], returncode, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="session")
def template_db(server_url) -> Iterator[str]:
    """Name of a database migrated to head, to copy per test."""
    from etl.db.migrate import upgrade_head

    name = f"critmin_tpl_{uuid.uuid4().hex[:8]}"
    url = create_database(server_url, name)
    upgrade_head(url)
    yield name
    drop_database(server_url, name)


@pytest.fixture(scope="session")
def loaded_template_db(server_url, template_db) -> Iterator[str]:
    """Name of a migrated database with the repository's seeds loaded."""
    name = f"critmin_tpl_loaded_{uuid.uuid4().hex[:8]}"
    url = create_database(server_url, name, template=template_db)
    result = critmin("load", "--seeds", str(SEEDS), env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stdout + result.stderr
    yield name
    drop_database(server_url, name)


def _fresh(server_url: str, template: str | None) -> Iterator[str]:
    name = f"critmin_t_{uuid.uuid4().hex[:10]}"
    url = create_database(server_url, name, template=template)
    try:
        yield url
    finally:
        drop_database(server_url, name)


@pytest.fixture
def empty_db(server_url) -> Iterator[str]:
    """URL of a new, empty database (no migrations)."""
    yield from _fresh(server_url, None)


@pytest.fixture
def db(server_url, template_db) -> Iterator[str]:
    """URL of a new database migrated to head, empty of data."""
    yield from _fresh(server_url, template_db)


@pytest.fixture
def loaded_db(server_url, loaded_template_db) -> Iterator[str]:
    """URL of a new database with the seeds loaded."""
    yield from _fresh(server_url, loaded_template_db)


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seed folder that a test may break."""
    import shutil

    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


def make_seed_set(dest: Path, n: int, variant: int = 0) -> Path:
    """`n` small valid articles (one figure each, facts files in the curator's YAML) from the
    bench's generator (etl/synthetic.py), ids synthetic-0000000 on. `variant` changes every third
    article's figures (same ids), so loading variant 1 over variant 0 updates, deletes and inserts
    fact rows."""
    from etl.synthetic import write_seed_set

    write_seed_set(dest, n, per_article=1, variant=variant, entity_format="yaml", prefix="synthetic")
    return dest


def query(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(statement, params).fetchall()


# -- pytest-alembic: its built-in migration tests run against a fresh, empty database ----------


@pytest.fixture
def alembic_config():
    from pytest_alembic.config import Config

    from etl.paths import resource_dir

    return Config(config_options={"script_location": str(resource_dir("migrations"))})


@pytest.fixture
def alembic_engine(empty_db):
    from sqlalchemy import create_engine, pool

    from etl.db.config import sqlalchemy_url

    engine = create_engine(sqlalchemy_url(empty_db), poolclass=pool.NullPool)
    yield engine
    engine.dispose()


def row_versions(url: str, schema: str = "core") -> dict[str, tuple]:
    """Row count and newest xmin of every table in `schema`: equal results mean no row was written."""
    tables = [r[0] for r in query(url, "select table_name from information_schema.tables where table_schema = %s", (schema,))]
    return {t: query(url, f"select count(*), max(xmin::text::bigint) from {schema}.{t}")[0] for t in tables}
