"""Setup checks for `critmin doctor`: versions, disk, server, migrations, the reporting contract, the reader role.

Each check returns (name, ok, message); a failed check's message says what to do. Checks never
start the embedded server or change the database: they only look.
"""

from __future__ import annotations

import platform
import shutil
from collections.abc import Callable
from importlib import metadata as importlib_metadata
from pathlib import Path

from etl.db.config import external_url, mask_url
from etl.errors import one_line

Check = tuple[str, bool, str]
MIN_FREE_BYTES = 1 << 30  # 1 GiB


def _version(package: str) -> str:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return "not installed"


def check_versions() -> Check:
    parts = [f"critmin {_version('critmin')}", f"Python {platform.python_version()}",
             f"psycopg {_version('psycopg')}", f"SQLAlchemy {_version('sqlalchemy')}",
             f"alembic {_version('alembic')}", f"pandera {_version('pandera')}"]
    ok = tuple(int(x) for x in platform.python_version_tuple()[:2]) >= (3, 11)
    if not external_url():
        try:
            from etl.db.server import binaries_major_version

            parts.append(f"embedded PostgreSQL {binaries_major_version()}")
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            ok = False
            parts.append(f"embedded PostgreSQL unusable ({exc}): reinstall critmin")
    return "versions", ok, ", ".join(parts)


def check_disk(path: Path) -> Check:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    gib = free / (1 << 30)
    if free < MIN_FREE_BYTES:
        return "disk space", False, f"only {gib:.1f} GiB free at {probe}: free some space (PostgreSQL stops when the disk is full)"
    return "disk space", True, f"{gib:.1f} GiB free at {probe}"


def _url() -> tuple[str | None, Check | None]:
    """The owner's URL without starting anything; or the failed reachability check."""
    url = external_url()
    if url:
        from etl.db.config import libpq_url

        return libpq_url(url), None
    from etl.db.server import EmbeddedServer

    server = EmbeddedServer()
    if not server.running_pid():
        return None, ("server reachable", False,
                      f"the embedded server (data in {server.home}) is not running: run `critmin db start`")
    return server.info().url(), None


def check_reachable(url: str) -> Check:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            version = conn.execute("show server_version").fetchone()[0]
    except psycopg.Error as exc:
        reason = mask_url(one_line(exc, last=True))
        return "server reachable", False, f"cannot connect to {mask_url(url)}: {reason} — check DATABASE_URL or run `critmin db start`"
    major = int(version.split(".")[0])
    if major < 14:
        return "server reachable", False, f"PostgreSQL {version} at {mask_url(url)}: critmin needs 14 or newer"
    return "server reachable", True, f"PostgreSQL {version} at {mask_url(url)}"


def check_migrations(url: str) -> Check:
    from sqlalchemy import pool

    from etl.db.config import make_engine
    from etl.db.migrate import current_revision, head_revision

    head = head_revision()
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    if current == head:
        return "migrations", True, f"at the latest revision ({head})"
    if current is None:
        return "migrations", False, "the database has no critmin schema yet: run `critmin migrate`"
    return "migrations", False, f"at revision {current}, latest is {head}: run `critmin migrate`"


def _reporting_views(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "select table_name from information_schema.views where table_schema = 'reporting' order by 1").fetchall()]


def check_views(url: str) -> Check:
    """Every view of the reporting contract is there, with its columns, types and comments."""
    from etl.reporting.contract import contract_drift

    drift = contract_drift(url)
    missing = [line for line in drift if line.endswith("not in the database")]
    if missing:
        return "reporting views", False, f"{len(missing)} views missing ({missing[0]}): run `critmin migrate`"
    if drift:
        return ("reporting views", False, f"{len(drift)} differences from the reporting contract "
                f"(sql/reporting/contract.yaml), first: {drift[0]}; run `critmin migrate`, or restore hand-edited views")
    return "reporting views", True, "every view of the reporting contract, with its columns, types and comments"


def check_reader(url: str) -> Check:
    """The read-only role reads the reporting views and nothing else."""
    import psycopg

    with psycopg.connect(url) as conn:
        role = conn.execute("select 1 from pg_roles where rolname = 'critmin_reader'").fetchone()
        if not role:
            return "reader role", True, "no critmin_reader role in this server (the reporting migration creates it)"
        too_much = conn.execute(
            """select s from unnest(array['core', 'etl', 'mart', 'intermediate']) s
               where exists (select 1 from pg_namespace where nspname = s)
                 and has_schema_privilege('critmin_reader', s, 'USAGE')""").fetchall()
        can_read = conn.execute(
            "select exists (select 1 from pg_namespace where nspname = 'reporting') "
            "and has_schema_privilege('critmin_reader', 'reporting', 'USAGE')").fetchone()[0]
        views = _reporting_views(conn)
    if too_much:
        schemas = ", ".join(r[0] for r in too_much)
        return "reader role", False, f"critmin_reader may use schema {schemas}: run `critmin migrate` (it revokes that)"
    if not can_read:
        return "reader role", False, "critmin_reader cannot use schema reporting: run `critmin migrate`"
    if external_url():
        return "reader role", True, "critmin_reader reads schema reporting only"
    # Embedded server: the BI login must actually work.
    from etl.db.server import EmbeddedServer

    try:
        reader = EmbeddedServer().reader_info().url()
        with psycopg.connect(reader, connect_timeout=5) as conn:
            if views:
                from psycopg import sql

                conn.execute(sql.SQL("select 1 from {} limit 1").format(sql.Identifier("reporting", views[0]))).fetchall()
    except psycopg.Error as exc:
        reason = mask_url(one_line(exc, last=True))
        return "reader role", False, f"the BI login cannot read: {reason} — run `critmin run` (it creates the login)"
    return "reader role", True, "the BI login reads schema reporting, and critmin_reader nothing else"


def check_marts(url: str) -> Check:
    """The stored marts equal the plain computation (a hand edit of the core tables makes them
    stale until `critmin refresh`)."""
    import psycopg

    from etl.load.marts import stale_marts

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select to_regclass('mart.volume_schedule_part') is not null "
                    "and to_regprocedure('mart.refresh_parts(text[])') is not null")
        if not cur.fetchone()[0]:
            return "marts", False, "the mart tables are missing or from an older revision: run `critmin migrate`"
        stale = {table: n for table, n in stale_marts(cur).items() if n}
    if stale:
        which = ", ".join(f"mart.{t} ({n} rows differ)" for t, n in sorted(stale.items()))
        return "marts", False, f"stale: {which}; the core tables were edited by hand: run `critmin refresh`"
    return "marts", True, "the stored marts equal the plain computation"


def run_checks() -> list[Check]:
    from etl.db.server import critmin_home

    results: list[Check] = [check_versions(), check_disk(critmin_home() if not external_url() else Path.cwd())]
    try:
        url, failed = _url()
    except Exception as exc:  # noqa: BLE001 - a broken home or settings file is a finding too
        return [*results, ("server reachable", False, mask_url(str(exc)))]
    if failed:
        return [*results, failed]
    reach = check_reachable(url)
    results.append(reach)
    if not reach[1]:
        return results
    steps: list[tuple[str, Callable[[str], Check]]] = [
        ("migrations", check_migrations), ("reporting views", check_views), ("reader role", check_reader),
        ("marts", check_marts)]
    for name, step in steps:
        try:
            results.append(step(url))
        except Exception as exc:  # noqa: BLE001 - one failing check must not hide the others
            results.append((name, False, mask_url(one_line(exc))))
    return results
