"""critmin command line: `critmin --help` lists the commands."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
import typer
from psycopg import sql
from rich.console import Console
from rich.table import Table

from etl.db.config import (
    check_reachable,
    database_url,
    external_url,
    mask_url,
    owner_url,
    reader_url,
)
from etl.db.server import EmbeddedServer
from etl.errors import CritminError, UsageError, one_line
from etl.paths import default_seeds_dir

app = typer.Typer(
    help="critmin: an evidence-backed PostgreSQL database of critical-minerals supply-chain agreements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the embedded PostgreSQL server (or show the DATABASE_URL in use).", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

SeedsOption = typer.Option(None, "--seeds", help="Seed folder (default: ./seeds if present, else the bundled seeds).", show_default=False)


def _seeds(seeds: Path | None) -> Path:
    path = seeds or default_seeds_dir()
    if not path.is_dir():
        raise UsageError(f"seed folder {path} does not exist")
    return path.resolve()


# ------------------------------------------------------------------------------------ db


@db_app.command("start")
def db_start(port: int = typer.Option(None, help="Port on 127.0.0.1 (default: the remembered one, else a free one).")) -> None:
    """Start the embedded server (idempotent)."""
    if external_url():
        out.print(f"DATABASE_URL is set; critmin uses {mask_url(external_url())} and starts no server.")
        return
    t0 = time.monotonic()
    info = EmbeddedServer().start(port=port)
    out.print(f"embedded PostgreSQL running on 127.0.0.1:{info.port} (data in {EmbeddedServer().home}) [{time.monotonic() - t0:.1f}s]")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded server."""
    if external_url():
        raise UsageError("DATABASE_URL is set: critmin does not manage that server")
    stopped = EmbeddedServer().stop()
    out.print("embedded PostgreSQL stopped" if stopped else "embedded PostgreSQL was not running")


@db_app.command("status")
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


@db_app.command("url")
def db_url(
    reader: bool = typer.Option(False, "--reader", help="The read-only login for BI tools."),
    show_password: bool = typer.Option(False, "--show-password", help="Print the password instead of ***."),
) -> None:
    """Print the connection URL (password masked unless --show-password)."""
    if reader and not external_url():
        from etl.views import ensure_embedded_reader

        ensure_embedded_reader(database_url())
    url = reader_url() if reader else database_url()
    out.print(url if show_password else mask_url(url), soft_wrap=True)


