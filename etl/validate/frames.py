"""pandera schemas derived from the SQLAlchemy models, and the readable reason for each failed check.

Column types, nullability, primary keys, closed vocabularies and slug patterns are read from
etl/db/models/, so the database and the data-frame checks cannot drift apart.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa
from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, Integer, Numeric, String, Table

from etl.db import domain
from etl.db.models import metadata
from etl.problems import Problem, shorten

_ROW_KEYS = ("_file", "_record")


def _dtype(column) -> Any:
    t = column.type
    if isinstance(t, Boolean):
        return bool
    if isinstance(t, Integer):
        # a nullable integer column of None objects is not int64: checked by _is_whole instead
        return None if column.nullable else "int64"
    if isinstance(t, Date):
        return pa.Date
    if isinstance(t, Numeric):
        return None  # Decimal objects: checked by _is_decimal
    if isinstance(t, String):
        return str
    return None


def _is_decimal(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, Decimal) and v.is_finite())


def _whole(v: Any) -> bool:
    if v is None or isinstance(v, bool):
        return v is None
    if isinstance(v, float):  # pandas turns a column of ints and None into floats with NaN
        return v != v or v.is_integer()
    return isinstance(v, int) or (hasattr(v, "dtype") and v.dtype.kind in "iu")


def _is_whole(series: pd.Series) -> pd.Series:
    return series.map(_whole)


def _fits(precision: int, scale: int):
    """numeric(p, s): under 10^(p-s), and not a positive number that rounds to zero."""
    limit = Decimal(10) ** (precision - scale)
    step = Decimal(1).scaleb(-scale)

    def ok(v: Any) -> bool:
        if not (isinstance(v, Decimal) and v.is_finite()):
            return True  # reported by is_number
        return abs(v) < limit and (v == 0 or abs(v) >= step / 2)
    return lambda s: s.map(ok)


def _plain_text(v: Any) -> bool:
    """PostgreSQL text holds neither NUL nor unpaired surrogates."""
    if not isinstance(v, str):
        return True
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in v


def _plain_text_column(s: pd.Series) -> pd.Series:
    """_plain_text over a column; Arrow-backed strings are valid UTF-8 already, so only NUL is left to find."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        return ~s.str.contains("\x00", regex=False).fillna(False)
    return s.map(_plain_text)


# Checks beyond what one column's type says; named so messages can explain them.
EXTRA_CHECKS: dict[str, list[pa.Check]] = {
    "quantity": [pa.Check(lambda s: s > 0, name="positive")],
    "quantity_tonnes": [pa.Check(lambda s: s <= domain.MAX_TONNES, name="plausible_tonnes")],
    "amount_usd": [pa.Check(lambda s: s <= domain.MAX_AMOUNT_USD, name="plausible_usd")],
    "start_offset": [pa.Check.ge(0, name="non_negative")],
}


@cache
def schema_for(table_name: str) -> pa.DataFrameSchema:
    """A pandera schema for a core table, read off the SQLAlchemy model."""
    table: Table = metadata.tables[f"core.{table_name}"]
    rules: dict[str, list[pa.Check]] = defaultdict(list)
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint) and constraint.info.get("column"):
            col = constraint.info["column"]
            if "isin" in constraint.info:
                rules[col].append(pa.Check.isin(list(constraint.info["isin"]), name=f"{col}_known"))
            if "regex" in constraint.info:
                rules[col].append(pa.Check.str_matches(constraint.info["regex"], name=f"{col}_pattern"))
    columns: dict[str, pa.Column] = {}
    for column in table.columns:
        if isinstance(column.type, DateTime) and column.server_default is not None:
            continue  # set by the database (loaded_at)
        checks = list(rules.get(column.name, []))
        if isinstance(column.type, Numeric):
            checks.insert(0, pa.Check(_is_decimal, name="is_number"))
            if column.type.precision is not None:
                checks.append(pa.Check(_fits(column.type.precision, column.type.scale or 0),
                                       name=f"fits_numeric_{column.type.precision}_{column.type.scale or 0}"))
        if isinstance(column.type, Integer) and column.nullable:
            checks.append(pa.Check(_is_whole, name="is_whole_number", ignore_na=False))
        if isinstance(column.type, String):
            checks.append(pa.Check(_plain_text_column, name="plain_text"))
        if isinstance(column.type, String) and column.type.length:
            checks.append(pa.Check.str_length(max_value=column.type.length, name="max_length"))
        checks += EXTRA_CHECKS.get(column.name, [])
        columns[column.name] = pa.Column(
            _dtype(column),
            nullable=column.nullable,
            checks=checks,
            required=column.server_default is None,
            coerce=False,
        )
    pk = [c.name for c in table.primary_key.columns]
    return pa.DataFrameSchema(columns, unique=pk, strict=False, name=table_name)


