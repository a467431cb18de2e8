"""The bad-input corpus: every case is rejected with one readable line, and nothing else is lost.

Each folder under tests/bad_inputs/<case>/ holds the files that replace or add to a copy of the
seeds (after tests/bad_inputs/_base/, a small valid article and its curated facts), plus
  expected.txt  a regex one printed problem line must match (file, record, field, why)
  rejects.txt   (optional) the article ids that must not be loaded; by default the stems of the
                case's own article/entity files
  README        (optional) what is generated at test time (big files and symlink loops are
                not committed)

For every case `critmin validate --seeds <copy>` (the checking stage, no database) must exit 1,
print one `rejected file: record field name: why` line per problem and no traceback, and find
every other article valid. For DB_CASES (one of each kind of check) and CLI_CASES `critmin load`
also runs against a fresh database and must load every other article, keep each rejected record
in etl.rejected_row and leave no article half-loaded.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SEEDS, create_database, critmin, drop_database, query

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
BASE = CORPUS / "_base"
BASE_ID = "bad-input-case"
META_FILES = {"expected.txt", "rejects.txt", "README"}
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
CLEAN_IDS = {p.stem for p in (SEEDS / "articles").glob("*.md")} | {BASE_ID}


# --------------------------------------------------------------- files made at test time


def _fifty_mb(seeds: Path) -> None:
    path = seeds / "articles" / f"{BASE_ID}.md"
    head = path.read_bytes()
    with open(path, "ab") as fh:
        fh.write(head)
        line = b"Korea Zinc agreed to supply antimony. " * 27 + b"\n"
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))


def _symlink_loop(seeds: Path) -> None:
    arts = seeds / "articles"
    os.symlink("loop2.md", arts / "loop.md")
    os.symlink("loop.md", arts / "loop2.md")


def _directory_as_seed(seeds: Path) -> None:
    path = seeds / "entities" / f"{BASE_ID}.yaml"
    path.unlink()
    path.mkdir()
    (path / "inside.yaml").write_text("article: bad-input-case\n")


def _non_utf8_name(seeds: Path) -> None:
    text = (BASE / "articles" / f"{BASE_ID}.md").read_text().replace("id: bad-input-case\n", "")
    (seeds / "articles").joinpath(os.fsdecode(b"bad-\xff-name.md")).write_text(text)


GENERATED = {
    "file-name-not-utf8": _non_utf8_name,
    "file-of-50-mb": _fifty_mb,
    "symlink-loop": _symlink_loop,
    "directory-named-like-a-seed": _directory_as_seed,
}


def build_seeds(case: str, dest: Path) -> Path:
    """seeds/ + _base + the case's files (+ what the case generates), in `dest`."""
    shutil.copytree(SEEDS, dest)
    shutil.copytree(BASE, dest, dirs_exist_ok=True)
    folder = CORPUS / case
    for src in folder.rglob("*"):
        if src.is_file() and src.relative_to(folder).as_posix() not in META_FILES:
            target = dest / src.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    if case in GENERATED:
        GENERATED[case](dest)
    return dest


def expected(case: str) -> re.Pattern[str]:
    return re.compile((CORPUS / case / "expected.txt").read_text(encoding="utf-8").strip())


def rejected_ids(case: str) -> set[str]:
    folder = CORPUS / case
    listed = folder / "rejects.txt"
    if listed.exists():
        return {ln.strip() for ln in listed.read_text().splitlines() if ln.strip() and not ln.startswith("#")}
    return {p.stem for sub in ("articles", "entities") for p in (folder / sub).glob("*")} or {BASE_ID}


# ------------------------------------------------------------------------------ the runs
# Every case goes through the checking stage (`critmin validate`, no database); the cases below also
# go through a real load into their own database, which proves the rest is loaded, the rejected
# records are kept and nothing is half-written; CLI_CASES run `python -m etl load` as a process.
DB_CASES = [
    "yaml-unclosed-bracket", "evidence-not-in-text", "id-sql-metacharacters", "key-sql-metacharacters",
    "unknown-kind", "duplicate-article-id", "entity-for-missing-article", "invalid-utf8-entity",
    "number-disagrees-with-quote", "period-ends-before-it-starts",
]


@dataclass
class Outcome:
    returncode: int | str
    stdout: str
    stderr: str
    url: str | None = None


def _load_case(case: str, server_url: str, template_db: str, tmp_path: Path) -> Iterator[Outcome]:
    name = f"critmin_bad_{uuid.uuid4().hex[:10]}"
    url = create_database(server_url, name, template=template_db)
    try:
        result = critmin("load", "--seeds", str(build_seeds(case, tmp_path / "seeds")), env={"DATABASE_URL": url})
        yield Outcome(result.returncode, result.stdout, result.stderr, url)
    finally:
        drop_database(server_url, name)


@pytest.fixture
def loaded_case(request, server_url, template_db, tmp_path) -> Iterator[Outcome]:
    yield from _load_case(request.param, server_url, template_db, tmp_path)


def test_corpus_is_big_enough():
    assert len(CASES) >= 30
    for case in CASES:
        assert (CORPUS / case / "expected.txt").is_file(), case
        expected(case)  # compiles


