"""The one definition of critmin's database schema (SQLAlchemy 2 declarative), one module per part.

Alembic autogenerates migrations from this metadata and `alembic check` compares the database
with it; the pandera schemas in etl/validate/frames.py are derived from it (tests/test_metadata.py checks both).
"""

from __future__ import annotations

from etl.db.models.agreements import (
    Agreement,
    AgreementEvent,
    AgreementMineral,
    AgreementParty,
    AgreementRelation,
    AgreementStatus,
    AgreementTerm,
    FxRate,
    MarketClaim,
    Participation,
    Volume,
)
from etl.db.models.base import MONEY_USD, NAMING_CONVENTION, QUANTITY, SCHEMAS, Base
from etl.db.models.marts import (
    mineral_summary,
    mineral_summary_part,
    volume_schedule,
    volume_schedule_part,
)
from etl.db.models.parties import (
    Article,
    Evidence,
    Mineral,
    MineralAlias,
    Party,
    PartyAlias,
    PartyIdentifier,
    PartyMention,
    Product,
    ProductAlias,
)
from etl.db.models.runs import RejectedRow, Run

metadata = Base.metadata

__all__ = ['NAMING_CONVENTION', 'SCHEMAS', 'Base', 'QUANTITY', 'MONEY_USD', 'Article', 'Mineral', 'MineralAlias', 'Product', 'ProductAlias', 'Party', 'PartyAlias', 'PartyIdentifier', 'Evidence', 'PartyMention', 'Agreement', 'AgreementStatus', 'AgreementParty', 'AgreementMineral', 'Participation', 'AgreementRelation', 'AgreementTerm', 'AgreementEvent', 'Volume', 'MarketClaim', 'FxRate', 'Run', 'RejectedRow', 'volume_schedule', 'volume_schedule_part', 'mineral_summary_part', 'mineral_summary', 'metadata']