def frame(rows: list[dict[str, Any]], table_name: str) -> pd.DataFrame:
    """A data frame of a table's rows with the model's columns in order (plus bookkeeping)."""
    cols = [c.name for c in metadata.tables[f"core.{table_name}"].columns]
    df = pd.DataFrame(rows)
    if df.empty:
        df = pd.DataFrame(columns=[*cols, *_ROW_KEYS])
    for c in cols:
        if c not in df.columns:
            df[c] = None
    return df


_REASONS = {
    "positive": "must be greater than zero",
    "plausible_tonnes": f"is implausibly large (over {domain.MAX_TONNES:,} t): check the unit and number words",
    "plausible_usd": f"is implausibly large (over {domain.MAX_AMOUNT_USD:,} USD)",
    "is_number": "must be a number",
    "is_whole_number": "must be a whole number",
    "not_nullable": "is required",
    "max_length": "is too long",
    "non_negative": "must not be negative",
    "fits_numeric": "does not fit the column: too large, or too small to keep",
    "plain_text": "contains a NUL character or an unpaired surrogate, which PostgreSQL text cannot hold",
}


def _reason(check: str, column: str | None, value: Any, table_name: str) -> str:
    check = str(check)
    if check.endswith("_known") or check.startswith("isin("):
        col = column or check[: -len("_known")]
        allowed = _VOCABULARIES.get((table_name, col), ())
        return f"unknown {col} {value!r}" + (f" (allowed: {', '.join(allowed)})" if allowed else "")
    if check.endswith("_pattern") or check.startswith("str_matches("):
        return f"{value!r} is not a valid {column or check[: -len('_pattern')]} (lower-case slug expected)"
    if check.startswith("str_length("):
        check = "max_length"
    if check.startswith("field_uniqueness") or check.startswith("multiple_fields_uniqueness") or "unique" in check:
        return f"duplicate {column or 'key'} {value!r}"
    if check.startswith("pandera_dtype") or check.startswith("dtype("):
        return f"has the wrong type ({value!r})"
    for key, text in _REASONS.items():
        if check.startswith(key):
            return f"{_show(value)} {text}" if key not in ("not_nullable",) else text
    return f"fails check {check} ({shorten(value, 60)})"


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return shorten(value, 60)


# (table, column) → its closed vocabulary, read off the models' CHECK constraints
# (core.agreement_status.status and etl.run.status are different vocabularies).
_VOCABULARIES = {
    (table.name, c.info["column"]): tuple(c.info["isin"])
    for table in metadata.tables.values() for c in table.constraints
    if isinstance(c, CheckConstraint) and "isin" in c.info
}


def run_schema(table_name: str, df: pd.DataFrame, owners: list[str | None], unique: list[str] | None = None) -> list[Problem]:
    """Validate one table's frame lazily; every failure case becomes a Problem."""
    problems: list[Problem] = []
    if df.empty:
        return problems  # nothing to check (an empty frame has no column types)
    try:
        schema = schema_for(table_name)
        if unique is not None:
            schema = pa.DataFrameSchema(schema.columns, unique=unique, strict=False, name=schema.name)
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for _, case in cases.iterrows():
            idx = case.get("index")
            column = case.get("column")
            value = case.get("failure_case")
            check = str(case.get("check"))
            if check == "column_in_dataframe":
                problems.append(Problem("(schema)", f"{table_name} lacks column {value!r}"))
                continue
            if idx is None or pd.isna(idx) or int(idx) >= len(df):
                problems.append(Problem("(all)", f"{table_name}: {_reason(check, column, value, table_name)}", field=column))
                continue
            row = df.iloc[int(idx)]
            field_name = column if isinstance(column, str) else None
            problems.append(Problem(
                row.get("_file", "?"), _reason(check, field_name, value, table_name), record=row.get("_record"),
                field=field_name, raw=shorten(value), article_id=owners[int(idx)],
            ))
    return problems
