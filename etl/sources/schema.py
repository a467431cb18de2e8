"""The seed format as typed models: an article's front matter and its facts (entity) file.

These models are the one description of the shape of a seed file: the transform works from
them, `etl.validate.shape` turns their validation errors into Problems, and the JSON Schema
under seeds/schema/ is generated from them (`python -m etl.sources.schema` rewrites it,
`--check` says whether it is current). Checks that need the lexicon or the article text
(names, evidence offsets, periods, units of a measure) stay in the transform.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)

from etl.db import domain
from etl.paths import resource_dir
from etl.sources.seeds import as_date

# ------------------------------------------------------------------ field types


class FormError(ValueError):
    """A value not of the form its field needs; `kind` names why (etl.validate.shape words it)."""

    def __init__(self, kind: str, field: str | None = None):
        super().__init__(kind)
        self.kind = kind
        self.field = field   # the field to report, when the error is about a record as a whole


Kind = Literal[domain.AGREEMENT_KINDS]  # type: ignore[valid-type]  # a tuple subscript is the union of its values
Status = Literal[domain.AGREEMENT_STATUSES]  # type: ignore[valid-type]
Role = Literal[domain.PARTY_ROLES]  # type: ignore[valid-type]
Measure = Literal[domain.MEASURES]  # type: ignore[valid-type]
Unit = Literal[domain.UNITS]  # type: ignore[valid-type]
Bound = Literal[domain.BOUNDS]  # type: ignore[valid-type]
Currency = Literal[domain.CURRENCIES]  # type: ignore[valid-type]
MassUnit = Literal[domain.MASS_UNITS]  # type: ignore[valid-type]
Topic = Literal[domain.CLAIM_TOPICS]  # type: ignore[valid-type]
ParticipationRole = Literal[domain.PARTICIPATION_ROLES]  # type: ignore[valid-type]
RelationKind = Literal[domain.RELATION_KINDS]  # type: ignore[valid-type]
Mechanism = Literal[domain.PRICE_MECHANISMS]  # type: ignore[valid-type]
LifecycleEvent = Literal[domain.LIFECYCLE_EVENTS]  # type: ignore[valid-type]
Language = Literal[domain.LANGUAGES]  # type: ignore[valid-type]
Precision = Literal[domain.DATE_PRECISIONS]  # type: ignore[valid-type]
MineralGroup = Literal[domain.MINERAL_GROUPS]  # type: ignore[valid-type]
PartyType = Literal[domain.PARTY_TYPES]  # type: ignore[valid-type]
IdentifierScheme = Literal[domain.IDENTIFIER_SCHEMES]  # type: ignore[valid-type]

# pattern: a search, so "contains something other than white space"
Text = Annotated[StrictStr, Field(pattern=r"\S")]
Evidence = Annotated[StrictStr, Field(pattern=r"\S", description="a quote found verbatim in the article body")]
Slug = Annotated[StrictStr, Field(pattern=domain.SLUG_PATTERN)]
MineralSlug = Annotated[StrictStr, Field(pattern=domain.MINERAL_SLUG_PATTERN)]
Name = Annotated[StrictStr, Field(description="a canonical name or any alias of the reference lexicon")]


def _date_or_phrase(value: Any) -> str | int:
    if isinstance(value, str) or isinstance(value, int) and not isinstance(value, bool):
        return value
    raise FormError("date_or_phrase")


# An ISO date or a phrase resolved against the article date ("지난 18일", "next year", 2026).
DateOrPhrase = Annotated[str | int, BeforeValidator(_date_or_phrase),
                         WithJsonSchema({"type": ["string", "integer"]})]


def _number(value: Any) -> Decimal:
    """A quantity as written: a number, or a string of one (thousands commas allowed)."""
    if value is None or isinstance(value, bool):
        raise FormError("number_missing")
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise FormError("not_a_number") from None
    if not number.is_finite():
        raise FormError("not_finite")
    return number


Number = Annotated[
    Decimal, BeforeValidator(_number),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*[+-]?[0-9][0-9,]*(\.[0-9]+)?([eE][+-]?[0-9]+)?\s*$"}]}),
]


def _iso_day(value: Any) -> date | None:
    try:
        return as_date(value)
    except ValueError:
        raise FormError("iso_date") from None


IsoDay = Annotated[date, BeforeValidator(_iso_day), WithJsonSchema({"type": "string", "format": "date"})]


class Dated(NamedTuple):
    """A date known to the day, month or year (YYYY-MM-DD, YYYY-MM, YYYY)."""

    on: date
    precision: str


def _dated(value: Any) -> Dated:
    text = str(value).strip()
    try:
        if isinstance(value, int) and not isinstance(value, bool) or (len(text) == 4 and text.isdigit()):
            return Dated(date(int(text), 1, 1), "year")
        if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
            return Dated(date(int(text[:4]), int(text[5:]), 1), "month")
        return Dated(as_date(text), "day")  # type: ignore[arg-type]  # a str is never None
    except ValueError:
        raise FormError("partial_date") from None


PartialDate = Annotated[
    Dated, BeforeValidator(_dated),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}]}),
]


class _Record(BaseModel):
    # A misspelt field would otherwise be dropped silently (and its fact lost).
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------ the facts file


class Party(_Record):
    name: Name
    evidence: Evidence


class AgreementParty(_Record):
    name: Name
    role: Role


class Figure(_Record):
    """Quantity, unit, bound and period of a volume or a market claim."""

    measure: Measure
    quantity: Number
    unit: Unit
    bound: Bound = "exact"
    per_year: StrictBool = False
    period: DateOrPhrase | None = Field(None, description="a period phrase, or give period_start / period_end")
    period_start: DateOrPhrase | None = None
    period_end: DateOrPhrase | None = None
    product: Name | None = Field(None, description="a product of reference/products.yaml")
    evidence: Evidence


class Volume(Figure):
    mineral: Name | None = None
    counting_basis: StrictStr | None = Field(None, description="for counts: what was counted")


class Claim(Figure):
    topic: Topic
    subject: Name | None = None
    mineral: Name | None = None


class Participation(_Record):
    party: Name
    role: ParticipationRole
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    evidence: Evidence


class Relation(_Record):
    kind: RelationKind
    agreement: Slug = Field(description="the key of the related agreement")
    evidence: Evidence


class Term(_Record):
    mechanism: Mechanism
    description: Text = Field(description="the term in a few English words")
    mineral: Name | None = None
    value: Number | None = None
    currency: Currency | None = None
    per_unit: MassUnit | None = None
    tenor_months: StrictInt | None = None
    extension_option: StrictStr | None = None
    evidence: Evidence

    @model_validator(mode="after")
    def _value_has_currency(self) -> Term:
        if self.value is not None and self.currency is None:
            raise FormError("needs_currency", field="currency")
        return self


class Event(_Record):
    event: LifecycleEvent
    event_on: PartialDate | None = None
    evidence: Evidence


class Agreement(_Record):
    key: Slug = Field(description="stable agreement id shared by every article reporting it")
    kind: Kind
    title: Text
    status: Status
    announced_on: DateOrPhrase | None = None
    location: StrictStr | None = None
    minerals: list[Name] | None = None
    parties: list[AgreementParty] | None = None
    evidence: Evidence
    volumes: list[Volume] | None = None
    participations: list[Participation] | None = None
    relations: list[Relation] | None = None
    terms: list[Term] | None = None
    events: list[Event] | None = None


class FactsFile(_Record):
    """entities/<article-id>.yaml: the curated facts of one article."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="critmin facts file")
    article: StrictStr | None = Field(None, description="the article id (the file name without .yaml)")
    parties: list[Party] | None = None
    agreements: list[Agreement] | None = None
    claims: list[Claim] | None = None


