"""Security: no SQL built from data by string formatting, no password in any output, secret files
0600, the embedded server reachable on 127.0.0.1 only, hostile names stored unharmed, and (when
the reporting migration has created it) a read-only role that reads the reporting schema only."""

from __future__ import annotations

import ast
import socket
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from conftest import ROOT, SEEDS, critmin, query

ETL = ROOT / "etl"
SQL_CALLS = {"execute", "executemany", "copy", "exec_driver_sql"}


# ------------------------------------------------------------------------ SQL composition


def _dynamic(node: ast.AST) -> str | None:
    """Why `node` is SQL text built from values at run time, or None when it is safe."""
    if isinstance(node, ast.JoinedStr):
        if any(isinstance(v, ast.FormattedValue) for v in node.values):
            return "f-string with values"
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, (ast.Constant, ast.JoinedStr)):
        return "% formatting"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [node.left, node.right]
        if not all(isinstance(p, ast.Constant) for p in parts):
            inner = [_dynamic(p) for p in parts]
            return next((r for r in inner if r), "+ concatenation with a non-constant")
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
            and isinstance(node.func.value, (ast.Constant, ast.JoinedStr)):
        return "str.format"  # sql.SQL("...").format(...) has a Call, not a str, before .format
    return None


def _assignments(func: ast.AST) -> dict[str, list[ast.AST]]:
    out: dict[str, list[ast.AST]] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out.setdefault(target.id, []).append(node.value)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name) and node.value:
            value = node.value if isinstance(node, ast.AnnAssign) else ast.BinOp(ast.Name(node.target.id), ast.Add(), node.value)
            out.setdefault(node.target.id, []).append(value)
    return out


def sql_formatting_findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    findings = []
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]
    for scope in scopes:
        assigned = _assignments(scope)
        for node in ast.walk(scope):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if name not in SQL_CALLS and name != "text":
                continue
            arg = node.args[0]
            candidates = assigned.get(arg.id, []) if isinstance(arg, ast.Name) else [arg]
            for cand in candidates:
                why = _dynamic(cand)
                if why:
                    findings.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}() gets {why}")
    return sorted(set(findings))


def test_no_sql_built_by_string_formatting():
    findings = [f for path in sorted(ETL.rglob("*.py")) for f in sql_formatting_findings(path)]
    assert findings == [], "use psycopg.sql composition and parameters:\n" + "\n".join(findings)


def test_the_sql_check_catches_what_it_should(tmp_path):
    bad = tmp_path / "etl" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(
        "def f(conn, t, v):\n"
        "    conn.execute(f'select * from {t}')\n"
        "    conn.execute('select * from x where a = %s' % v)\n"
        "    conn.execute('select * from ' + t)\n"
        "    q = 'delete from {}'.format(t)\n"
        "    conn.execute(q)\n"
        "    conn.execute(sql.SQL('select {}').format(sql.Identifier(t)))\n"
        "    conn.execute('select %s', (v,))\n")
    import test_security as me

    old = me.ROOT
    me.ROOT = tmp_path
    try:
        found = sql_formatting_findings(bad)
    finally:
        me.ROOT = old
    assert [f.split(": ", 1)[1] for f in found] == [
        "execute() gets f-string with values", "execute() gets % formatting",
        "execute() gets + concatenation with a non-constant", "execute() gets str.format"]


# ------------------------------------------------------------------------------ passwords


def _password(url: str) -> str:
    pw = urlsplit(url).password
    assert pw and len(pw) >= 8
    return pw


def _has_command(name: str) -> bool:
    from etl.cli import app

    return any((c.name or c.callback.__name__) == name for c in app.registered_commands)


def test_password_never_printed(db, tmp_path, seeds_copy):
    pw = _password(db)
    parts = urlsplit(db)
    env = {"DATABASE_URL": db}
    (seeds_copy / "entities" / "newsis-2025-09-22-korea-fills-us-supply-chain.yaml").write_text("article: [broken\n")
    runs = [
        critmin("migrate", env=env),
        critmin("load", "--seeds", str(seeds_copy), env=env),
        critmin("validate", "--seeds", str(seeds_copy), env=env),
        critmin("run", "--seeds", str(SEEDS), env=env),
        critmin("status", env=env),
        critmin("db", "status", env=env),
        critmin("db", "start", env=env),
        critmin("db", "url", env=env),
        *([critmin("doctor", env=env)] if _has_command("doctor") else []),
        # unreachable server and a bad database name: error lines carry the URL
        critmin("status", env={"DATABASE_URL": urlunsplit(parts._replace(netloc=f"{parts.username}:{pw}@127.0.0.1:1"))}),
        critmin("status", env={"DATABASE_URL": urlunsplit(parts._replace(path="/no_such_db_" + uuid.uuid4().hex[:6]))}),
    ]
    for r in runs:
        assert pw not in r.stdout and pw not in r.stderr, r.args
        assert "Traceback" not in r.stderr, (r.args, r.stderr[-2000:])
    assert any(":***@" in r.stdout + r.stderr for r in runs)


def test_password_not_in_server_log_or_settings(private_server):
    server, info = private_server
    for path in (server.log_file, server.settings_file):
        assert info.password not in path.read_text(errors="replace"), path


