"""The views stage: the reporting schema's SQL files, the read-only role, exports and the data dictionary.

Each reporting view lives in one file, `sql/reporting/<view>.sql` (found with
`resource_dir("sql")`, so a wheel works too). Migrations apply them with `apply_views`; a revision
that later changes a view freezes the previous text in `sql/reporting/_history/<view>.<rev>.sql`
and `view_sql(name, as_of=rev)` prefers that frozen copy (see sql/README.md). `apply_views`,
`drop_views` and `view_sql` are called by migrations: keep their behaviour backward compatible.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from etl.errors import ConfigError, UsageError
from etl.paths import resource_dir

SCHEMA = "reporting"
READER_ROLE = "critmin_reader"
HISTORY_DIR = "_history"
EXPORT_FORMATS = ("csv", "parquet")

# A login name a user can type into a BI tool without quoting.
_LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_VIEW_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_REFERENCE = re.compile(r"\breporting\.([a-z_][a-z0-9_]*)\b")
_COMMENT_STATEMENT = re.compile(r"^\s*comment\s+on\s", re.I | re.M)

# The group role: NOLOGIN, cluster-wide, created by migration 0002 (this copy is used by
# `ensure_reader_login`, so a login can be made even before the first migration).
CREATE_READER_ROLE = """
do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'critmin_reader') then
        create role critmin_reader nologin;
    end if;
exception
    -- another database of the same cluster created it at the same moment
    when duplicate_object or unique_violation then null;
