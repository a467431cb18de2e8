"""Validate one chunk of articles (and the reference lexicon): the frame schemas, plus the checks
the database cannot express (the quote really is in the article, the number in the quote is the
number loaded). Every failure becomes a Problem with its file, record and field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from etl.db import domain
from etl.problems import Problem, shorten
from etl.text import UnitLexicon, parse_quantities
from etl.transform.facts import TABLES, ArticleFacts
from etl.transform.lexicon import REFERENCE_TABLES, Lexicon
from etl.validate.frames import frame, run_schema


def _number_agrees(quote: Any, want_q: Any, want_u: Any, units: UnitLexicon | None) -> str | None:
    """None when the quote states the row's number and unit; else why not."""
    if not isinstance(quote, str) or not isinstance(want_q, Decimal):
        return None
    if want_u not in domain.UNITS or want_q <= 0:
        return None  # an unknown unit or a non-positive number is reported on its own
    try:
        found = parse_quantities(quote, units)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not hide the rest of the report
        return f"the quote could not be parsed ({exc})"
    if any(q.unit == want_u and q.quantity == want_q for q in found):
        return None
    if not found:
        return f"the quote states no figure, but the record says {want_q.normalize():f} {want_u}"
    stated = ", ".join(f"{q.quantity.normalize():f} {q.unit}" for q in found)
    return f"the quote says {stated}, not {want_q.normalize():f} {want_u}"


def evidence_problems(table: str, rows: list[dict[str, Any]], owners: list[str | None],
                      units: UnitLexicon | None = None) -> list[Problem]:
    out = []
    if table in ("volume", "market_claim"):
        # The row dicts, not the frame: iterating Arrow-backed string columns costs more than reading dicts.
        for row, owner in zip(rows, owners, strict=True):
            quote = row.get("_quote")
            why = _number_agrees(quote, row.get("quantity"), row.get("unit"), units)
            if why:
                out.append(Problem(row.get("_file", "?"), why, record=row.get("_record"), field="quantity",
                                   raw=shorten(quote), article_id=owner))
    return out


def validate_reference(lex: Lexicon) -> list[Problem]:
    problems: list[Problem] = []
    for table in REFERENCE_TABLES:
        rows = lex.rows[table]
        problems += run_schema(table, frame(rows, table), [None] * len(rows))
    return problems


def validate_articles(facts: list[ArticleFacts], units: UnitLexicon | None = None) -> list[Problem]:
    """Append every problem to its article's list (lazy: all problems at once).

    Returns the problems that belong to no single article."""
    unowned: list[Problem] = []
    by_id = {f.article_id: f for f in facts}
    for table in TABLES:
        if table == "agreement":
            continue  # the same agreement appears in several articles; its checks run per article below
        rows: list[dict[str, Any]] = []
        owners: list[str | None] = []
        for f in facts:
            rows += f.rows[table]
            owners += [f.article_id] * len(f.rows[table])
        df = frame(rows, table)
        for p in run_schema(table, df, owners) + evidence_problems(table, rows, owners, units):
            (by_id[p.article_id].problems if p.article_id in by_id else unowned).append(p)
    # An agreement reported by several articles is checked once per article (not unique overall).
    rows, owners = [], []
    for f in facts:
        mine = _dedupe_agreements(f.rows["agreement"])
        rows += mine
        owners += [f.article_id] * len(mine)
    schema_rows = frame(rows, "agreement")
    schema_rows["_owner"] = owners
    for p in run_schema("agreement", schema_rows, owners, unique=["agreement_id", "_owner"]):
        by_id[p.article_id].problems.append(p)
    return unowned


def _dedupe_agreements(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(row["agreement_id"], row)
    return list(seen.values())
