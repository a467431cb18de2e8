"""`critmin bench`: load-path speed against the plain-COPY limit, in a scratch database."""

from __future__ import annotations

import typer
from rich.table import Table

from etl.cli.common import JsonOption, WorkersOption, err, out
from etl.db.config import owner_url


def bench(
    rows: int = typer.Option(100_000, "--rows", min=100, help="How many synthetic volume facts to load."),
    as_json: bool = JsonOption,
    entity_format: str = typer.Option("json", "--entity-format",
                                      help="json or yaml: write the synthetic facts files as JSON (machine-written) or YAML (curator-written)."),
    workers: int | None = WorkersOption,
    with_peers: bool = typer.Option(False, "--peers", help="Also time pandas to_sql (default and multi) and SQLAlchemy Core executemany writing the same rows into the same schema (slow)."),
) -> None:
    """Measure the load path against the plain-COPY limit, in a scratch database that is dropped after."""
    import json

    from etl.bench import run_bench

    if entity_format not in ("json", "yaml"):
        raise typer.BadParameter(f"unknown entity format {entity_format!r}: use json or yaml", param_hint="--entity-format")
    url = owner_url()
    with err.status("benchmarking") as status:
        result = run_bench(url, rows, progress=lambda msg: status.update(msg), entity_format=entity_format, workers=workers,
                           with_peers=with_peers)
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
        elif isinstance(value, dict):
            for sub, v in value.items():
                table.add_row(f"{key}.{sub}", f"{v:,}" if isinstance(v, int) else str(v))
        elif key != "database":
            table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    out.print(table)


