"""The reporting views: their SQL files and the catalogue read back from the database.

Each reporting view lives in one file, `sql/reporting/<view>.sql` (found with
`resource_dir("sql")`, so a wheel works too). Migrations never read these files: each revision
carries the text it applies (migrations/frozen/<rev>/), and `alembic check` compares the files
with the database through the alembic_utils entities of etl/db/objects.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from etl.errors import UsageError
from etl.paths import resource_dir

SCHEMA = "reporting"


_VIEW_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def reporting_dir() -> Path:
    return resource_dir("sql") / "reporting"


def view_names() -> list[str]:
    """Names of the views the current `sql/reporting/*.sql` files define (alphabetical)."""
    return sorted(p.stem for p in reporting_dir().glob("*.sql") if not p.name.startswith("_"))


def view_sql(name: str) -> str:
    """The SQL file of a reporting view."""
    if not _VIEW_NAME.match(name):
        raise ValueError(f"not a view name: {name!r}")
    path = reporting_dir() / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file for view reporting.{name}: {path}")
    return path.read_text(encoding="utf-8")


@dataclass
class ViewColumn:
    name: str
    data_type: str
    comment: str | None


@dataclass
class ViewInfo:
    name: str
    comment: str | None
    columns: list[ViewColumn] = field(default_factory=list)


def _connect(url_or_conn: str | psycopg.Connection):
    if isinstance(url_or_conn, psycopg.Connection):
        from contextlib import nullcontext

        return nullcontext(url_or_conn)
    return psycopg.connect(url_or_conn)


def list_views(url: str | psycopg.Connection) -> list[ViewInfo]:
    """The views of the reporting schema with their columns, types and comments (from the catalog)."""
    with _connect(url) as conn:
        rows = conn.execute(
            """
            select c.relname, obj_description(c.oid, 'pg_class'), a.attname,
                   format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum)
            from pg_catalog.pg_class as c
            join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
            join pg_catalog.pg_attribute as a on a.attrelid = c.oid
            where n.nspname = %s and c.relkind in ('v', 'm') and a.attnum > 0 and not a.attisdropped
            order by c.relname, a.attnum
            """,
            (SCHEMA,),
        ).fetchall()
    views: dict[str, ViewInfo] = {}
    for view, view_comment, column, data_type, column_comment in rows:
        info = views.setdefault(view, ViewInfo(view, view_comment))
        info.columns.append(ViewColumn(column, data_type, column_comment))
    return list(views.values())


def _check_view(available: list[str], view: str) -> None:
    if view not in available:
        choices = ", ".join(available) if available else "none: run `critmin migrate`"
        raise UsageError(f"unknown view {view!r}: reporting views are {choices}")


# The key views `critmin report` shows without an argument, with the columns that fit a terminal.
KEY_VIEWS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "agreements": ("Agreements (current status)",
                   ("agreement_id", "kind", "status", "announced_on", "minerals", "countries",
                    "volume_count", "source_count"), "announced_on nulls last, agreement_id"),
    "volume_schedule": ("Tonnes and USD per mineral and year",
                        ("mineral", "calendar_year", "tonnes", "amount_usd", "bounds", "agreement_ids"),
                        "mineral nulls last, calendar_year"),
    "conflicts": ("Figures the sources disagree on",
                  ("agreement_id", "measure", "quantity_a", "quantity_b", "article_id_a",
                   "article_id_b", "evidence_a", "evidence_b"), "agreement_id"),
}


# Columns shown when one of these views is asked for by name (others show every column).
VIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "volumes": ("agreement_id", "mineral", "measure", "quantity", "unit", "bound", "per_year",
                "period_start", "period_end", "evidence"),
    "evidence": ("fact_type", "fact_id", "fact_summary", "article_id", "start_offset", "quote"),
    "timeline": ("event_on", "event_type", "agreement_id", "status", "is_status_change", "article_id"),
    "sources": ("article_id", "publisher", "published_on", "language", "agreement_count",
                "party_count", "volume_count", "evidence_count"),
    "parties": ("party_id", "name", "name_ko", "party_type", "country_code", "agreement_count"),
    **{name: spec[1] for name, spec in KEY_VIEWS.items()},
}