# ------------------------------------------------------------------ the embedded server


@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    from etl.db.server import EmbeddedServer

    server = EmbeddedServer(tmp_path_factory.mktemp("sec") / "home")
    info = server.start()
    yield server, info
    server.stop()


def test_secret_files_are_0600(private_server):
    server, info = private_server
    server.reader_password()  # created on first use
    for path in (server.password_file, server.reader_password_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(server.pgdata.stat().st_mode) == 0o700
    assert not (server.home / ".initdb-pw").exists()


def _non_loopback_addresses() -> list[str]:
    import psutil

    out = []
    for addrs in psutil.net_if_addrs().values():
        for a in addrs:
            if a.family == socket.AF_INET and not a.address.startswith("127."):
                out.append(a.address)
    return out


def test_server_listens_on_loopback_only(private_server):
    server, info = private_server
    with psycopg.connect(info.url()) as conn:
        assert conn.execute("show listen_addresses").fetchone() == ("127.0.0.1",)
        assert conn.execute("show unix_socket_directories").fetchone() == ("",)
    addresses = _non_loopback_addresses()
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address")
    for addr in addresses:
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((addr, info.port)) != 0, f"port {info.port} answers on {addr}"


def test_wrong_password_is_refused(private_server):
    _, info = private_server
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(f"postgresql://{info.user}:not-the-password@127.0.0.1:{info.port}/{info.database}").close()


# ------------------------------------------------------------------- hostile names survive

HOSTILE = "O'Brien; drop table x; -- 한국 \"Zinc\" \\ %s {}"


def test_quotes_semicolons_and_unicode_round_trip(db, seeds_copy):
    import yaml

    parties = seeds_copy / "reference" / "parties.yaml"
    data = yaml.safe_load(parties.read_text())
    # The hostile spelling becomes an alias of Korea Zinc.
    for p in data:
        if p["name"] == "Korea Zinc":
            p.setdefault("aliases", []).append(HOSTILE)
    parties.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    aid = "test-2025-10-02-hostile-names"
    title = "Deal 'quoted'; -- \"double\" 한국어 제목 ✓ 🚀 \\ %(x)s"
    body = f"{HOSTILE} agreed to supply antimony.\n"
    (seeds_copy / "articles" / f"{aid}.md").write_text(
        f"---\nid: {aid}\ntitle: {yaml.safe_dump(title, allow_unicode=True).strip().removesuffix('...').strip()}\n"
        f"published_on: 2025-10-02\nlanguage: en\n---\n{body}", encoding="utf-8")
    (seeds_copy / "entities" / f"{aid}.yaml").write_text(yaml.safe_dump(
        {"article": aid, "parties": [{"name": HOSTILE, "evidence": HOSTILE}]}, allow_unicode=True), encoding="utf-8")
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("create table public.x (i int)")  # what the hostile text would drop
    result = critmin("load", "--seeds", str(seeds_copy), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    assert query(db, "select party_id from core.party_alias where alias = %s", (HOSTILE,)) == [("korea-zinc",)]
    assert query(db, "select title from core.article where article_id = %s", (aid,)) == [(title,)]
    assert query(db, "select quote from core.evidence where article_id = %s", (aid,)) == [(HOSTILE,)]
    assert query(db, "select count(*) from core.party_mention where article_id = %s and party_id = 'korea-zinc'", (aid,)) == [(1,)]
    assert query(db, "select to_regclass('public.x') is not null")[0][0], "the hostile text dropped a table"
    assert query(db, "select count(*) from core.article")[0][0] == 6


# ---------------------------------------------------------------------- read-only role


@pytest.fixture
def reader_url(loaded_db):
    assert query(loaded_db, "select count(*) from pg_roles where rolname = 'critmin_reader'")[0][0], \
        "the reporting migration creates critmin_reader"
    login = f"critmin_sec_{uuid.uuid4().hex[:8]}"
    pw = uuid.uuid4().hex
    with psycopg.connect(loaded_db, autocommit=True) as conn:
        conn.execute(f"create role {login} login password '{pw}' in role critmin_reader")  # test-made names only
    parts = urlsplit(loaded_db)
    yield urlunsplit(parts._replace(netloc=f"{login}:{pw}@{parts.hostname}:{parts.port}"))
    with psycopg.connect(loaded_db, autocommit=True) as conn:
        conn.execute(f"drop role {login}")


def test_reader_role_reads_reporting_only(reader_url):
    views = query(reader_url, "select table_name from information_schema.views where table_schema = 'reporting'")
    assert views
    for (view,) in views:
        query(reader_url, f'select * from reporting."{view}" limit 1')
    for statement in ("select * from core.article limit 1", "select * from etl.run limit 1",
                      "insert into core.mineral (mineral_id, name_en, mineral_group) values ('x', 'x', 'other')",
                      "create table reporting.evil (x int)", "create table public.evil (x int)",
                      "delete from etl.rejected_row", "select count(*) from core.party"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            query(reader_url, statement)


def test_ruff_finds_nothing_in_the_tree():
    """The code style the project promises (pyproject's [tool.ruff]), including the SQL-injection rule S608."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