def test_base_case_alone_loads_cleanly(db, tmp_path):
    """The corpus' base article is valid: each case fails only because of its own change."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(BASE, seeds, dirs_exist_ok=True)
    result = critmin("load", "--seeds", str(seeds), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    assert {r[0] for r in query(db, "select article_id from core.article")} == CLEAN_IDS


def _problem_lines(stderr: str) -> list[str]:
    return [ln.removeprefix("rejected ") for ln in stderr.splitlines() if ln.strip()]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported(case, tmp_path):
    """The checking stage alone (no database): exit 1, one readable line per problem, the
    expected one among them, and every other article valid."""
    result = critmin("validate", "--seeds", str(build_seeds(case, tmp_path / "seeds")))
    problems = check_lines(case, Outcome(result.returncode, result.stdout, result.stderr))
    summary = re.search(r"(\d+) articles read: (\d+) valid, (\d+) rejected, (\d+) problems", result.stdout)
    assert summary and int(summary[4]) == len(problems), result.stdout
    assert int(summary[2]) == len(CLEAN_IDS - rejected_ids(case)), result.stdout


@pytest.mark.parametrize("loaded_case", DB_CASES, indirect=True)
def test_bad_input_keeps_the_rest_loaded(loaded_case, request):
    check_outcome(request.node.callspec.params["loaded_case"], loaded_case)


CLI_CASES = ["file-of-50-mb", "symlink-loop", "file-name-not-utf8", "invalid-utf8-article", "id-sql-metacharacters", "yaml-alias-bomb"]


@pytest.mark.parametrize("case", CLI_CASES)
def test_bad_input_cli(db, tmp_path, case):
    """The same checks with `python -m etl load` as its own process."""
    seeds = build_seeds(case, tmp_path / "seeds")
    result = critmin("load", "--seeds", str(seeds), env={"DATABASE_URL": db}, subprocess_=True)
    check_outcome(case, Outcome(result.returncode, result.stdout, result.stderr, db))


def check_lines(case: str, result: Outcome) -> list[str]:
    """Exit 1, no traceback, only `rejected …` lines, the expected one among them; the problems."""
    stderr = result.stderr
    assert "Traceback" not in stderr, stderr[-3000:]
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stdout[-2000:]}\n{stderr[-3000:]}"
    lines = stderr.splitlines()
    assert all(ln.startswith("rejected ") for ln in lines if ln.strip()), stderr[-3000:]
    problems = _problem_lines(stderr)
    pattern = expected(case)
    assert any(pattern.search(ln) for ln in problems), f"no line matches {pattern.pattern!r}:\n" + "\n".join(problems)
    # Readable: one short line each, the file first.
    for ln in problems:
        assert len(ln) < 600, ln[:300]
        assert re.match(r"^(articles|entities|reference)/[^:]+(: |$)", ln), ln
    return problems


def check_outcome(case: str, result: Outcome) -> None:
    """check_lines, then the database: rejections kept, the rest loaded, nothing half-loaded."""
    problems = check_lines(case, result)
    pattern = expected(case)
    url = result.url
    assert url is not None

    # Every problem is kept in etl.rejected_row, under a run marked partial.
    runs = query(url, "select run_id, status from etl.run")
    assert [s for _, s in runs] == ["partial"], runs
    rows = query(url, "select file, record, field, reason from etl.rejected_row where run_id = %s", (runs[0][0],))
    assert len(rows) == len(problems), (rows, problems)
    kept = [f + (f": {r}" if r else "") + (f" field {fl}" if fl else "") + f": {why}" for f, r, fl, why in rows]
    assert any(pattern.search(k) for k in kept), kept

    # Everything else is loaded; the broken article is not.
    loaded = {r[0] for r in query(url, "select article_id from core.article")}
    rejects = rejected_ids(case)
    assert CLEAN_IDS - rejects <= loaded, sorted(CLEAN_IDS - rejects - loaded)
    assert not (rejects & loaded), sorted(rejects & loaded)
    assert loaded <= CLEAN_IDS, sorted(loaded - CLEAN_IDS)
    # No half-loaded article: every loaded article's facts point at its own stored text.
    assert query(url, """select count(*) from core.evidence e join core.article a using (article_id)
                         where substr(a.body, e.start_offset + 1, e.end_offset - e.start_offset) <> e.quote""") == [(0,)]


@pytest.mark.parametrize("loaded_case", ["id-sql-metacharacters", "key-sql-metacharacters"], indirect=True)
def test_core_tables_untouched_by_sql_in_ids(loaded_case):
    """The ids with SQL in them did not run: the tables they name are still there and full."""
    url = loaded_case.url
    assert query(url, "select count(*) from core.article")[0][0] == len(CLEAN_IDS) - 1
    assert query(url, "select count(*) from core.agreement")[0][0] > 10


def test_validate_reports_the_same_problems_without_writing(db, tmp_path):
    seeds = build_seeds("unknown-kind", tmp_path / "seeds")
    result = critmin("validate", "--seeds", str(seeds), env={"DATABASE_URL": db})
    assert result.returncode == 1
    assert expected("unknown-kind").search(result.stderr)
    assert query(db, "select count(*) from etl.run") == [(0,)]
    assert query(db, "select count(*) from core.article") == [(0,)]

