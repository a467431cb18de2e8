"""Mart tables: stored results of the heaviest reporting views, refreshed by every load."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)

from etl.db.models.base import (
    MONEY_USD,
    QUANTITY,
    Base,
)

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
