"""The key reporting views as tables for the terminal (`critmin report`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import sql

from etl.errors import ConfigError
from etl.reporting.views import KEY_VIEWS, SCHEMA, VIEW_COLUMNS, _check_view, list_views


@dataclass
class ReportTable:
    view: str
    title: str
    columns: list[str]
    rows: list[tuple]
    total_rows: int


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:,f}" if value == value.to_integral_value() else f"{value:f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def report_tables(url: str, view: str | None = None, limit: int | None = None) -> list[ReportTable]:
    """The data of `critmin report`: the key views, or one view (its main columns)."""
    with psycopg.connect(url) as conn:
        conn.read_only = True
        catalog = {v.name: v for v in list_views(conn)}
        if view is not None:
            _check_view(sorted(catalog), view)
            names = [view]
        else:
            names = [n for n in KEY_VIEWS if n in catalog]
            if not names:
                raise ConfigError("the reporting views are missing: run `critmin migrate`")
        tables = []
        for name in names:
            info = catalog[name]
            wanted = [c for c in VIEW_COLUMNS.get(name, ()) if c in {x.name for x in info.columns}]
            columns = wanted or [c.name for c in info.columns]
            order = KEY_VIEWS[name][2] if name in KEY_VIEWS else "1"
            relation = sql.SQL("{}.{}").format(sql.Identifier(SCHEMA), sql.Identifier(name))
            total = conn.execute(sql.SQL("select count(*) from {}").format(relation)).fetchone()[0]
            query = sql.SQL("select {} from {} order by {}{}").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in columns), relation,
                sql.SQL(order),  # fixed strings of this module, never user input
                sql.SQL(" limit {}").format(sql.Literal(limit)) if limit else sql.SQL(""),
            )
            rows = conn.execute(query).fetchall()
            title = KEY_VIEWS[name][0] if name in KEY_VIEWS else (info.comment or name).split(". ")[0]
            tables.append(ReportTable(name, title, columns, rows, total))
    return tables
