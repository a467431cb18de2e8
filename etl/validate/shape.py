"""Shape checks of seed files against the models of etl.sources.schema, as Problems.

A file is validated in one call (the usual case: it is well formed). When it is not, every
error becomes one Problem (file, record, field, why) and the records that are well formed are
still returned, so the transform reports their own problems too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from etl.problems import Problem, shorten
from etl.sources import schema

SECTIONS = ("parties", "agreements", "claims")
_MODELS: dict[str, type[BaseModel]] = {"parties": schema.Party, "agreements": schema.Agreement, "claims": schema.Claim}


@dataclass
class FactRecords:
    """The well-formed records of a facts file, each with its index in the file."""

    parties: list[tuple[int, schema.Party]] = field(default_factory=list)
    agreements: list[tuple[int, schema.Agreement]] = field(default_factory=list)
    claims: list[tuple[int, schema.Claim]] = field(default_factory=list)


def facts_records(data: dict[str, Any], rel: str, article_id: str) -> tuple[FactRecords, list[Problem]]:
    try:
        parsed = schema.FactsFile.model_validate(data)
    except ValidationError:
        return _records_one_by_one(data, rel, article_id)
    return FactRecords(*(list(enumerate(getattr(parsed, s) or ())) for s in SECTIONS)), []


def _records_one_by_one(data: dict[str, Any], rel: str, article_id: str) -> tuple[FactRecords, list[Problem]]:
    """The slow path of a file with errors: the sections, then each record on its own."""
    problems: list[Problem] = []
    sections_left_out = {k: ([] if k in SECTIONS and isinstance(v, list) else v) for k, v in data.items()}
    try:
        schema.FactsFile.model_validate(sections_left_out)
    except ValidationError as exc:
        problems += [_problem(e, rel, article_id, data) for e in exc.errors()]
    records = FactRecords()
    for section in SECTIONS:
        items = data.get(section)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            try:
                getattr(records, section).append((i, _MODELS[section].model_validate(item)))
            except ValidationError as exc:
                problems += [_problem({**e, "loc": (section, i, *e["loc"])}, rel, article_id, data) for e in exc.errors()]
    return records, problems


def front_matter(meta: dict[str, Any], rel: str, article_id: str,
                 ) -> tuple[schema.FrontMatter | None, schema.ArticleDating, list[Problem]]:
    """(the front matter or None when it has errors, its dating fields, the errors)."""
    try:
        parsed = schema.FrontMatter.model_validate(meta)
    except ValidationError as exc:
        errors = exc.errors()
        bad = {e["loc"][0] for e in errors if e["loc"]}
        dating = schema.ArticleDating.model_validate({k: v for k, v in meta.items() if k not in bad})
        return None, dating, [_problem(e, rel, article_id, None) for e in errors]
    return parsed, parsed, []


# ------------------------------------------------------------------ errors → readable lines

# Fields whose every error has one explanation (a curator fixes them the same way).
_FIELD_REASONS = {
    "evidence": "evidence quote is missing",
    "title": "title is required",
    "key": "key must be a slug of lower-case letters, digits and hyphens",
    "agreement": "agreement must be the key (slug) of the related agreement",
    "description": "description is required (the term in a few English words)",
    "tenor_months": "tenor_months must be a whole number of months, not {value}",
}
_REASONS = {
    "missing": "is required",
    "bool_type": "{field} must be true or false, not {value}",
    "int_type": "{field} must be a whole number, not {value}",
    "string_type": "has the wrong type ({value}): text expected",
    "string_pattern_mismatch": "{value} does not have the form of a {field}",
    "list_type": "must be a list",
    "model_type": "an entry of {section} must be a mapping",
    "literal_error": "unknown {field} {value} (allowed: {allowed})",
    "iso_date": "{field} {value} is not a real ISO date (YYYY-MM-DD)",
    "partial_date": "not a date: {value} (expected YYYY-MM-DD, YYYY-MM or YYYY)",
    "date_or_phrase": "not a date: {value} (an ISO date or a period phrase expected)",
    "number_missing": "{field} is missing or not a number",
    "not_a_number": "{field} {value} is not a number",
    "not_finite": "{field} {value} is not a finite number",
}
_MAPPINGS = {
    "parties": "a party must be a mapping with name and evidence",
    "agreements": "an agreement must be a mapping",
    "claims": "a claim must be a mapping",
    "agreements.volumes": "a volume must be a mapping",
    "agreements.parties": "a party of an agreement must be {name, role}",
}


def _problem(error: ErrorDetails, rel: str, article_id: str, data: dict[str, Any] | None) -> Problem:
    """One validation error as a Problem; `data` is the facts file (None: the front matter)."""
    loc, kind, value = error["loc"], error["type"], error.get("input")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if data is None:
        record, field_ = "front matter", (str(loc[0]) if loc else None)
    else:
        record, field_ = _where(loc, data, keep_last=kind in ("list_type",))
    field_ = ctx.get("field", field_)
    if kind in ("extra_forbidden", "invalid_key"):
        reason = _unknown_field(loc, data)
    elif kind == "model_type":
        path = ".".join(str(p) for p in loc if isinstance(p, str))
        reason = _MAPPINGS.get(path) or _REASONS[kind].format(section=path.rsplit(".", 1)[-1])
    elif kind == "missing" and field_ == "quantity":
        reason = _REASONS["number_missing"].format(field=field_)
    else:
        template = _FIELD_REASONS.get(field_ or "") or _REASONS.get(kind)
        allowed = ", ".join(_allowed(ctx["expected"])) if kind == "literal_error" else ""
        reason = template.format(field=field_, value=_show(value), allowed=allowed) if template else error["msg"]
    raw = None if kind in ("missing", "extra_forbidden", "needs_currency") else shorten(value)
    return Problem(rel, reason, record=record, field=field_, raw=raw, article_id=article_id)


def _where(loc: tuple[int | str, ...], data: Any, keep_last: bool) -> tuple[str | None, str | None]:
    """(record, field) of an error location: ("agreements[0] <key>.volumes[1]", "quantity")."""
    parts: list[str] = []
    node, i = data, 0
    while i < len(loc):
        name = loc[i]
        if i + 1 < len(loc) and isinstance(loc[i + 1], int):
            index = int(loc[i + 1])
            node = _child(node, name, index)
            key = f" {node.get('key')}" if not parts and name == "agreements" and isinstance(node, dict) else ""
            parts.append(f"{name}[{index}]{key}")
            i += 2
        elif i == len(loc) - 1 and not keep_last:
            return ".".join(parts) or None, str(name)
        else:
            parts.append(str(name))
            i += 1
    return ".".join(parts) or None, None


def _child(node: Any, name: int | str, index: int) -> Any:
    items = node.get(name) if isinstance(node, dict) else None
    return items[index] if isinstance(items, list) and index < len(items) else None


def _unknown_field(loc: tuple[int | str, ...], data: dict[str, Any] | None) -> str:
    name = loc[-1] if loc else None
    if len(loc) == 1 and data is not None:
        return f"unknown section {name!r} (expected one of {', '.join(sorted(schema.FactsFile.model_fields))})"
    model = _model_at(loc[:-1])
    known = f" (expected one of {', '.join(model.model_fields)})" if model else ""
    return f"unknown field {name!r}{known}"


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model of the record at `loc` (sections, then list fields of an agreement)."""
    model: type[BaseModel] | None = schema.FactsFile
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        model = _list_item_model(info.annotation) if info else None
    return model


def _list_item_model(annotation: Any) -> type[BaseModel] | None:
    for arg in get_args(annotation):  # list[X] | None
        inner = get_args(arg)
        if inner and isinstance(inner[0], type) and issubclass(inner[0], BaseModel):
            return inner[0]
    return None


@cache
def _allowed(expected: str) -> tuple[str, ...]:
    """The values of the vocabulary pydantic describes as `expected` (its own rendering of them)."""
    for name in dir(schema):
        vocabulary = getattr(schema, name)
        if getattr(vocabulary, "__origin__", None) is Literal and _rendering(vocabulary) == expected:
            return get_args(vocabulary)
    return (expected,)


def _rendering(vocabulary: Any) -> str | None:
    try:
        TypeAdapter(vocabulary).validate_python(object())
    except ValidationError as exc:
        return exc.errors()[0].get("ctx", {}).get("expected")
    return None


def _show(value: Any) -> str:
    return shorten(repr(value) if isinstance(value, str) else value, 120)
