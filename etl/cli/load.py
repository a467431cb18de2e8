"""`critmin run`, `load`, `validate` and `status`: the ETL flow on the command line."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from psycopg import sql
from rich.table import Table

from etl.cli.common import (
    AutoOption,
    PruneOption,
    SeedsOption,
    WorkersOption,
    article_progress,
    err,
    out,
    print_problems,
    seeds_dir,
)
from etl.db.config import external_url, mask_url, owner_url


def load_seeds(seeds: Path, command: str, auto: bool, prune: bool = True, workers: int | None = None) -> int:
    """Load a seed folder with a progress bar, print its problems and a summary table; the exit status."""
    from etl import pipeline

    url = owner_url()
    progress, advance = article_progress(seeds, "loading articles")
    with progress:
        report = pipeline.load(
            url, seeds, command, auto=auto, prune=prune, workers=workers,
            on_wait=lambda: err.print("another critmin load is running; waiting for it to finish…"),
            on_progress=advance,
        )
    print_problems(report)
    counts = report.counts
    table = Table(title=f"run {report.run_id}: {seeds}", show_header=True)
    for col in ("articles read", "inserted", "updated", "unchanged", "rejected", "deleted", "fact rows written",
                "auto facts not loaded"):
        table.add_column(col, justify="right")
    table.add_row(str(report.articles_read), str(counts.articles_inserted), str(counts.articles_updated),
                  str(counts.articles_unchanged), str(report.rejected), str(report.deleted), str(counts.facts_inserted),
                  str(len(report.dropped)))
    out.print(table)
    if report.fatal:
        err.print("[red]nothing was loaded:[/red] the reference files under seeds/reference have errors (listed above)")
    return 1 if report.problems else 0


def validate(seeds: Path = SeedsOption, auto: bool = AutoOption, workers: int | None = WorkersOption) -> None:
    """Check every seed file without writing anything; list each problem."""
    from etl.pipeline.flow import check

    folder = seeds_dir(seeds)
    progress, advance = article_progress(folder, "checking articles")
    with progress:
        report = check(folder, auto=auto, workers=workers, on_progress=advance)
    print_problems(report, each_dropped=True)
    out.print(f"{report.articles_read} articles read: {report.accepted} valid, "
              f"{report.rejected} rejected, {len(report.problems)} problems")
    raise typer.Exit(1 if report.problems else 0)


def load(seeds: Path = SeedsOption, auto: bool = AutoOption, prune: bool = PruneOption,
         workers: int | None = WorkersOption) -> None:
    """Load the seed folder into the database (unchanged articles are skipped)."""
    raise typer.Exit(load_seeds(seeds_dir(seeds), "load", auto, prune, workers))


def _counts(url: str) -> dict[str, int]:
    import psycopg

    tables = ("article", "party", "agreement", "volume", "evidence", "market_claim")
    with psycopg.connect(url) as conn:
        return {t: conn.execute(sql.SQL("select count(*) from {}").format(sql.Identifier("core", t))).fetchone()[0]
                for t in tables}


def run(seeds: Path = SeedsOption, auto: bool = AutoOption, prune: bool = PruneOption,
        workers: int | None = WorkersOption) -> None:
    """Start the database if needed, migrate, load every seed, and print how to connect."""
    from etl.db.migrate import upgrade_head

    t0 = time.monotonic()
    folder = seeds_dir(seeds)
    url = owner_url()
    upgrade_head(url)
    code = load_seeds(folder, "run", auto, prune, workers)
    if not external_url():
        from etl.reporting.roles import ensure_embedded_reader

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
                label = "not loaded" if reason.startswith("auto-extracted") else "rejected"
                out.print(f"{label} in run {runs[0][0]}: {where}: {reason}", soft_wrap=True)


