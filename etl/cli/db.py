"""`critmin db …` and `critmin migrate`: the embedded server, connection URLs, reader logins, the schema."""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit, urlunsplit

import typer

from etl.cli.common import err, out
from etl.db.config import (
    check_reachable,
    database_url,
    external_url,
    mask_url,
    owner_url,
    reader_url,
)
from etl.db.server import EmbeddedServer
from etl.errors import UsageError
from etl.reporting.roles import ensure_reader_login, generate_password, reader_sql


def db_start(port: int = typer.Option(None, help="Port on 127.0.0.1 (default: the remembered one, else a free one).")) -> None:
    """Start the embedded server (idempotent)."""
    if external_url():
        out.print(f"DATABASE_URL is set; critmin uses {mask_url(external_url())} and starts no server.")
        return
    t0 = time.monotonic()
    info = EmbeddedServer().start(port=port)
    out.print(f"embedded PostgreSQL running on 127.0.0.1:{info.port} (data in {EmbeddedServer().home}) [{time.monotonic() - t0:.1f}s]")


def db_stop() -> None:
    """Stop the embedded server."""
    if external_url():
        raise UsageError("DATABASE_URL is set: critmin does not manage that server")
    stopped = EmbeddedServer().stop()
    out.print("embedded PostgreSQL stopped" if stopped else "embedded PostgreSQL was not running")


def db_status() -> None:
    """Say whether the server is running and where (exit 3 when it is not, like pg_ctl status)."""
    if external_url():
        url = external_url()
        check_reachable(url)
        out.print(f"using DATABASE_URL {mask_url(url)}: reachable")
        return
    server = EmbeddedServer()
    pid = server.running_pid()
    if pid:
        out.print(f"running: pid {pid}, 127.0.0.1:{server.port()}, data in {server.pgdata}")
    else:
        out.print(f"not running (data in {server.pgdata}); start it with `critmin db start`")
        raise typer.Exit(3)


def db_url(
    reader: bool = typer.Option(False, "--reader", help="The read-only login for BI tools."),
    show_password: bool = typer.Option(False, "--show-password", help="Print the password instead of ***."),
) -> None:
    """Print the connection URL (password masked unless --show-password)."""
    if reader and not external_url():
        from etl.reporting.roles import ensure_embedded_reader

        ensure_embedded_reader(database_url())
    url = reader_url() if reader else database_url()
    out.print(url if show_password else mask_url(url), soft_wrap=True)


def migrate() -> None:
    """Upgrade the database schema to the latest revision (alembic upgrade head)."""
    from etl.db.migrate import upgrade_head

    url = owner_url()
    upgrade_head(url)
    out.print(f"database at the latest revision: {mask_url(url)}")


def _with_login(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}" + (
        f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def create_reader(
    name: str = typer.Argument(..., help="Login name to create (lower-case letters, digits, _)."),
    sql_only: bool = typer.Option(False, "--sql-only", help="Print the SQL instead of running it."),
) -> None:
    """Create a read-only login (member of critmin_reader) with a generated password, shown once."""
    password = generate_password()
    if sql_only:
        out.print(reader_sql(name, password), soft_wrap=True, markup=False, end="")
        return
    url = owner_url()
    ensure_reader_login(url, name, password)
    out.print(f"login {name} can now read the reporting schema (and nothing else).")
    out.print(f"password (shown once, store it now): {password}", soft_wrap=True, markup=False)
    out.print(f"URL: {_with_login(url, name, password)}", soft_wrap=True, markup=False)
    err.print(f"(owner connection used: {mask_url(url)})", soft_wrap=True)
