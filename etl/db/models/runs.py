"""ETL bookkeeping tables: runs and rejected records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from etl.db import domain
from etl.db.models.base import (
    Base,
    known_values,
)


class Run(Base):
    __tablename__ = "run"
    __table_args__ = (
        known_values("status", domain.RUN_STATUSES),
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
