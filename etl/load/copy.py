"""Fact rows rendered as COPY text (in the worker that prepared them) and streamed into a table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import sql

from etl.db.models import metadata
from etl.transform.facts import ArticleFacts

# Fact tables scoped to one article, in the order they are written (evidence first: others point at it).
FACT_TABLES = (
    "evidence", "party_mention", "agreement_status", "agreement_party", "agreement_mineral",
    "volume", "market_claim", "participation", "agreement_relation", "agreement_term", "agreement_event",
)


@dataclass
class FactRows:
    """A chunk's fact rows as COPY text, rendered where they were prepared (a worker process):
    the loading process only streams bytes, and bytes cross between processes cheaply."""

    text: dict[str, bytes]
    count: int


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _copy_value(value: Any, _escapes: dict = _COPY_ESCAPES) -> str:
    """One value in COPY's text format (what psycopg's write_row sends for these types).

    Called for every value of every fact row (a few million at a million facts): exact type tests
    first, and a string is translated only when it holds a character COPY escapes."""
    kind = type(value)
    if kind is str:
        if "\\" in value or "\n" in value or "\r" in value or "\t" in value:
            return value.translate(_escapes)
        return value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is Decimal:
        return str(value)
    if kind is date:
        return value.isoformat()
    # subclasses of the types above
    if isinstance(value, str):
        return value.translate(_escapes)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no COPY text form for {type(value).__name__} {value!r}")


def render_facts(accepted: list[ArticleFacts]) -> FactRows:
    """The fact rows of `accepted` as COPY text per table; the rows are dropped from the facts."""
    text, count = {}, 0
    for table in FACT_TABLES:
        columns = _columns(table)
        lines = ["\t".join([_copy_value(row.get(c)) for c in columns]) for f in accepted for row in f.rows[table]]
        count += len(lines)
        text[table] = ("\n".join(lines) + "\n").encode() if lines else b""
        for f in accepted:
            f.rows[table] = []
    return FactRows(text, count)


def _columns(table: str) -> list[str]:
    return [c.name for c in metadata.tables[f"core.{table}"].columns
            if not (c.server_default is not None and c.name.endswith("_at"))]


def _copy_rows(cur: psycopg.Cursor, target: sql.Composable, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    stmt = sql.SQL("copy {} ({}) from stdin").format(target, sql.SQL(", ").join(map(sql.Identifier, columns)))
    with cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row([row.get(c) for c in columns])
            n += 1
    return n