# ---------------------------------------------------------------------------- migrations


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the latest revision (alembic upgrade head)."""
    from etl.db.migrate import upgrade_head

    url = owner_url()
    upgrade_head(url)
    out.print(f"database at the latest revision: {mask_url(url)}")


# ------------------------------------------------------------------------------------ ETL


PruneOption = typer.Option(True, "--prune/--keep-missing",
                           help="Delete articles whose files are no longer in the seed folder (default), or keep them.")
WorkersOption = typer.Option(None, "--workers", min=1,
                             help="Processes that prepare articles in parallel (default: CRITMIN_WORKERS, else one per core, at most 4).")
AutoOption = typer.Option(True, "--auto/--no-auto",
                          help="Draft facts with the extractor for articles that have no curated file (loaded as review_status 'auto').")


def _print_report(report) -> None:
    for p in report.problems:
        err.print(f"[red]rejected[/red] {p.line()}", soft_wrap=True)
    for w in report.warnings:
        err.print(f"[yellow]warning[/yellow] {w}", soft_wrap=True)


def _progress(seeds: Path, label: str):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        transient=True, console=err, disable=not err.is_terminal)
    articles = seeds / "articles"
    total = sum(1 for _ in articles.iterdir()) if articles.is_dir() else 0
    task = progress.add_task(label, total=total)
    return progress, lambda n: progress.update(task, completed=n)


def _load(seeds: Path, command: str, auto: bool, prune: bool = True, workers: int | None = None) -> int:
    from etl import pipeline

    url = owner_url()
    progress, advance = _progress(seeds, "loading articles")
    with progress:
        report = pipeline.load(
            url, seeds, command, auto=auto, prune=prune, workers=workers,
            on_wait=lambda: err.print("another critmin load is running; waiting for it to finish…"),
            on_progress=advance,
        )
    _print_report(report)
    counts = report.counts
    table = Table(title=f"run {report.run_id}: {seeds}", show_header=True)
    for col in ("articles read", "inserted", "updated", "unchanged", "rejected", "deleted", "fact rows written"):
        table.add_column(col, justify="right")
    table.add_row(str(report.articles_read), str(counts.articles_inserted), str(counts.articles_updated),
                  str(counts.articles_unchanged), str(report.rejected), str(report.deleted), str(counts.facts_inserted))
    out.print(table)
    if report.fatal:
        err.print("[red]nothing was loaded:[/red] the reference files under seeds/reference have errors (listed above)")
    return 1 if report.problems else 0


@app.command()
def validate(seeds: Path = SeedsOption, auto: bool = AutoOption, workers: int | None = WorkersOption) -> None:
    """Check every seed file without writing anything; list each problem."""
    from etl.pipeline import check

    seeds_dir = _seeds(seeds)
    progress, advance = _progress(seeds_dir, "checking articles")
    with progress:
        report = check(seeds_dir, auto=auto, workers=workers, on_progress=advance)
    _print_report(report)
    out.print(f"{report.articles_read} articles read: {report.accepted} valid, "
              f"{report.rejected} rejected, {len(report.problems)} problems")
    raise typer.Exit(1 if report.problems else 0)


@app.command()
def load(seeds: Path = SeedsOption, auto: bool = AutoOption, prune: bool = PruneOption,
         workers: int | None = WorkersOption) -> None:
    """Load the seed folder into the database (unchanged articles are skipped)."""
    raise typer.Exit(_load(_seeds(seeds), "load", auto, prune, workers))


def _counts(url: str) -> dict[str, int]:
    import psycopg

    tables = ("article", "party", "agreement", "volume", "evidence", "market_claim")
    with psycopg.connect(url) as conn:
        return {t: conn.execute(sql.SQL("select count(*) from {}").format(sql.Identifier("core", t))).fetchone()[0]
                for t in tables}


@app.command()
def run(seeds: Path = SeedsOption, auto: bool = AutoOption, prune: bool = PruneOption,
        workers: int | None = WorkersOption) -> None:
    """Start the database if needed, migrate, load every seed, and print how to connect."""
    from etl.db.migrate import upgrade_head

    t0 = time.monotonic()
    seeds_dir = _seeds(seeds)
    url = owner_url()
    upgrade_head(url)
    code = _load(seeds_dir, "run", auto, prune, workers)
    if not external_url():
        from etl.views import ensure_embedded_reader

        ensure_embedded_reader(url)
    counts = _counts(url)
    out.print(
        f"critmin now holds {counts['article']} articles, {counts['agreement']} agreements, "
        f"{counts['party']} parties, {counts['volume']} volumes and {counts['market_claim']} market claims, "
        f"backed by {counts['evidence']} evidence quotes. [{time.monotonic() - t0:.1f}s]"
    )
    out.print(f"connect (owner):  psql \"{mask_url(url)}\"   (password: critmin db url --show-password)", soft_wrap=True)
    if not external_url():
        out.print("connect (BI, read-only): critmin db url --reader --show-password", soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def status(limit: int = typer.Option(5, help="How many recent runs to show.")) -> None:
    """Recent ETL runs and the records they rejected."""
    import psycopg

    url = owner_url()
    with psycopg.connect(url) as conn:
        runs = conn.execute(
            """select run_id, command, status, started_at, finished_at, articles_read, articles_inserted,
                      articles_updated, articles_unchanged, articles_rejected
               from etl.run order by run_id desc limit %s""", (limit,)).fetchall()
        table = Table(title="recent runs")
        for col in ("run", "command", "status", "started", "read", "ins", "upd", "same", "rej"):
            table.add_column(col)
        for r in runs:
            st = r[2] if r[2] != "running" or r[4] else "running/interrupted"
            table.add_row(str(r[0]), r[1], st, f"{r[3]:%Y-%m-%d %H:%M:%S}", *(str(x) for x in r[5:]))
        out.print(table)
        if runs:
            rows = conn.execute(
                "select file, record, field, reason from etl.rejected_row where run_id = %s order by rejected_row_id",
                (runs[0][0],)).fetchall()
            for file, record, field, reason in rows:
                where = file + (f": {record}" if record else "") + (f" field {field}" if field else "")
                out.print(f"rejected in run {runs[0][0]}: {where}: {reason}", soft_wrap=True)


@app.command()
def bench(
    rows: int = typer.Option(100_000, "--rows", min=100, help="How many synthetic volume facts to load."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
    entity_format: str = typer.Option("json", "--entity-format",
                                      help="json or yaml: write the synthetic facts files as JSON (machine-written) or YAML (curator-written)."),
    workers: int | None = WorkersOption,
) -> None:
    """Measure the load path against the plain-COPY limit, in a scratch database that is dropped after."""
    import json

    from etl.bench import run_bench

    if entity_format not in ("json", "yaml"):
        raise click.UsageError(f"unknown entity format {entity_format!r}: use json or yaml")
    url = owner_url()
    with err.status("benchmarking") as status:
        result = run_bench(url, rows, progress=lambda msg: status.update(msg), entity_format=entity_format, workers=workers)
    if as_json:
        print(json.dumps(result))
        return
    table = Table(title=f"critmin bench: {rows:,} volume facts ({result['articles']:,} articles)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if key == "view_query_ms":
            for view, ms in value.items():
                table.add_row(f"reporting.{view} (median ms)", f"{ms:.1f}")
        elif key != "database":
            table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    out.print(table)


def _register_commands() -> None:
    from etl.cli_add import register as register_add
    from etl.cli_doctor import register as register_doctor
    from etl.cli_extract import register as register_extract
    from etl.cli_report import register as register_report

    register_report(app, db_app)
    register_extract(app)
    register_doctor(app)
    register_add(app)


_register_commands()


def main() -> None:
    """Entry point: run the app, turning known errors into one line and an exit status."""
    import psycopg

    try:
        code = app(standalone_mode=False)
    except CritminError as exc:
        err.print(f"[red]critmin:[/red] {mask_url(str(exc))}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except psycopg.Error as exc:
        msg = one_line(exc)
        hint = ""
        if isinstance(exc, psycopg.errors.UndefinedTable | psycopg.errors.InvalidSchemaName):
            hint = " — is the database migrated? run `critmin migrate`"
        elif isinstance(exc, psycopg.errors.InsufficientPrivilege):
            hint = " — this login may not do that (the reader login is read-only)"
        err.print(f"[red]critmin:[/red] database error: {mask_url(msg)}{hint}", soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except Exception as exc:
        # Usage errors: typer vendors its own copy of click's ClickException, so match by name.
        if any(c.__name__ == "ClickException" for c in type(exc).__mro__):
            exc.show()
            sys.exit(2)
        raise
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
