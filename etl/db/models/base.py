"""Shared parts of critmin's schema definition: the declarative base, naming and check helpers."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    MetaData,
    Numeric,
)
from sqlalchemy.orm import DeclarativeBase

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


def sql_in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} in ({quoted})"


def known_values(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    # `info` lets (etl/validate/frames.py) derive the same rule for pandera.
    return CheckConstraint(sql_in(column, values), name=name or f"{column}_known",
                           info={"column": column, "isin": values})


def slug_check(column: str, pattern: str) -> CheckConstraint:
    return CheckConstraint(f"{column} ~ '{pattern}'", name=f"{column}_slug",
                           info={"column": column, "regex": pattern})


QUANTITY = Numeric(28, 6)
MONEY_USD = Numeric(24, 2)


def dated_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"({column}_on is null) = ({column}_precision = 'unknown')", name=f"{column}_on_matches_precision")



def quantity_checks() -> tuple:
    """Checks shared by volume and market_claim: the unit belongs to the measure, numbers are sane."""
    unit_matches = " or ".join(
        f"(measure = '{m}' and {sql_in('unit', units)})" for m, units in domain.UNITS_BY_MEASURE.items()
    )
    return (
        known_values("measure", domain.MEASURES),
        known_values("unit", domain.UNITS),
        known_values("bound", domain.BOUNDS),
        known_values("review_status", domain.REVIEW_STATUSES),
        CheckConstraint(unit_matches, name="unit_matches_measure"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(f"quantity_tonnes is null or quantity_tonnes <= {domain.MAX_TONNES}", name="tonnes_plausible"),
        CheckConstraint(f"amount_usd is null or amount_usd <= {domain.MAX_AMOUNT_USD}", name="usd_plausible"),
        CheckConstraint("period_end is null or period_start is null or period_end >= period_start", name="period_ordered"),
    )

