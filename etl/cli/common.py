"""What every command shares: the two consoles, the options defined once, progress and problem lines."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from etl.errors import UsageError
from etl.paths import default_seeds_dir

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

SeedsOption = typer.Option(None, "--seeds", help="Seed folder (default: ./seeds if present, else the bundled seeds).",
                           show_default=False)
PruneOption = typer.Option(True, "--prune/--keep-missing",
                           help="Delete articles whose files are no longer in the seed folder (default), or keep them.")
WorkersOption = typer.Option(None, "--workers", min=1,
                             help="Processes that prepare articles in parallel (default: CRITMIN_WORKERS, else one per core, at most 4).")
AutoOption = typer.Option(True, "--auto/--no-auto",
                          help="Draft facts with the extractor for articles that have no curated file (loaded as review_status 'auto').")
JsonOption = typer.Option(False, "--json", help="Print one JSON object instead of a table.")


def seeds_dir(seeds: Path | None) -> Path:
    """The seed folder a command reads: --seeds, else ./seeds, else the bundled seeds."""
    path = seeds or default_seeds_dir()
    if not path.is_dir():
        raise UsageError(f"seed folder {path} does not exist")
    return path.resolve()


def print_problems(report, *, each_dropped: bool = False) -> None:
    """Each rejected record as one line; the auto-extracted facts left out, each or as a count."""
    for p in report.problems:
        err.print(f"[red]rejected[/red] {p.line()}", soft_wrap=True)
    if each_dropped:
        for p in report.dropped:
            err.print(f"[yellow]not loaded[/yellow] {p.line()}", soft_wrap=True)
    elif report.dropped:
        err.print(f"[yellow]{len(report.dropped)} auto-extracted facts not loaded[/yellow] "
                  "(each with its reason: critmin status)", soft_wrap=True)


def article_progress(seeds: Path, label: str):
    """A progress bar over the seed folder's articles (shown only on a terminal) and its update callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        transient=True, console=err, disable=not err.is_terminal)
    articles = seeds / "articles"
    total = sum(1 for _ in articles.iterdir()) if articles.is_dir() else 0
    task = progress.add_task(label, total=total)
    return progress, lambda n: progress.update(task, completed=n)
