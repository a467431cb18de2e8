"""The replaceable objects (views, functions) declared by the files under `sql/`.

* `sql/intermediate/<view>.sql`: private views holding the shared rules once (schema
  `intermediate`, which the reader cannot use);
* `sql/reporting/<view>.sql`: the reporting contract, reading core, intermediate and mart;
* `sql/functions/<schema>.<name>.sql`: the functions the load calls (mart refresh, settling);
* the reader's grants: SELECT on every reporting view's columns (named by its comment statements).

Each view file is `create or replace view <schema>.<name> as …;` followed by its `comment on`
statements. `entities()` turns the files into alembic_utils entities, which migrations/env.py
registers: `alembic check` then compares the database's view and function definitions with these
files (drift), and `alembic revision --autogenerate` writes a revision carrying their frozen text.
Revisions never read these files: they carry their own copies (migrations/frozen/<rev>/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from alembic_utils.pg_function import PGFunction
from alembic_utils.pg_grant_table import PGGrantTable
from alembic_utils.pg_view import PGView

from etl.paths import resource_dir

# Dependency order: a view comes after the views it reads.
VIEW_LAYERS = ("intermediate", "reporting")
INTERMEDIATE_ORDER = (
    "agreement_sources", "compared_volumes", "counted_volumes", "volume_schedule_parts",
    "mineral_summary_parts", "volume_schedule", "mineral_summary",
)

# A statement ends with ';' at the end of a line (comment texts hold '; ' inside quotes).
_STATEMENT_END = re.compile(r";[ \t]*\n")


@dataclass
class ViewFile:
    schema: str
    name: str
    create: str  # the create or replace view statement
    comments: list[str]  # the comment on statements

    def entity(self) -> PGView:
        return PGView.from_sql(self.create)

    def columns(self) -> list[str]:
        """The view's columns, as its comment on column statements name them (one per column)."""
        prefix = f"comment on column {self.schema}.{self.name}."
        return [c[len(prefix):].split()[0] for c in self.comments if c.startswith(prefix)]


def split_statements(text: str) -> list[str]:
    return [s.strip() for s in _STATEMENT_END.split(text.strip() + "\n") if s.strip()]


def parse_view_file(path: Path, schema: str) -> ViewFile:
    statements = split_statements(path.read_text(encoding="utf-8"))
    create, comments = statements[0], statements[1:]
    if not create.startswith(f"create or replace view {schema}.{path.stem} as"):
        raise ValueError(f"{path}: must start with create or replace view {schema}.{path.stem} as")
    bad = [c for c in comments if not c.startswith("comment on ")]
    if bad:
        raise ValueError(f"{path}: only comment on statements may follow the view: {bad[0][:60]}")
    return ViewFile(schema, path.stem, create, comments)


def view_files(schema: str) -> list[ViewFile]:
    folder = resource_dir("sql") / schema
    names = sorted(p.stem for p in folder.glob("*.sql"))
    if schema == "intermediate":
        unknown = set(names) - set(INTERMEDIATE_ORDER)
        if unknown:
            raise ValueError(f"add {sorted(unknown)} to etl.db.objects.INTERMEDIATE_ORDER")
        names = [n for n in INTERMEDIATE_ORDER if n in names]
    return [parse_view_file(folder / f"{n}.sql", schema) for n in names]


def function_files() -> list[tuple[str, str]]:
    """(file name, text) of every function file."""
    folder = resource_dir("sql") / "functions"
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.sql"))]


READER_ROLE = "critmin_reader"  # etl.reporting.roles.READER_ROLE (migration 0002 creates it)


def grants() -> list[PGGrantTable]:
    """The reader's SELECT on every column of every reporting view, and nothing else."""
    return [PGGrantTable(schema="reporting", table=v.name, columns=sorted(v.columns()), role=READER_ROLE,
                         grant="SELECT", with_grant_option=False)
            for v in view_files("reporting")]


def entities() -> list[PGView | PGFunction | PGGrantTable]:
    """Every view, function and grant the sql/ files declare, in dependency order."""
    out: list[PGView | PGFunction | PGGrantTable] = []
    for schema in VIEW_LAYERS:
        out.extend(v.entity() for v in view_files(schema))
    out.extend(PGFunction.from_sql(text.strip().rstrip(";")) for _, text in function_files())
    out.extend(grants())
    return out
