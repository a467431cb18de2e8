"""Every reporting view to CSV or Parquet files, with a manifest.json."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg import sql

from etl.errors import UsageError
from etl.reporting.views import SCHEMA, ViewColumn, _check_view, list_views

EXPORT_FORMATS = ("csv", "parquet")


_ARROW_TYPES = {
    "text": "string", "character varying": "string", "date": "date32", "boolean": "bool_",
    "bigint": "int64", "integer": "int32", "smallint": "int16", "double precision": "float64",
    "real": "float32", "timestamp with time zone": "timestamp_tz",
}


def _decimal_type(values: list[Decimal | None], data_type: str):
    import pyarrow as pa

    typmod = re.match(r"numeric\((\d+),(\d+)\)", data_type)
    if typmod:
        return pa.decimal128(int(typmod[1]), int(typmod[2]))
    # Unconstrained numeric: widest precision, the largest scale present (the views cast their
    # numbers to numeric(p, s), so this is only a fallback).
    scale = max((max(-int(v.as_tuple().exponent), 0) for v in values if v is not None), default=6)
    return pa.decimal128(38, min(scale, 18))


def _arrow_table(columns: list[ViewColumn], rows: list[tuple]):
    import pyarrow as pa

    arrays, fields = [], []
    for i, col in enumerate(columns):
        values = [r[i] for r in rows]
        kind = "decimal" if col.data_type.startswith("numeric") else _ARROW_TYPES.get(
            re.sub(r"\(.*\)", "", col.data_type), "string")
        if kind == "decimal":
            typ = _decimal_type(values, col.data_type)
        elif kind == "timestamp_tz":
            typ = pa.timestamp("us", tz="UTC")
        else:
            typ = getattr(pa, kind)()
        if kind == "string":
            values = [None if v is None else str(v) for v in values]
        fields.append(pa.field(col.name, typ, metadata={"description": col.comment or ""}))
        arrays.append(pa.array(values, type=typ))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def export(url: str, fmt: str, directory: Path, views: list[str] | None = None) -> dict:
    """Write every reporting view (or `views`) to DIR/<view>.csv|parquet plus DIR/manifest.json.

    All views are read in one read-only REPEATABLE READ transaction, so the files are consistent.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use csv or parquet")
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create export folder {directory}: {exc.strerror}") from None
    exported_at = datetime.now(UTC).isoformat(timespec="seconds")
    entries = []
    with psycopg.connect(url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        catalog = list_views(conn)
        available = [v.name for v in catalog]
        for view in views or []:
            _check_view(available, view)
        for info in catalog:
            if views and info.name not in views:
                continue
            target = directory / f"{info.name}.{fmt}"
            relation = sql.SQL("{}.{}").format(sql.Identifier(SCHEMA), sql.Identifier(info.name))
            if fmt == "csv":
                with conn.cursor() as cur, open(target, "wb") as fh:
                    with cur.copy(sql.SQL("copy (select * from {}) to stdout with (format csv, header true)")
                                  .format(relation)) as copy:
                        for chunk in copy:
                            fh.write(chunk)
                    rows = cur.rowcount  # from the server's "COPY n": the view is computed once
            else:
                import pyarrow.parquet as pq

                data = conn.execute(sql.SQL("select * from {}").format(relation)).fetchall()
                rows = len(data)
                pq.write_table(_arrow_table(info.columns, data), target)
            entries.append({
                "view": f"{SCHEMA}.{info.name}",
                "file": target.name,
                "rows": rows,
                "columns": [c.name for c in info.columns],
                "column_types": [c.data_type for c in info.columns],
                "exported_at": exported_at,
            })
    manifest = {"format": fmt, "exported_at": exported_at, "views": entries}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    return manifest
