"""`critmin doctor`: check the setup and say what to fix."""

from __future__ import annotations

import typer
from rich.markup import escape

from etl.cli.common import out


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
