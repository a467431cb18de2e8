"""`critmin add`: page dumps, HTML pages, Markdown, URLs and feeds → seeds/articles/<id>.md."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import typer

from etl.errors import ConfigError

SOURCES_ARG = typer.Argument(..., help="Page dumps (.txt), HTML files, Markdown with front matter, URLs, "
                             "RSS/Atom feeds (files or URLs).", show_default=False)
SEEDS_OPT = typer.Option(None, "--seeds", help="Seed folder to add to (default: ./seeds if present). A new "
                         "folder gets articles/ and a copy of the reference lexicons.", show_default=False)
LOAD_OPT = typer.Option(False, "--load", help="Load the seed folder into the database after adding (as `critmin load`, without pruning).")
ID_OPT = typer.Option(None, "--id", help="Article id (slug of a-z, 0-9 and hyphens, at most 80 characters); one source only.")
LANG_OPT = typer.Option(None, "--language", help="ko or en (default: ko when more than 30% of the letters are Hangul).")
DATE_OPT = typer.Option(None, "--published-on", help="YYYY-MM-DD, YYYY-MM, YYYY or unknown (overrides what the page states).")
PUBLISHER_OPT = typer.Option(None, "--publisher", help="Publisher name (overrides what the page states).")
FORCE_OPT = typer.Option(False, "--force", help="Add near-copies of existing articles too (same URL or same text is never added twice).")


def _seeds_dir(seeds: Path | None) -> Path:
    from etl.paths import PACKAGE_DIR, default_seeds_dir

    path = seeds or default_seeds_dir()
    if seeds is None and PACKAGE_DIR / "_bundled" in path.resolve().parents:
        raise typer.BadParameter("no ./seeds folder here: give --seeds DIR (the seeds bundled in the "
                                 "installed package are not written to)", param_hint="--seeds")
    if path.exists() and not path.is_dir():
        raise typer.BadParameter(f"{path} is not a folder", param_hint="--seeds")
    return path.resolve()


def _load(seeds: Path) -> int:
    """The one place `add --load` loads: the same path as `critmin load` (etl.pipeline.load)."""
    from etl.cli.load import load_seeds

    return load_seeds(seeds, "add", auto=True, prune=False)


def _checked_flags(sources: list[str], article_id: str | None, language: str | None,
                   published_on: str | None, publisher: str | None) -> date | None:
    """Usage errors in the flags (exit 2) before anything is fetched; returns the parsed --published-on."""
    from etl.ingest.metadata import MAX_ID, parse_flag_date

    if article_id is not None:
        if len(sources) != 1:
            raise typer.BadParameter("--id names one article: give one source", param_hint="--id")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", article_id) or len(article_id) > MAX_ID:
            raise typer.BadParameter(f"{article_id!r} is not a slug of a-z, 0-9 and hyphens of at most {MAX_ID} characters",
                                     param_hint="--id")
    if language is not None and language not in ("ko", "en"):
        raise typer.BadParameter(f"{language!r}: use ko or en", param_hint="--language")
    if publisher is not None and not publisher.strip():
        raise typer.BadParameter("an empty name", param_hint="--publisher")
    if published_on is None:
        return None
    try:
        return parse_flag_date(published_on)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--published-on") from None


def _report(notices: list[str], outcomes: list, seeds_dir: Path) -> tuple[int, int]:
    """Print each source's outcome and the summary line; returns (failed, added)."""
    for n in notices:
        typer.echo(n)
    for o in outcomes:
        if o.is_error:
            typer.echo(f"error: {o.source}: {o.message}", err=True)
            continue
        typer.echo(f"{o.source}: {o.message}")
        for line in o.report:
            typer.echo(f"    {line}")
    added = sum(o.status == "added" for o in outcomes)
    errors = sum(o.is_error for o in outcomes)
    skipped = len(outcomes) - added - errors
    typer.echo(f"{added} added, {skipped} skipped (already there, near-copies, not relevant), "
               f"{errors} failed; seed folder {seeds_dir}")
    return errors, added


def add(
    sources: list[str] = SOURCES_ARG,
    seeds: Path = SEEDS_OPT,
    load: bool = LOAD_OPT,
    article_id: str = ID_OPT,
    language: str = LANG_OPT,
    published_on: str = DATE_OPT,
    publisher: str = PUBLISHER_OPT,
    force: bool = FORCE_OPT,
) -> None:
    """Clean pages into seed articles with honest metadata; duplicates are refused.

    Exit status: 0 when every source was added or is already there (or was skipped as a
    duplicate, near-copy or not relevant); 1 when a source could not be read or cleaned;
    2 for a usage error."""
    from etl.ingest.add import Options, add_sources
    from etl.ingest.dump import DebrisError

    flag_date = _checked_flags(sources, article_id, language, published_on, publisher)
    seeds_dir = _seeds_dir(seeds)
    opts = Options(seeds_dir, article_id, language, flag_date, publisher.strip() if publisher else None, force)
    try:
        notices, outcomes = add_sources(list(sources), opts)
    except DebrisError as exc:  # the page-debris patterns themselves are broken: exit 2
        raise ConfigError(str(exc)) from None
    errors, added = _report(notices, outcomes, seeds_dir)
    code = 1 if errors else 0
    if load and added:
        code = max(code, _load(seeds_dir))
    elif load:
        typer.echo("--load: nothing new to load")
    raise typer.Exit(code)
