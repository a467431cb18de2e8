"""Which database critmin talks to: DATABASE_URL when set, else the embedded server."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from etl.db.server import EmbeddedServer
from etl.errors import ConfigError, one_line

# user:password@ up to the LAST @ before the host (passwords may contain @); the user may be empty.
_PASSWORD_IN_URL = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<pw>[^/\s]*)(?P<tail>@)(?=[^@/\s]*(?:[/?\s]|$))", re.I)


def mask_url(text: str) -> str:
    """Replace the password of every URL in `text` by ***; also a key=value password."""
    text = _PASSWORD_IN_URL.sub(lambda m: m["head"] + "***" + m["tail"], text)
    return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", text, flags=re.I)


def external_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    return url.strip() if url and url.strip() else None


def libpq_url(url: str) -> str:
    """A URL psql and psycopg accept (no SQLAlchemy driver suffix)."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", re.sub(r"^postgres://", "postgresql://", url))


def sqlalchemy_url(url: str) -> str:
    """The same URL with the psycopg 3 driver for SQLAlchemy."""
    return re.sub(r"^postgresql://", "postgresql+psycopg://", libpq_url(url))


def database_url(*, start: bool = True) -> str:
    """The owner's libpq URL (with password): DATABASE_URL, else the embedded server (started)."""
    url = external_url()
    if url:
        parts = urlsplit(libpq_url(url))
        if parts.scheme != "postgresql":
            raise ConfigError(f"DATABASE_URL must be a postgresql:// URL, got {mask_url(url)!r}")
        return libpq_url(url)
    server = EmbeddedServer()
    info = server.start() if start else server.info()
    return info.url()


def reader_url() -> str:
    """The read-only login for BI tools (embedded server only)."""
    if external_url():
        raise ConfigError(
            "with DATABASE_URL the reader login is yours to create: run "
            "`critmin db create-reader NAME` (or --sql-only) and build its URL"
        )
    server = EmbeddedServer()
    server.start()
    return server.reader_info().url()


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = url or database_url()
    try:
        make_url(sqlalchemy_url(url))
    except Exception:
        raise ConfigError(f"not a valid database URL: {mask_url(url)}") from None
    return create_engine(sqlalchemy_url(url), **kwargs)


def check_reachable(url: str) -> None:
    """Fail with one line when the server cannot be reached or refuses the login."""
    import psycopg

    try:
        with psycopg.connect(libpq_url(url), connect_timeout=5) as conn:
            conn.execute("select 1")
    except psycopg.OperationalError as exc:
        reason = one_line(exc, last=True)
        raise ConfigError(
            f"cannot connect to {mask_url(url)}: {mask_url(reason)} — check DATABASE_URL "
            "(or unset it to use the embedded server)"
        ) from None


def owner_url() -> str:
    """The owner's URL of the database in use, checked to answer (the embedded server started if needed)."""
    url = database_url()
    check_reachable(url)
    return url
