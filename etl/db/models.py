"""The one definition of critmin's database schema (SQLAlchemy 2 declarative).

Alembic autogenerates migrations from this metadata and `alembic check` compares the database
with it; the pandera schemas in etl/validate/frames.py are derived from it (tests/test_metadata.py checks both).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from etl.db import domain

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SCHEMAS = {
    "core": "critmin core tables: articles, parties, minerals, agreements, volumes, evidence.",
    "etl": "critmin ETL bookkeeping: runs and rejected records.",
    "reporting": "critmin reporting views: the stable interface for SQL clients and BI tools.",
    "intermediate": "critmin private rules shared by the reporting views (which source wins, restated figures counted once, compared quantities); not for readers.",
    "mart": "critmin stored results of the heaviest reporting views, kept current by every load (read them through reporting).",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} in ({quoted})"


def _ck(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    # `info` lets (etl/validate/frames.py) derive the same rule for pandera.
    return CheckConstraint(_in(column, values), name=name or f"{column}_known",
                           info={"column": column, "isin": values})


def _slug(column: str, pattern: str) -> CheckConstraint:
    return CheckConstraint(f"{column} ~ '{pattern}'", name=f"{column}_slug",
                           info={"column": column, "regex": pattern})


QUANTITY = Numeric(28, 6)
MONEY_USD = Numeric(24, 2)


# ---------------------------------------------------------------------------------- core


class Article(Base):
    __tablename__ = "article"
    __table_args__ = (
        _slug("article_id", domain.SLUG_PATTERN),
        _ck("language", domain.LANGUAGES),
        _ck("published_precision", domain.DATE_PRECISIONS),
        CheckConstraint(
            "(published_on is null) = (published_precision = 'unknown')",
            name="published_on_matches_precision",
        ),
        {"schema": "core", "comment": "A news article: the source of every fact in critmin."},
    )

    article_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable slug of the article (its seed file name).")
    title: Mapped[str] = mapped_column(Text, comment="Headline as published.")
    publisher: Mapped[str | None] = mapped_column(Text, comment="Publisher or outlet; null when unknown.")
    url: Mapped[str | None] = mapped_column(Text, comment="Web address of the article; null when unknown.")
    published_on: Mapped[date | None] = mapped_column(Date, comment="Publication date (first day of the month or year when precision is coarser); null when unknown.")
    published_precision: Mapped[str] = mapped_column(String(8), comment="Precision of published_on: day, month, year or unknown.")
    language: Mapped[str] = mapped_column(String(2), comment="Language of the body: ko or en.")
    body: Mapped[str] = mapped_column(Text, comment="Article text, verbatim, that evidence offsets point into.")
    content_hash: Mapped[str] = mapped_column(String(64), comment="SHA-256 of the article file and its curated facts file; unchanged hash means nothing to reload.")
    source_file: Mapped[str | None] = mapped_column(Text, comment="Seed file the article was loaded from.")
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), comment="When this version of the article was loaded.")


class Mineral(Base):
    __tablename__ = "mineral"
    __table_args__ = (
        _slug("mineral_id", domain.MINERAL_SLUG_PATTERN),
        _ck("mineral_group", domain.MINERAL_GROUPS),
        {"schema": "core", "comment": "A mineral or mineral group (e.g. rare_earths)."},
    )

    mineral_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Canonical slug, e.g. antimony, rare_earths.")
    symbol: Mapped[str | None] = mapped_column(String(8), comment="Chemical symbol; null for groups.")
    name_en: Mapped[str] = mapped_column(Text, comment="English name.")
    name_ko: Mapped[str | None] = mapped_column(Text, comment="Korean name.")
    mineral_group: Mapped[str] = mapped_column(String(16), comment="Group: rare_earth, battery_metal, minor_metal, base_metal, precious_metal, other.")


class MineralAlias(Base):
    __tablename__ = "mineral_alias"
    __table_args__ = ({"schema": "core", "comment": "Every spelling of a mineral seen in sources (Korean and English)."},)

    alias: Mapped[str] = mapped_column(Text, primary_key=True, comment="A spelling, as written (matching is case-insensitive).")
    mineral_id: Mapped[str] = mapped_column(ForeignKey("core.mineral.mineral_id", ondelete="CASCADE"), index=True, comment="The mineral it names.")


class Party(Base):
    __tablename__ = "party"
    __table_args__ = (
        _slug("party_id", domain.SLUG_PATTERN),
        _ck("party_type", domain.PARTY_TYPES),
        CheckConstraint("country_code ~ '^[A-Z]{2}$'", name="country_code_iso", info={"column": "country_code", "regex": "^[A-Z]{2}$"}),
        CheckConstraint("wikidata_id ~ '^Q[0-9]+$'", name="wikidata_id_format", info={"column": "wikidata_id", "regex": "^Q[0-9]+$"}),
        CheckConstraint("parent_party_id <> party_id", name="not_own_parent"),
        {"schema": "core", "comment": "A company, government, international organisation, initiative or research body."},
    )

    party_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable slug of the canonical English name.")
    name: Mapped[str] = mapped_column(Text, unique=True, comment="Canonical English name.")
    name_ko: Mapped[str | None] = mapped_column(Text, comment="Korean name where known.")
    party_type: Mapped[str] = mapped_column(String(20), comment="company, government, international_org, initiative or research_org.")
    country_code: Mapped[str | None] = mapped_column(String(2), comment="ISO 3166-1 alpha-2 country; null for multinational bodies.")
    parent_party_id: Mapped[str | None] = mapped_column(ForeignKey("core.party.party_id"), index=True, comment="Parent party (e.g. a subsidiary's owner, a ministry's government).")
    wikidata_id: Mapped[str | None] = mapped_column(Text, comment="Wikidata item id (Q…) where known.")


class PartyAlias(Base):
    __tablename__ = "party_alias"
    __table_args__ = ({"schema": "core", "comment": "Every spelling of a party seen in sources (Korean and English)."},)

    alias: Mapped[str] = mapped_column(Text, primary_key=True, comment="A spelling, as written (matching is case-insensitive).")
    party_id: Mapped[str] = mapped_column(ForeignKey("core.party.party_id", ondelete="CASCADE"), index=True, comment="The party it names.")


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("start_offset >= 0 and end_offset > start_offset", name="offsets_ordered"),
        CheckConstraint("char_length(quote) = end_offset - start_offset", name="quote_matches_offsets"),
        UniqueConstraint("article_id", "start_offset", "end_offset"),
        {"schema": "core", "comment": "An exact span of an article that a fact was taken from."},
    )

    evidence_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable id: article id and offsets.")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), comment="Article the quote is from.")
    start_offset: Mapped[int] = mapped_column(Integer, comment="Character offset where the quote starts in article.body (0-based).")
    end_offset: Mapped[int] = mapped_column(Integer, comment="Character offset just after the quote ends.")
    quote: Mapped[str] = mapped_column(Text, comment="The quoted text, exactly body[start_offset:end_offset].")


class PartyMention(Base):
    __tablename__ = "party_mention"
    __table_args__ = (
        ForeignKeyConstraint(["evidence_id"], ["core.evidence.evidence_id"], ondelete="CASCADE"),
        _ck("review_status", domain.REVIEW_STATUSES),
        {"schema": "core", "comment": "A party named in an article, with the span that names it."},
    )

    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), primary_key=True, comment="Article that mentions the party.")
    party_id: Mapped[str] = mapped_column(ForeignKey("core.party.party_id"), primary_key=True, index=True, comment="Party mentioned.")
    evidence_id: Mapped[str] = mapped_column(Text, index=True, comment="Span that mentions it.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")


class Agreement(Base):
    __tablename__ = "agreement"
    __table_args__ = (
        _slug("agreement_id", domain.SLUG_PATTERN),
        _ck("kind", domain.AGREEMENT_KINDS),
        {"schema": "core", "comment": "A deal, commitment, initiative or measure between parties; one row however many articles report it. Title, kind and location are those of its earliest-published source (each source's own are in agreement_status)."},
    )

    agreement_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable slug shared by every article that reports the agreement.")
    title: Mapped[str] = mapped_column(Text, comment="Short English title.")
    kind: Mapped[str] = mapped_column(String(20), comment="mou, offtake, supply_contract, supply_plan, investment, joint_venture, partnership, initiative, stockpile, export_control, funding_programme or other.")
    location: Mapped[str | None] = mapped_column(Text, comment="Where it was signed or applies, as stated.")


class AgreementStatus(Base):
    __tablename__ = "agreement_status"
    __table_args__ = (
        _ck("status", domain.AGREEMENT_STATUSES),
        _ck("review_status", domain.REVIEW_STATUSES),
        _ck("kind", domain.AGREEMENT_KINDS),
        {"schema": "core", "comment": "Status of an agreement as one article reports it: the history of an agreement, each entry with its source."},
    )

    agreement_id: Mapped[str] = mapped_column(ForeignKey("core.agreement.agreement_id", ondelete="CASCADE"), primary_key=True, comment="The agreement.")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), primary_key=True, index=True, comment="The article reporting this status.")
    status: Mapped[str] = mapped_column(String(12), comment="proposed, planned, signed, non_binding, in_force or cancelled.")
    announced_on: Mapped[date | None] = mapped_column(Date, comment="When the agreement was announced or signed, as this article says; null when it does not say.")
    title: Mapped[str | None] = mapped_column(Text, comment="Title of the agreement as this source's curated file gives it; null when it gives none.")
    kind: Mapped[str | None] = mapped_column(String(20), comment="Kind of agreement as this source reports it; core.agreement.kind is the earliest source's.")
    location: Mapped[str | None] = mapped_column(Text, comment="Location as this source states it.")
    evidence_id: Mapped[str] = mapped_column(ForeignKey("core.evidence.evidence_id", ondelete="CASCADE"), index=True, comment="Span stating the agreement.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")


class AgreementParty(Base):
    __tablename__ = "agreement_party"
    __table_args__ = (
        _ck("role", domain.PARTY_ROLES),
        {"schema": "core", "comment": "A party's role in an agreement, as an article reports it."},
    )

    agreement_id: Mapped[str] = mapped_column(ForeignKey("core.agreement.agreement_id", ondelete="CASCADE"), primary_key=True, comment="The agreement.")
    party_id: Mapped[str] = mapped_column(ForeignKey("core.party.party_id"), primary_key=True, index=True, comment="The party.")
    role: Mapped[str] = mapped_column(String(12), primary_key=True, comment="buyer, seller, supplier, investor, partner, host, chair, member, target or issuer.")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), primary_key=True, index=True, comment="The article reporting it.")


class AgreementMineral(Base):
    __tablename__ = "agreement_mineral"
    __table_args__ = ({"schema": "core", "comment": "A mineral an agreement covers, as an article reports it."},)

    agreement_id: Mapped[str] = mapped_column(ForeignKey("core.agreement.agreement_id", ondelete="CASCADE"), primary_key=True, comment="The agreement.")
    mineral_id: Mapped[str] = mapped_column(ForeignKey("core.mineral.mineral_id"), primary_key=True, index=True, comment="The mineral.")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), primary_key=True, index=True, comment="The article reporting it.")


def _quantity_checks() -> tuple:
    """Checks shared by volume and market_claim: the unit belongs to the measure, numbers are sane."""
    unit_matches = " or ".join(
        f"(measure = '{m}' and {_in('unit', units)})" for m, units in domain.UNITS_BY_MEASURE.items()
    )
    return (
        _ck("measure", domain.MEASURES),
        _ck("unit", domain.UNITS),
        _ck("bound", domain.BOUNDS),
        _ck("review_status", domain.REVIEW_STATUSES),
        CheckConstraint(unit_matches, name="unit_matches_measure"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(f"quantity_tonnes is null or quantity_tonnes <= {domain.MAX_TONNES}", name="tonnes_plausible"),
        CheckConstraint(f"amount_usd is null or amount_usd <= {domain.MAX_AMOUNT_USD}", name="usd_plausible"),
        CheckConstraint("period_end is null or period_start is null or period_end >= period_start", name="period_ordered"),
    )


class Volume(Base):
    __tablename__ = "volume"
    __table_args__ = (
        *_quantity_checks(),
        Index(None, "mineral_id", "period_start"),
        {"schema": "core", "comment": "A quantity attached to an agreement (tonnes, money, share or count), as one article states it."},
    )

    volume_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable id from the article, the evidence span and the figure.")
    agreement_id: Mapped[str] = mapped_column(ForeignKey("core.agreement.agreement_id", ondelete="CASCADE"), index=True, comment="The agreement the figure belongs to.")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), index=True, comment="The article stating the figure.")
    evidence_id: Mapped[str] = mapped_column(ForeignKey("core.evidence.evidence_id", ondelete="CASCADE"), index=True, comment="Span stating the figure.")
    mineral_id: Mapped[str | None] = mapped_column(ForeignKey("core.mineral.mineral_id"), comment="Mineral the figure is about; null when not about one mineral.")
    measure: Mapped[str] = mapped_column(String(8), comment="mass, money, share or count.")
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, comment="The number as stated, scaled by number words (10만톤 → 100000).")
    unit: Mapped[str] = mapped_column(String(8), comment="Unit as stated: t, kg, lb, USD, KRW, EUR, JPY, CNY, % or count.")
    bound: Mapped[str] = mapped_column(String(8), comment="exact, up_to (최대, up to), at_least (이상, more than) or approx (거의, nearly, about).")
    per_year: Mapped[bool] = mapped_column(Boolean, comment="True when the figure is a yearly rate (연간, per year).")
    period_start: Mapped[date | None] = mapped_column(Date, comment="First day the figure applies to (relative dates resolved against the article date).")
    period_end: Mapped[date | None] = mapped_column(Date, comment="Last day the figure applies to; null when open-ended.")
    quantity_tonnes: Mapped[Decimal | None] = mapped_column(QUANTITY, comment="Mass in metric tonnes; null for other measures.")
    amount_usd: Mapped[Decimal | None] = mapped_column(MONEY_USD, comment="Money in US dollars at the dated rate of seeds/reference/fx.yaml; null when no rate applies.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")


class MarketClaim(Base):
    __tablename__ = "market_claim"
    __table_args__ = (
        *_quantity_checks(),
        _ck("topic", domain.CLAIM_TOPICS),
        {"schema": "core", "comment": "A market figure an article states that is not an agreement: market shares, demand or growth forecasts."},
    )

    claim_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable id from the article, the evidence span and the figure.")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), index=True, comment="The article stating the figure.")
    evidence_id: Mapped[str] = mapped_column(ForeignKey("core.evidence.evidence_id", ondelete="CASCADE"), index=True, comment="Span stating the figure.")
    topic: Mapped[str] = mapped_column(String(20), comment="processing_share, demand_growth, market_growth or other.")
    subject_party_id: Mapped[str | None] = mapped_column(ForeignKey("core.party.party_id"), comment="Party the claim is about (e.g. China), if any.")
    mineral_id: Mapped[str | None] = mapped_column(ForeignKey("core.mineral.mineral_id"), comment="Mineral the claim is about, if any.")
    measure: Mapped[str] = mapped_column(String(8), comment="mass, money, share or count.")
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, comment="The number as stated.")
    unit: Mapped[str] = mapped_column(String(8), comment="Unit as stated.")
    bound: Mapped[str] = mapped_column(String(8), comment="exact, up_to, at_least or approx.")
    period_start: Mapped[date | None] = mapped_column(Date, comment="First day the claim applies to.")
    period_end: Mapped[date | None] = mapped_column(Date, comment="Last day the claim applies to.")
    quantity_tonnes: Mapped[Decimal | None] = mapped_column(QUANTITY, comment="Mass in metric tonnes; null for other measures.")
    amount_usd: Mapped[Decimal | None] = mapped_column(MONEY_USD, comment="Money in US dollars; null when no rate applies.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")


class FxRate(Base):
    __tablename__ = "fx_rate"
    __table_args__ = (
        _ck("currency", domain.CURRENCIES),
        CheckConstraint("usd_per_unit > 0", name="rate_positive"),
        {"schema": "core", "comment": "Dated exchange rates to US dollars, each with its source (seeds/reference/fx.yaml)."},
    )

    currency: Mapped[str] = mapped_column(String(3), primary_key=True, comment="ISO 4217 currency code.")
    rate_on: Mapped[date] = mapped_column(Date, primary_key=True, comment="Date the rate applies from.")
    usd_per_unit: Mapped[Decimal] = mapped_column(Numeric(20, 10), comment="US dollars per one unit of the currency.")
    source: Mapped[str] = mapped_column(Text, comment="Where the rate comes from.")


# ----------------------------------------------------------------------------------- etl


class Run(Base):
    __tablename__ = "run"
    __table_args__ = (
        _ck("status", domain.RUN_STATUSES),
        {"schema": "etl", "comment": "One ETL run: what it read, loaded, left unchanged and rejected."},
    )

    run_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True, comment="Run number.")
    command: Mapped[str] = mapped_column(Text, comment="The critmin command that ran (run, load).")
    seeds_dir: Mapped[str] = mapped_column(Text, comment="Seed folder read.")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), comment="Start time.")
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), comment="End time; null while running or after a crash.")
    status: Mapped[str] = mapped_column(String(10), server_default="running", comment="running, succeeded, partial (some input rejected) or failed.")
    articles_read: Mapped[int] = mapped_column(Integer, server_default="0", comment="Articles found in the seed folder.")
    articles_inserted: Mapped[int] = mapped_column(Integer, server_default="0", comment="New articles loaded.")
    articles_updated: Mapped[int] = mapped_column(Integer, server_default="0", comment="Changed articles reloaded.")
    articles_unchanged: Mapped[int] = mapped_column(Integer, server_default="0", comment="Articles skipped because their content hash was unchanged.")
    articles_rejected: Mapped[int] = mapped_column(Integer, server_default="0", comment="Articles rejected whole by validation.")
    articles_deleted: Mapped[int] = mapped_column(Integer, server_default="0", comment="Articles deleted because their files left the seed folder.")
    facts_inserted: Mapped[int] = mapped_column(Integer, server_default="0", comment="Fact rows written (evidence, statuses, parties, minerals, volumes, claims).")
    facts_deleted: Mapped[int] = mapped_column(Integer, server_default="0", comment="Fact rows removed because their article changed.")


class RejectedRow(Base):
    __tablename__ = "rejected_row"
    __table_args__ = ({"schema": "etl", "comment": "A record rejected by validation, with where it was and why."},)

    rejected_row_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True, comment="Row number.")
    run_id: Mapped[int] = mapped_column(ForeignKey("etl.run.run_id", ondelete="CASCADE"), index=True, comment="The run that rejected it.")
    file: Mapped[str] = mapped_column(Text, comment="Seed file, relative to the seed folder.")
    record: Mapped[str | None] = mapped_column(Text, comment="Record within the file (e.g. agreements[2].volumes[0]).")
    field: Mapped[str | None] = mapped_column(Text, comment="Field of the record.")
    reason: Mapped[str] = mapped_column(Text, comment="Why it was rejected, in words.")
    raw: Mapped[str | None] = mapped_column(Text, comment="The offending value or record as text (truncated).")
    rejected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), comment="When.")


# ---------------------------------------------------------------------------------- mart
#
# Stored results of the reporting views that aggregate every fact (reporting.volume_schedule and
# reporting.mineral_summary): each table holds exactly the rows of its view. The parts (mart.*_part)
# hold the per-agreement pieces, so a load recomputes only the agreements it touched; no trigger
# is involved: the load calls mart.refresh_parts and mart.refresh_totals (sql/functions/) before it
# commits, `critmin refresh` after hand edits, and `critmin doctor` says when they are stale
# (etl/load/marts.py).

volume_schedule = Table(
    "volume_schedule", Base.metadata,
    Column("mineral", Text, comment="Mineral slug; null for figures not about one mineral."),
    Column("calendar_year", Integer, nullable=False, comment="Calendar year the tonnes and dollars are counted in."),
    Column("tonnes", QUANTITY, comment="Metric tonnes scheduled for the year."),
    Column("amount_usd", MONEY_USD, comment="US dollars scheduled for the year."),
    Column("volume_count", BigInteger, nullable=False, comment="Number of figures counted in the year."),
    Column("agreement_count", BigInteger, nullable=False, comment="Number of distinct agreements those figures belong to."),
    Column("agreement_ids", Text, comment="Those agreements (comma-separated agreement ids, alphabetical)."),
    Column("bounds", Text, comment="Bounds of the figures summed (comma-separated)."),
    schema="mart",
    comment="Stored rows of reporting.volume_schedule (same columns, see its comments), summed from mart.volume_schedule_part by mart.refresh_totals inside every load and `critmin refresh`.",
)

volume_schedule_part = Table(
    "volume_schedule_part", Base.metadata,
    Column("agreement_id", Text, nullable=False, comment="The agreement the figures belong to."),
    Column("mineral", Text, comment="Mineral slug; null for figures not about one mineral."),
    Column("calendar_year", Integer, nullable=False, comment="Calendar year the figures are counted in."),
    Column("bound", String(8), nullable=False, comment="Bound of the figures: exact, up_to, at_least or approx."),
    Column("tonnes", Numeric, comment="Sum of their metric tonnes; null when none is a mass."),
    Column("amount_usd", Numeric, comment="Sum of their US dollars; null when none is money with a known rate."),
    Column("volume_count", BigInteger, nullable=False, comment="Number of figures."),
    Index(None, "agreement_id"),
    # covers the per-mineral totals: read in index order, no sort
    Index(None, "mineral", "calendar_year", "agreement_id",
          postgresql_include=["bound", "tonnes", "amount_usd", "volume_count"]),
    schema="mart",
    comment="The figures reporting.volume_schedule counts (one source per restated figure), summed per agreement, mineral, calendar year and bound; stored by mart.refresh_parts for the agreements a load touched.",
)

mineral_summary_part = Table(
    "mineral_summary_part", Base.metadata,
    Column("mineral_id", Text, primary_key=True, comment="The mineral."),
    Column("agreement_id", Text, primary_key=True, index=True, comment="An agreement that covers the mineral or states a figure about it."),
    Column("article_id", Text, primary_key=True, comment="The article reporting it."),
    Column("volume_count", BigInteger, nullable=False, comment="Figures about the mineral the article attaches to the agreement."),
    Column("stated_tonnes", Numeric, comment="Sum of their tonnes, a figure restated by several articles counted once (with its chosen source)."),
    Column("stated_amount_usd", Numeric, comment="Sum of their US dollars, a restated figure counted once (with its chosen source)."),
    schema="mart",
    comment="The agreement facts reporting.mineral_summary counts, per mineral, agreement and article; stored by mart.refresh_parts for the agreements a load touched.",
)

mineral_summary = Table(
    "mineral_summary", Base.metadata,
    Column("mineral_id", Text, primary_key=True, comment="Canonical mineral slug."),
    Column("name_en", Text, comment="English name."),
    Column("name_ko", Text, comment="Korean name."),
    Column("symbol", String(8), comment="Chemical symbol; null for groups."),
    Column("mineral_group", String(16), comment="Mineral group."),
    Column("agreement_count", BigInteger, nullable=False, comment="Distinct agreements covering the mineral or stating a figure about it."),
    Column("party_count", BigInteger, nullable=False, comment="Distinct parties in those agreements."),
    Column("countries", Text, comment="Countries of those parties (comma-separated, alphabetical)."),
    Column("volume_count", BigInteger, nullable=False, comment="Agreement figures about the mineral."),
    Column("stated_tonnes", QUANTITY, comment="Sum of the tonnes stated (a restated figure once)."),
    Column("stated_amount_usd", MONEY_USD, comment="Sum of the US dollars stated (a restated figure once)."),
    Column("claim_count", BigInteger, nullable=False, comment="Market claims about the mineral."),
    Column("source_count", BigInteger, nullable=False, comment="Distinct articles with any fact about the mineral."),
    schema="mart",
    comment="Stored rows of reporting.mineral_summary (same columns, see its comments), computed from mart.mineral_summary_part by mart.refresh_totals inside every load and `critmin refresh`.",
)


metadata = Base.metadata
