"""Reporting commands: `critmin report`, `critmin export`, `critmin docs`, `critmin db create-reader`.

etl/cli.py calls `register(app, db_app)`; errors are raised as CritminError subclasses, which
`etl.cli.main` turns into one line and exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlsplit, urlunsplit

import typer
from rich.console import Console
from rich.table import Table

from etl import views
from etl.db.config import mask_url, owner_url
from etl.errors import UsageError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _with_login(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}" + (
        f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def report(
    view: str = typer.Argument(None, help="A reporting view (default: agreements, volume_schedule and conflicts)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Show at most this many rows per view."),
) -> None:
    """Show the key reporting views (or one view) as tables in the terminal."""
    tables = views.report_tables(owner_url(), view, limit)
    for data in tables:
        shown = f"{len(data.rows)} of {data.total_rows}" if len(data.rows) < data.total_rows else str(data.total_rows)
        table = Table(title=f"reporting.{data.view}: {data.title} ({shown} rows)", title_justify="left",
                      show_lines=False)
        for column in data.columns:
            table.add_column(column, overflow="fold")
        for row in data.rows:
            table.add_row(*(views.format_value(v) for v in row))
        out.print(table)


def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write <view>.csv|parquet and manifest.json into.")],
    fmt: str = typer.Option("csv", "--format", help="csv or parquet."),
) -> None:
    """Export every reporting view to files (with a manifest: view, rows, columns, exported_at)."""
    if fmt not in views.EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use csv or parquet")
    manifest = views.export(owner_url(), fmt, directory)
    total = sum(entry["rows"] for entry in manifest["views"])
    out.print(f"exported {len(manifest['views'])} views ({total} rows) as {fmt} to {directory} "
              f"(manifest: {Path(directory) / 'manifest.json'})", soft_wrap=True)


def docs(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file (in a file with the data-dictionary markers, "
                               "only that part is replaced); default: print.")] = None,
) -> None:
    """Write the data dictionary of the reporting views (Markdown, from their comments)."""
    url = owner_url()
    if output is None:
        out.print(views.data_dictionary(url), soft_wrap=True, markup=False, end="")
        return
    views.write_data_dictionary(url, output)
    out.print(f"data dictionary written to {output}")


def create_reader(
    name: str = typer.Argument(..., help="Login name to create (lower-case letters, digits, _)."),
    sql_only: bool = typer.Option(False, "--sql-only", help="Print the SQL instead of running it."),
) -> None:
    """Create a read-only login (member of critmin_reader) with a generated password, shown once."""
    password = views.generate_password()
    if sql_only:
        out.print(views.reader_sql(name, password), soft_wrap=True, markup=False, end="")
        return
    url = owner_url()
    views.ensure_reader_login(url, name, password)
    out.print(f"login {name} can now read the reporting schema (and nothing else).")
    out.print(f"password (shown once, store it now): {password}", soft_wrap=True, markup=False)
    out.print(f"URL: {_with_login(url, name, password)}", soft_wrap=True, markup=False)
    err.print(f"(owner connection used: {mask_url(url)})", soft_wrap=True)


def register(app: typer.Typer, db_app: typer.Typer) -> None:
    """Add the reporting commands to the critmin app and its `db` group."""
    app.command("report")(report)
    app.command("export")(export)
    app.command("docs")(docs)
    db_app.command("create-reader")(create_reader)