# ------------------------------------------------------------------ the front matter


class ArticleDating(BaseModel):
    """The front matter fields that date an article (what the facts' relative dates need)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    published_on: IsoDay | None = Field(None, description="first day of the month/year when precision is coarser")
    published_precision: Precision | None = None
    published_not_before: IsoDay | None = Field(
        None, description="lower bound of a month/year-precision date (within that month/year)")


class FrontMatter(ArticleDating):
    """The YAML front matter of articles/<article-id>.md (fields not listed are kept, unread)."""

    model_config = ConfigDict(extra="allow", frozen=True, title="critmin article front matter")
    id: StrictStr | None = Field(None, json_schema_extra={"pattern": domain.SLUG_PATTERN, "maxLength": 80},
                                 description="stable slug; equals the file name")
    title: Text
    publisher: StrictStr | None = None
    url: StrictStr | None = None
    language: Language | None = None
    ai_generated: StrictBool = False
    republished_from: StrictStr | None = None
    source_url: StrictStr | None = None
    source_file: StrictStr | None = None
    notes: StrictStr | None = None
    outside_knowledge: StrictStr | None = None


# ------------------------------------------------------------------ the reference lexicons


class Mineral(_Record):
    """One entry of reference/minerals.yaml."""

    slug: MineralSlug
    symbol: StrictStr | None = None
    name_en: StrictStr | None = None
    name_ko: StrictStr | None = None
    group: MineralGroup | None = None
    aliases: list[StrictStr] | None = None


class Identifier(_Record):
    scheme: IdentifierScheme
    value: StrictStr
    source: StrictStr = Field(description="where the identifier comes from")


class ReferenceParty(_Record):
    """One entry of reference/parties.yaml."""

    name: Text = Field(description="canonical English name (unique)")
    name_ko: StrictStr | None = None
    type: PartyType | None = None
    country: StrictStr | None = Field(None, description="ISO 3166-1 alpha-2, or null")
    parent: StrictStr | None = Field(None, description="canonical name of another party of the file")
    wikidata: StrictStr | None = None
    identifiers: list[Identifier] | None = None
    aliases: list[StrictStr] | None = None


class Product(_Record):
    """One entry of reference/products.yaml."""

    slug: MineralSlug
    name_en: StrictStr | None = None
    name_ko: StrictStr | None = None
    mineral: Name
    contained_factor: Number | None = None
    lce_factor: Number | None = None
    factor_source: StrictStr | None = None
    aliases: list[StrictStr] | None = None


class FxRate(_Record):
    """One entry of reference/fx.yaml."""

    currency: Currency
    rate_on: IsoDay = Field(description="first day of the month the rate is the mean of")
    usd_per_unit: Number
    source: StrictStr


# ------------------------------------------------------------------ the published JSON Schema

SCHEMA_DIR = resource_dir("seeds") / "schema"


def _list_of(model: type[BaseModel], title: str) -> dict[str, Any]:
    return {"title": title, **TypeAdapter(list[model]).json_schema()}  # type: ignore[valid-type]


SCHEMAS = {
    "facts.schema.json": FactsFile.model_json_schema,
    "article-front-matter.schema.json": FrontMatter.model_json_schema,
    "reference-minerals.schema.json": lambda: _list_of(Mineral, "critmin reference/minerals.yaml"),
    "reference-parties.schema.json": lambda: _list_of(ReferenceParty, "critmin reference/parties.yaml"),
    "reference-products.schema.json": lambda: _list_of(Product, "critmin reference/products.yaml"),
    "reference-fx.schema.json": lambda: _list_of(FxRate, "critmin reference/fx.yaml"),
}


def json_schema_text(name: str) -> str:
    """The JSON Schema seeds/schema/<name> holds, as the models describe it today."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **SCHEMAS[name]()}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Write seeds/schema/*.json from the models; with --check, only say whether they are current."""
    stale = [name for name in SCHEMAS
             if not (SCHEMA_DIR / name).is_file() or (SCHEMA_DIR / name).read_text(encoding="utf-8") != json_schema_text(name)]
    if "--check" in argv:
        for name in stale:
            print(f"seeds/schema/{name} differs from the models: run python -m etl.sources.schema", file=sys.stderr)
        return 1 if stale else 0
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (SCHEMA_DIR / name).write_text(json_schema_text(name), encoding="utf-8")
        print(f"wrote seeds/schema/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
