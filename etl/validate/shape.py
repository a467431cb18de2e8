"""Shape checks of seed files against the models of etl.sources.schema, as Problems.

A file is validated in one call (the usual case: it is well formed). When it is not, every
error becomes one Problem (file, record, field, why) and the records that are well formed are
still returned, so the transform reports their own problems too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError

from etl.problems import Problem, shorten
from etl.sources import schema

SECTIONS = ("parties", "agreements", "claims")
_MODELS: dict[str, type[BaseModel]] = {"parties": schema.Party, "agreements": schema.Agreement, "claims": schema.Claim}
Label = Callable[[int, Any], str]
M = TypeVar("M", bound=BaseModel)
Error = Mapping[str, Any]  # one entry of ValidationError.errors()


@dataclass
class FactRecords:
    """The well-formed records of a facts file, each with its index in the file."""

    parties: list[tuple[int, schema.Party]] = field(default_factory=list)
    agreements: list[tuple[int, schema.Agreement]] = field(default_factory=list)
    claims: list[tuple[int, schema.Claim]] = field(default_factory=list)


def _facts_label(section: str) -> Label:
    def label(i: int, item: Any) -> str:
        key = f" {item.get('key')}" if section == "agreements" and isinstance(item, dict) else ""
        return f"{section}[{i}]{key}"
    return label


def facts_records(data: dict[str, Any], rel: str, article_id: str) -> tuple[FactRecords, list[Problem]]:
    try:
        parsed = schema.FactsFile.model_validate(data)
    except ValidationError:
        pass  # the slow path below names every error and keeps the well-formed records
    else:
        return FactRecords(*(list(enumerate(getattr(parsed, s) or ())) for s in SECTIONS)), []
    problems: list[Problem] = []
    sections_left_out = {k: ([] if k in SECTIONS and isinstance(v, list) else v) for k, v in data.items()}
    try:
        schema.FactsFile.model_validate(sections_left_out)
    except ValidationError as exc:
        where = _Where(rel, article_id, None, schema.FactsFile, "", _FACTS_REASONS)
        problems += [where.problem(e, data) for e in exc.errors()]
    records = FactRecords()
    for section in SECTIONS:
        items = data.get(section)
        if isinstance(items, list):
            good, bad = records_of(_MODELS[section], items, rel, _facts_label(section), article_id, section)
            setattr(records, section, good)
            problems += bad
    return records, problems


def records_of(model: type[M], items: list[Any], rel: str, label: Label, article_id: str | None = None,
               section: str = "", reasons: dict[str, str] | None = None,
               salvaged: list[tuple[int, M]] | None = None) -> tuple[list[tuple[int, M]], list[Problem]]:
    """The well-formed records of a list (with their indices) and a Problem per error of the others.

    With `salvaged`, a record that is well formed once its failing fields are left out is added
    there (reported all the same), so that what refers to it does not fail as well."""
    try:
        return list(enumerate(_list_adapter(model).validate_python(items))), []
    except ValidationError:
        pass
    good: list[tuple[int, M]] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        try:
            good.append((i, model.model_validate(item)))
        except ValidationError as exc:
            where = _Where(rel, article_id, label(i, item), model, section, reasons or _FACTS_REASONS)
            problems += [where.problem(e, item) for e in exc.errors()]
            if salvaged is not None and isinstance(item, dict):
                bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
                try:
                    salvaged.append((i, model.model_validate({k: v for k, v in item.items() if k not in bad})))
                except ValidationError:
                    pass  # a required field is among the failing ones
    return good, problems


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def front_matter(meta: dict[str, Any], rel: str, article_id: str,
                 ) -> tuple[schema.FrontMatter | None, schema.ArticleDating, list[Problem]]:
    """(the front matter or None when it has errors, its dating fields, the errors)."""
    try:
        parsed = schema.FrontMatter.model_validate(meta)
    except ValidationError as exc:
        errors = exc.errors()
        bad = {e["loc"][0] for e in errors if e["loc"]}
        dating = schema.ArticleDating.model_validate({k: v for k, v in meta.items() if k not in bad})
        where = _Where(rel, article_id, "front matter", schema.FrontMatter, "", _FACTS_REASONS)
        return None, dating, [where.problem(e, meta) for e in errors]
    return parsed, parsed, []


# ------------------------------------------------------------------ errors → readable lines

# Fields whose every error has one explanation (a curator fixes them the same way).
_FACTS_REASONS = {
    "evidence": "evidence quote is missing",
    "title": "title is required",
    "key": "key must be a slug of lower-case letters, digits and hyphens",
    "agreement": "agreement must be the key (slug) of the related agreement",
    "description": "description is required (the term in a few English words)",
    "tenor_months": "tenor_months must be a whole number of months, not {value}",
}
REFERENCE_REASONS = {
    "slug": "slug must be lower-case letters, digits and underscores",
    "name": "a party needs a canonical English name",
}
_REASONS = {
    "missing": "is required",
    "bool_type": "{field} must be true or false, not {value}",
    "int_type": "{field} must be a whole number, not {value}",
    "string_type": "has the wrong type ({value}): text expected",
    "string_pattern_mismatch": "{value} does not have the form of a {field}",
    "list_type": "must be a list",
    "literal_error": "unknown {field} {value} (allowed: {allowed})",
    "iso_date": "{field} {value} is not a real ISO date (YYYY-MM-DD)",
    "date_type": "{field} must be an ISO date (YYYY-MM-DD)",
    "partial_date": "not a date: {value} (expected YYYY-MM-DD, YYYY-MM or YYYY)",
    "date_or_phrase": "not a date: {value} (an ISO date or a period phrase expected)",
    "number_missing": "{field} is missing or not a number",
    "not_a_number": "{field} {value} is not a number",
    "not_finite": "{field} {value} is not a finite number",
    "needs_currency": "a price value needs its currency",
}
_MAPPINGS = {
    "parties": "a party must be a mapping with name and evidence",
    "agreements": "an agreement must be a mapping",
    "claims": "a claim must be a mapping",
    "agreements.volumes": "a volume must be a mapping",
    "agreements.parties": "a party of an agreement must be {name, role}",
}


@dataclass(frozen=True)
class _Where:
    """What a validation error's location is relative to: the file, and the record that was validated."""

    rel: str
    article_id: str | None
    prefix: str | None                # the record's name: "agreements[2] <key>", "front matter", "[3] lithium"
    model: type[BaseModel]            # the record's model
    section: str                      # the section of the facts file the record is in ("" elsewhere)
    reasons: dict[str, str]

    def problem(self, error: Error, item: Any) -> Problem:
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, schema.FormError):  # our own validators: their kind, and the field they name
            error = {**error, "type": cause.kind, "ctx": {"field": cause.field} if cause.field else {}}
        loc, kind = error["loc"], error["type"]
        record, field_ = _locate(self.prefix, loc, keep_last=kind == "list_type")
        field_ = (error.get("ctx") or {}).get("field", field_)
        raw = None if kind in ("missing", "extra_forbidden", "needs_currency") else shorten(error.get("input"))
        return Problem(self.rel, self._reason(error, field_), record=record, field=field_, raw=raw,
                       article_id=self.article_id)

    def _reason(self, error: Error, field_: str | None) -> str:
        loc, kind, value = error["loc"], error["type"], error.get("input")
        if kind in ("extra_forbidden", "invalid_key"):
            what = "section" if self.model is schema.FactsFile and len(loc) == 1 else "field"
            model = _model_at(self.model, loc[:-1])
            known = f" (expected one of {', '.join(sorted(model.model_fields) if what == 'section' else model.model_fields)})" if model else ""
            return f"unknown {what} {loc[-1] if loc else None!r}{known}"
        if kind == "model_type":
            path = ".".join([self.section, *(str(p) for p in loc if isinstance(p, str))]).strip(".")
            return _MAPPINGS.get(path) or f"an entry of {path.rsplit('.', 1)[-1] or self.rel} must be a mapping"
        if kind == "missing" and field_ == "quantity":
            return _REASONS["number_missing"].format(field=field_)
        template = self.reasons.get(field_ or "") or _REASONS.get(kind)
        if template is None:
            return error["msg"]
        allowed = ", ".join(_allowed(error["ctx"]["expected"])) if kind == "literal_error" else ""
        return template.format(field=field_, value=_show(value), allowed=allowed)


def _locate(prefix: str | None, loc: tuple[int | str, ...], keep_last: bool) -> tuple[str | None, str | None]:
    """(record, field) of an error location: ("agreements[0] <key>.volumes[1]", "quantity")."""
    parts = [prefix] if prefix else []
    i = 0
    while i < len(loc):
        name = loc[i]
        if i + 1 < len(loc) and isinstance(loc[i + 1], int):
            parts.append(f"{name}[{loc[i + 1]}]")
            i += 2
        elif i == len(loc) - 1 and not keep_last:
            return ".".join(parts) or None, str(name)
        else:
            parts.append(str(name) if isinstance(name, str) else f"[{name}]")
            i += 1
    return ".".join(parts) or None, None


def _model_at(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model of the record at `loc` below `model` (list fields of models)."""
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
