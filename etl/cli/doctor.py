"""`critmin doctor`: check the setup and say what to fix."""

from __future__ import annotations

import typer
from rich.markup import escape

from etl.cli.common import err, out


def doctor() -> None:
    """Check the setup (server, migrations, views, reader role, disk, versions) and say what to fix."""
    from etl.db.doctor import run_checks

    results = run_checks()
    for name, ok, message in results:
        mark = "[green]ok[/green]  " if ok else "[red]FAIL[/red]"
        out.print(f"{mark} {escape(name)}: {escape(message)}", soft_wrap=True)
    failed = [r for r in results if not r[1]]
    if failed:
        out.print(f"{len(failed)} of {len(results)} checks failed: fix them as said above", soft_wrap=True)
    raise typer.Exit(1 if failed else 0)


def refresh() -> None:
    """Recompute the stored marts from the core tables (after editing core tables by hand)."""
    import psycopg

    from etl.db.config import owner_url
    from etl.load.marts import refresh_all
    from etl.load.write import acquire_load_lock

    with err.status("refreshing the marts"), psycopg.connect(owner_url()) as conn, conn.cursor() as cur:
        acquire_load_lock(cur, on_wait=lambda: err.print("waiting for another load to finish"))
        refresh_all(cur)
    out.print("marts refreshed: reporting.volume_schedule and reporting.mineral_summary are current")
