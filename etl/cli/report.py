"""`critmin report`, `export` and `docs`: the reporting views in the terminal, as files, as a data dictionary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from etl.cli.common import out
from etl.db.config import owner_url
from etl.errors import UsageError
from etl.reporting.dictionary import data_dictionary, write_data_dictionary
from etl.reporting.export import EXPORT_FORMATS
from etl.reporting.export import export as export_views
from etl.reporting.terminal import format_value, report_tables


def report(
    view: str = typer.Argument(None, help="A reporting view (default: agreements, volume_schedule and conflicts)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Show at most this many rows per view."),
) -> None:
    """Show the key reporting views (or one view) as tables in the terminal."""
    tables = report_tables(owner_url(), view, limit)
    for data in tables:
        shown = f"{len(data.rows)} of {data.total_rows}" if len(data.rows) < data.total_rows else str(data.total_rows)
        table = Table(title=f"reporting.{data.view}: {data.title} ({shown} rows)", title_justify="left",
                      show_lines=False)
        for column in data.columns:
            table.add_column(column, overflow="fold")
        for row in data.rows:
            table.add_row(*(format_value(v) for v in row))
        out.print(table)


def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write <view>.csv|parquet and manifest.json into.")],
    fmt: str = typer.Option("csv", "--format", help="csv or parquet."),
) -> None:
    """Export every reporting view to files (with a manifest: view, rows, columns, exported_at)."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use csv or parquet")
    manifest = export_views(owner_url(), fmt, directory)
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
        out.print(data_dictionary(url), soft_wrap=True, markup=False, end="")
        return
    write_data_dictionary(url, output)
    out.print(f"data dictionary written to {output}")
