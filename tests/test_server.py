"""The embedded server's lifecycle, its network exposure and bad configurations."""

from __future__ import annotations

import os
import signal
import socket
import stat

import psycopg
import pytest
from conftest import critmin as _critmin

from etl.db.config import mask_url
from etl.db.server import EmbeddedServer
from etl.errors import ConfigError


def critmin(*args: str, **kwargs):
    """This module's cases are end to end (crashes, concurrency, the server's lifecycle): real processes."""
    return _critmin(*args, subprocess_=True, **kwargs)


@pytest.fixture
def home(tmp_path):
    server = EmbeddedServer(tmp_path / "home")
    yield server
    server.stop()


def test_a_bootstrap_backends_negated_pid_is_no_server(home):
    # initdb's standalone backend writes its pid negated; a crash there leaves that file behind
    home.pgdata.mkdir(parents=True)
    (home.pgdata / "postmaster.pid").write_text(f"-{os.getpid()}\n")
    assert home.running_pid() is None
    home.stop()  # nothing to stop, and no error


def test_start_twice_stop_restart_after_kill(home):
    first = home.start()
    assert home.start().port == first.port, "start is idempotent and keeps the port"
    with psycopg.connect(first.url()) as conn:
        assert conn.execute("select current_user").fetchone() == ("critmin",)
    pid = home.running_pid()
    os.kill(pid, signal.SIGKILL)
    home.wait_until_stopped()
    assert home.running_pid() is None
    again = home.start()  # recovers from the stale postmaster.pid of the killed server
    assert again.port == first.port
    with psycopg.connect(again.url()) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    assert home.stop() is True
    assert home.stop() is False


def test_listens_on_loopback_only_with_passwords(home):
    info = home.start()
    with psycopg.connect(info.url()) as conn:
        assert conn.execute("show listen_addresses").fetchone() == ("127.0.0.1",)
        assert conn.execute("show password_encryption").fetchone() == ("scram-sha-256",)
        rules = conn.execute("select type, auth_method from pg_hba_file_rules where type <> 'local'").fetchall()
    assert rules and all(method == "scram-sha-256" for _, method in rules)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(f"postgresql://critmin:wrong@127.0.0.1:{info.port}/critmin").close()
    mode = stat.S_IMODE(home.password_file.stat().st_mode)
    assert mode == 0o600


def test_shared_buffers_sized_to_the_machine(home):
    """A quarter of the memory between 128 MB and 1 GB, set at every start (old data folders too)."""
    info = home.start()
    want = max(128, min(1024, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4 // 2**20))
    with psycopg.connect(info.url()) as conn:
        got = conn.execute("select setting::bigint * 8 / 1024 from pg_settings where name = 'shared_buffers'").fetchone()[0]
    assert got == want


def test_port_taken_by_another_program_is_one_clear_error(home, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(ConfigError, match=f"port {port} on 127.0.0.1 is taken"):
            home.start(port=port)


def test_data_directory_from_newer_postgres_is_refused(home):
    home.start()
    home.stop()
    version_file = home.pgdata / "PG_VERSION"
    original = version_file.read_text()
    version_file.write_text("99\n")
    try:
        with pytest.raises(ConfigError, match="from PostgreSQL 99 .newer"):
            home.start()
        assert (home.pgdata / "base").is_dir(), "nothing deleted"
    finally:
        version_file.write_text(original)


def test_cli_bad_configuration_exits_2_with_one_line(tmp_path):
    result = critmin("migrate", env={"DATABASE_URL": "postgresql://u:secret@127.0.0.1:1/x"})
    assert result.returncode == 2
    assert "cannot connect" in result.stderr and "secret" not in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1

    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    target = ro / "home"
    if os.geteuid() == 0:
        target = tmp_path / "file-not-dir"
        target.write_text("x")  # root can write anywhere; a file where a folder should be fails for root too
    result = critmin("db", "start", env={"CRITMIN_HOME": str(target), "DATABASE_URL": ""})
    assert result.returncode == 2, result.stderr
    assert "is not writable" in result.stderr and "Traceback" not in result.stderr


def test_db_url_masks_password_unless_asked(home):
    info = home.start()
    env = {"CRITMIN_HOME": str(home.home), "DATABASE_URL": ""}
    masked = critmin("db", "url", env=env)
    assert masked.returncode == 0
    assert info.password not in masked.stdout and ":***@127.0.0.1" in masked.stdout
    shown = critmin("db", "url", "--show-password", env=env)
    assert info.password in shown.stdout


def test_mask_url_hides_passwords():
    assert mask_url("postgresql://bob:s3cr%40t@host:5432/db") == "postgresql://bob:***@host:5432/db"
    assert mask_url("host=x password=hunter2 user=y") == "host=x password=*** user=y"
