"""`critmin extract`, `critmin draft` and `critmin eval`: the automatic extractor on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import typer

from etl.cli.common import JsonOption, SeedsOption
from etl.errors import UsageError
from etl.sources.seeds import MAX_FILE_BYTES, split_front_matter

FORMATS = ("json", "table")
FILE_ARG = typer.Argument(..., help="Article: plain text, or Markdown with YAML front matter.")
FORMAT_OPT = typer.Option("json", "--format", "-f", help="json (the shape in README.md) or table.")
OUTPUT_OPT = typer.Option(None, "--output", "-o", help="Write the YAML here (default: standard output).")
GOLD_OPT = typer.Option(None, "--gold", help="Score against this gold file (format of the shared eval gold.yaml).",
                        show_default=False)


def _fail(msg: str) -> NoReturn:
    raise UsageError(msg)


def _read(path: Path) -> str:
    try:
        if not path.exists():
            _fail(f"{path}: no such file")
        if path.is_dir():
            _fail(f"{path}: is a directory, not an article file")
        if path.stat().st_size > 4 * MAX_FILE_BYTES:
            _fail(f"{path}: file is over {4 * MAX_FILE_BYTES // 1024 // 1024} MB")
        data = path.read_bytes()
    except OSError as exc:
        _fail(f"{path}: cannot read file: {exc.strerror or exc}")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        _fail(f"{path}: not UTF-8 text (byte {exc.start}): save the file as UTF-8")


def _table(result: dict) -> str:
    a = result["article"]
    lines = [f"article: {a['title'] or '(no title)'} | {a['published_on'] or 'date unknown'} | {a['language']}",
             "", "parties:"]
    for p in result["parties"]:
        lines.append(f"  {p['name']:<45} {p['type'] or '-':<18} {p['country'] or '-':<3} {', '.join(p['aliases'][:4])}")
    mentioned = ", ".join(p["name"] for p in result.get("mentioned_parties", []))
    lines += ["", "mentioned only (in no deal): " + (mentioned or "-")]
    lines += ["", "minerals: " + (", ".join(result["minerals"]) or "-"), "", "agreements:"]
    for g in result["agreements"]:
        parties = "; ".join(f"{p['name']} ({p['role']})" for p in g["parties"])
        lines.append(f"  {g['kind']:<18} {g['status']:<12} {parties}")
        lines.append(f"  {'':<18} minerals: {', '.join(g['minerals']) or '-'}; announced: {g['announced_on'] or '-'}")
        lines.append(f"  {'':<18} \u201c{g['evidence'][:110]}\u201d [{g['start']}:{g['end']}]")
    lines += ["", "volumes:"]
    for v in result["volumes"]:
        period = f"{v['period_start'] or '…'} – {v['period_end'] or '…'}" if v["period_start"] or v["period_end"] else "-"
        lines.append(f"  {v['mineral'] or '-':<18} {v['quantity']:>18,.2f} {v['unit']:<5} {v['measure']:<6} {v['bound']:<9}"
                     f" {'per year' if v['per_year'] else '':<8} {period}  \u201c{v['evidence']}\u201d [{v['start']}:{v['end']}]")
    lines += ["", "context figures (market, resource, plant; no deal term):"]
    for v in result.get("context_figures", []):
        lines.append(f"  {v['quantity']:>18,.2f} {v['unit']:<5} \u201c{v['evidence']}\u201d [{v['start']}:{v['end']}]  {v['why']}")
    return "\n".join(lines)


def extract(
    file: Path = FILE_ARG,
    format: str = FORMAT_OPT,
) -> None:
    """Extract parties, minerals, agreements and volumes (with evidence) from one article."""
    from etl.extractor import extract_article

    if format not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    text = _read(file)
    try:
        result = extract_article(text)
    except ValueError as exc:
        _fail(f"{file}: {exc}")
    if format == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(_table(result))

def draft(
    file: Path = FILE_ARG,
    output: Path = OUTPUT_OPT,
) -> None:
    """Draft a curated entity file (seeds/entities format) for review."""
    _draft(file, output)

def eval_(
    seeds: Path = SeedsOption,
    gold: Path = GOLD_OPT,
    as_json: bool = JsonOption,
) -> None:
    """Score the extractor: against the curated entity files, or a gold file with --gold."""
    if gold is not None:
        _eval_gold(gold, seeds, as_json)
    else:
        _eval_seeds(seeds, as_json)
    sys.stdout.flush()


def _eval_seeds(seeds: Path | None, as_json: bool) -> None:
    from etl.extractor.evaluation import evaluate, format_table
    from etl.paths import default_seeds_dir

    path = seeds or default_seeds_dir()
    if not (path / "articles").is_dir():
        _fail(f"seed folder {path} has no articles/ folder")
    try:
        report = evaluate(path)
    except ValueError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(format_table(report))
        typer.echo("targets met" if report.meets_targets() else "targets NOT met", err=False)


def _eval_gold(gold: Path, seeds: Path | None, as_json: bool) -> None:
    from etl.extractor import extract_article, lexicon_for
    from etl.extractor.evaluation import evaluate_gold, format_gold_table
    from etl.extractor.evaluation.gold import lexicon_forms
    from etl.paths import default_seeds_dir

    if not gold.is_file():
        _fail(f"{gold}: no such gold file")
    lexicon = lexicon_for(str(seeds or default_seeds_dir()))
    try:
        report = evaluate_gold(gold, lambda meta, body: extract_article((meta, body), lexicon=lexicon),
                               lexicon_forms(lexicon), lexicon.lex.mineral)
    except ValueError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(format_gold_table(report))


def _draft(file: Path, output: Path | None) -> None:
    from etl.extractor import draft_entities, draft_yaml
    from etl.sources.seeds import parse_yaml
    from etl.transform.lexicon import slugify

    text = _read(file)
    front, body = split_front_matter(text)
    meta = {}
    if front is not None:
        problems: list = []
        loaded = parse_yaml(front, str(file), problems, record="front matter")
        if problems:
            _fail(problems[0].line())
        meta = loaded if isinstance(loaded, dict) else {}
        body = body.strip("\n")
    article_id = str(meta.get("id") or slugify(file.stem) or "article")
    try:
        draft, dropped = draft_entities(article_id, body, meta.get("published_on"), meta.get("language"),
                                        title=meta.get("title"))
    except ValueError as exc:
        _fail(f"{file}: {exc}")
    out = draft_yaml(draft, source=str(file), dropped=dropped)
    if output is None:
        typer.echo(out, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(out, encoding="utf-8")
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror or exc}")
    typer.echo(f"wrote {output} ({len(draft['agreements'])} agreements, {len(draft['parties'])} parties): review it before committing", err=True)