end
$$;
"""


# ------------------------------------------------------------------------- view SQL files


def reporting_dir() -> Path:
    return resource_dir("sql") / "reporting"


def view_names() -> list[str]:
    """Names of the views the current `sql/reporting/*.sql` files define (alphabetical)."""
    return sorted(p.stem for p in reporting_dir().glob("*.sql") if not p.name.startswith("_"))


def view_sql(name: str, as_of: str | None = None) -> str:
    """The SQL of a view as of revision `as_of` (a frozen copy in _history/), else the current file."""
    if not _VIEW_NAME.match(name):
        raise ValueError(f"not a view name: {name!r}")
    if as_of:
        # _history/<view>.<rev>.sql is the text in force up to and including revision <rev>
        # (revision ids are zero-padded numbers): the first one at or after `as_of` applies.
        frozen = sorted(p for p in (reporting_dir() / HISTORY_DIR).glob(f"{name}.*.sql")
                        if p.name[len(name) + 1:-4] >= as_of)
        if frozen:
            return frozen[0].read_text(encoding="utf-8")
    path = reporting_dir() / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file for view reporting.{name}: {path}")
    return path.read_text(encoding="utf-8")


def view_dependencies(text: str, name: str) -> set[str]:
    """Other reporting views the view body reads (COMMENT statements and -- comments ignored)."""
    match = _COMMENT_STATEMENT.search(text)
    body = text[: match.start()] if match else text
    body = re.sub(r"--[^\n]*", "", body)
    return set(_REFERENCE.findall(body)) - {name}


def dependency_order(names: list[str] | tuple[str, ...], as_of: str | None = None) -> list[str]:
    """`names` ordered so that a view comes after the views it reads (ties alphabetical)."""
    deps = {n: view_dependencies(view_sql(n, as_of), n) & set(names) for n in names}
    ordered: list[str] = []
    while deps:
        ready = sorted(n for n, d in deps.items() if not d - set(ordered))
        if not ready:
            raise ValueError(f"reporting views depend on each other in a cycle: {sorted(deps)}")
        ordered.extend(ready)
        for n in ready:
            del deps[n]
    return ordered


def _dbapi(connection: Any) -> psycopg.Connection:
    """A psycopg connection from a psycopg or SQLAlchemy connection (alembic's op.get_bind())."""
    if isinstance(connection, psycopg.Connection):
        return connection
    raw = getattr(connection, "connection", None)  # SQLAlchemy Connection -> pool proxy
    dbapi = getattr(raw, "dbapi_connection", None)
    if isinstance(dbapi, psycopg.Connection):
        return dbapi
    raise TypeError(f"need a psycopg or SQLAlchemy connection, got {type(connection).__name__}")


def _drop(cur: psycopg.Cursor, order: list[str]) -> None:
    for name in reversed(order):
        cur.execute(sql.SQL("drop view if exists {}.{}").format(sql.Identifier(SCHEMA), sql.Identifier(name)))


def apply_views(connection: Any, names: list[str] | tuple[str, ...] | None = None,
                as_of: str | None = None) -> list[str]:
    """Drop and re-create views from their SQL (default: every file), in dependency order.

    Dropping first makes the result exact whatever changed (columns renamed, retyped, removed);
    a view outside `names` that reads one of them makes the drop fail: name it too. Runs in the
    caller's transaction. Returns the order applied.
    """
    order = dependency_order(list(names) if names is not None else view_names(), as_of)
    conn = _dbapi(connection)
    with conn.cursor() as cur:
        _drop(cur, order)
        for name in order:
            cur.execute(view_sql(name, as_of))  # no parameters: several statements per file
    return order


def drop_views(connection: Any, names: list[str] | tuple[str, ...], as_of: str | None = None) -> None:
    """Drop the named views (dependents first)."""
    order = dependency_order(list(names), as_of)
    with _dbapi(connection).cursor() as cur:
        _drop(cur, order)


# --------------------------------------------------------------------------------- catalog


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


# ------------------------------------------------------------------------- read-only role


def _check_login_name(name: str) -> None:
    if not _LOGIN_NAME.match(name):
        raise UsageError(
            f"login name {name!r} is not allowed: use lower-case letters, digits and _ "
            "(starting with a letter or _), at most 63 characters"
        )


def _login_statements(name: str, password: str, *, exists: bool | None) -> list[sql.Composable]:
    """SQL making `name` a login in critmin_reader with `password` (exists=None: decide at run time)."""
    ident, secret, group = sql.Identifier(name), sql.Literal(password), sql.Identifier(READER_ROLE)
    create = sql.SQL("create role {} with login inherit password {}").format(ident, secret)
    alter = sql.SQL("alter role {} with login inherit password {}").format(ident, secret)
    statements: list[sql.Composable] = [sql.SQL(CREATE_READER_ROLE.strip().rstrip(";"))]
    if exists is None:
        statements.append(sql.SQL(
            "do $do$\nbegin\n    if exists (select from pg_catalog.pg_roles where rolname = {}) then\n"
            "        {};\n    else\n        {};\n    end if;\nend\n$do$"
        ).format(sql.Literal(name), alter, create))
    else:
        statements.append(alter if exists else create)
    statements.append(sql.SQL("grant {} to {}").format(group, ident))
    statements.append(sql.SQL("alter role {} set search_path = reporting").format(ident))
    return statements


def reader_sql(name: str, password: str) -> str:
    """The SQL (for psql, run by a role with CREATEROLE) that creates or updates a reader login."""
    _check_login_name(name)
    body = ";\n".join(s.as_string(None) for s in _login_statements(name, password, exists=None))
    return (
        f"-- critmin: login {name} with read-only access to the reporting schema "
        f"(member of {READER_ROLE})\n{body};\n"
    )


def generate_password() -> str:
    return secrets.token_urlsafe(24)


def ensure_reader_login(url: str, name: str, password: str) -> None:
    """Create (or update the password of) login role `name` as a member of critmin_reader.

    Refuses a name that belongs to a role which is not already a reader (the owner, a superuser, an
    unrelated role), so it can never change another role's password or privileges.
    """
    _check_login_name(name)
    with psycopg.connect(url) as conn:  # one transaction: all or nothing
        row = conn.execute(
            """
            select r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolname = current_user,
                   exists (select from pg_catalog.pg_auth_members m
                           join pg_catalog.pg_roles g on g.oid = m.roleid
                           where m.member = r.oid and g.rolname = %s)
            from pg_catalog.pg_roles r where r.rolname = %s
            """,
            (READER_ROLE, name),
        ).fetchone()
        if row is not None and (row[0] or not row[1]):
            raise UsageError(
                f"role {name!r} already exists and is not a critmin reader login: choose another name"
            )
        for statement in _login_statements(name, password, exists=row is not None):
            conn.execute(statement)


def ensure_embedded_reader(url: str) -> str:
    """Make the embedded server's reader login (critmin_bi) work; returns its name.

    The password is the one kept (0600) in CRITMIN_HOME/reader.password. `url` is the owner's.
    """
    from etl.db.server import READER_LOGIN, EmbeddedServer

    ensure_reader_login(url, READER_LOGIN, EmbeddedServer().reader_password())
    return READER_LOGIN


# ---------------------------------------------------------------------------------- export

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


# ------------------------------------------------------------------------- data dictionary

DICTIONARY_BEGIN = "<!-- BEGIN data dictionary (generated by `critmin docs`; do not edit by hand) -->"
DICTIONARY_END = "<!-- END data dictionary -->"


def _md(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def data_dictionary(url: str) -> str:
    """Markdown describing every reporting view and column, from the COMMENTs in the database."""
    catalog = list_views(url)
    lines = [
        "## Data dictionary: schema `reporting`",
        "",
        "Generated by `critmin docs` from the comments on the views and columns (the same texts BI "
        "tools show as descriptions).",
        "",
        "| view | columns | description |",
        "|---|---|---|",
    ]
    lines += [f"| [`reporting.{v.name}`](#reporting{v.name.replace('_', '')}) | {len(v.columns)} | "
              f"{_md((v.comment or '').split('. ')[0].rstrip('.'))}. |" for v in catalog]
    for view in catalog:
        lines += ["", f"### reporting.{view.name}", "", _md(view.comment), "",
                  "| column | type | description |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.data_type} | {_md(c.comment)} |" for c in view.columns]
    return "\n".join(lines) + "\n"


def write_data_dictionary(url: str, output: Path) -> None:
    """Write the dictionary to `output`; in a file with the BEGIN/END markers, replace only that part."""
    text = data_dictionary(url)
    output = Path(output)
    if output.is_file():
        current = output.read_text(encoding="utf-8")
        start, end = current.find(DICTIONARY_BEGIN), current.find(DICTIONARY_END)
        if start != -1 and end > start:
            output.write_text(current[: start + len(DICTIONARY_BEGIN)] + "\n\n" + text + "\n"
                              + current[end:], encoding="utf-8")
            return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------- report


@dataclass
class ReportTable:
    view: str
    title: str
    columns: list[str]
    rows: list[tuple]
    total_rows: int


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
