"""Core tables of agreements and their facts: statuses, parties, minerals, terms, events, volumes, claims; exchange rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from etl.db import domain
from etl.db.models.base import (
    MONEY_USD,
    QUANTITY,
    Base,
    dated_check,
    known_values,
    quantity_checks,
    slug_check,
)


class Agreement(Base):
    __tablename__ = "agreement"
    __table_args__ = (
        slug_check("agreement_id", domain.SLUG_PATTERN),
        known_values("kind", domain.AGREEMENT_KINDS),
        {"schema": "core", "comment": "A deal, commitment, initiative or measure between parties; one row however many articles report it. Title, kind and location are those of its earliest-published source (each source's own are in agreement_status)."},
    )

    agreement_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable slug shared by every article that reports the agreement.")
    title: Mapped[str] = mapped_column(Text, comment="Short English title.")
    kind: Mapped[str] = mapped_column(String(20), comment="mou, offtake, supply_contract, supply_plan, investment, joint_venture, partnership, initiative, stockpile, export_control, funding_programme or other.")
    location: Mapped[str | None] = mapped_column(Text, comment="Where it was signed or applies, as stated.")


class AgreementStatus(Base):
    __tablename__ = "agreement_status"
    __table_args__ = (
        known_values("status", domain.AGREEMENT_STATUSES),
        known_values("review_status", domain.REVIEW_STATUSES),
        known_values("kind", domain.AGREEMENT_KINDS),
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
        known_values("role", domain.PARTY_ROLES),
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




class Participation(Base):
    __tablename__ = "participation"
    __table_args__ = (
        known_values("participation_role", domain.PARTICIPATION_ROLES),
        known_values("valid_from_precision", domain.DATE_PRECISIONS),
        known_values("valid_to_precision", domain.DATE_PRECISIONS),
        known_values("review_status", domain.REVIEW_STATUSES),
        dated_check("valid_from"),
        dated_check("valid_to"),
        CheckConstraint("valid_to_on is null or valid_from_on is null or valid_to_on >= valid_from_on", name="valid_ordered"),
        {"schema": "core", "comment": "A party in an initiative over time (member, chair, attendee, observer, founding member), as one article states it. Attending a meeting is not membership."},
    )

    participation_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable id from the article, the evidence span, the party and the role.")
    agreement_id: Mapped[str] = mapped_column(ForeignKey("core.agreement.agreement_id", ondelete="CASCADE"), index=True, comment="The initiative (an agreement, usually of kind initiative).")
    party_id: Mapped[str] = mapped_column(ForeignKey("core.party.party_id"), index=True, comment="The participating party.")
    participation_role: Mapped[str] = mapped_column(String(16), comment="member, chair, attendee, observer or founding_member.")
    valid_from_on: Mapped[date | None] = mapped_column(Date, comment="First day of the role (first day of the month or year when coarser); null when not stated.")
    valid_from_precision: Mapped[str] = mapped_column(String(8), comment="Precision of valid_from_on: day, month, year or unknown.")
    valid_to_on: Mapped[date | None] = mapped_column(Date, comment="When the role ends (first day of the month or year when coarser: 2026-06-01 with precision month is 'until June 2026'); null when open or not stated.")
    valid_to_precision: Mapped[str] = mapped_column(String(8), comment="Precision of valid_to_on: day, month, year or unknown.")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), index=True, comment="The article stating it.")
    evidence_id: Mapped[str] = mapped_column(ForeignKey("core.evidence.evidence_id", ondelete="CASCADE"), index=True, comment="Span stating it.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")


class AgreementRelation(Base):
    __tablename__ = "agreement_relation"
    __table_args__ = (
        known_values("relation_kind", domain.RELATION_KINDS),
        slug_check("related_agreement_id", domain.SLUG_PATTERN),
        known_values("review_status", domain.REVIEW_STATUSES),
        CheckConstraint("related_agreement_id <> agreement_id", name="not_self"),
        {"schema": "core", "comment": "A relation between two agreements as one article states it: agreement_id succeeds, is part_of, amends or implements related_agreement_id."},
    )

    relation_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable id from the article, the evidence span and the two agreements.")
    agreement_id: Mapped[str] = mapped_column(ForeignKey("core.agreement.agreement_id", ondelete="CASCADE"), index=True, comment="The agreement the relation starts from (FORGE in 'FORGE succeeds MSP').")
    relation_kind: Mapped[str] = mapped_column(String(12), comment="succeeds, part_of, amends or implements.")
    related_agreement_id: Mapped[str] = mapped_column(Text, index=True, comment="The other agreement's id (MSP in 'FORGE succeeds MSP'); not a foreign key, since another article may be the one that reports it.")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), index=True, comment="The article stating it.")
    evidence_id: Mapped[str] = mapped_column(ForeignKey("core.evidence.evidence_id", ondelete="CASCADE"), index=True, comment="Span stating it.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")


class AgreementTerm(Base):
    __tablename__ = "agreement_term"
    __table_args__ = (
        known_values("price_mechanism", domain.PRICE_MECHANISMS),
        known_values("currency", domain.CURRENCIES),
        known_values("per_unit", domain.MASS_UNITS),
        known_values("review_status", domain.REVIEW_STATUSES),
        CheckConstraint("price_value is null or (price_value > 0 and currency is not null)", name="value_has_currency"),
        CheckConstraint("tenor_months is null or tenor_months > 0", name="tenor_positive"),
        {"schema": "core", "comment": "A price term of an agreement (fixed, floor, reference price, index-linked, take-or-pay), with its value, currency and unit where stated, tenor and extension options."},
    )

    term_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable id from the article, the evidence span and the mechanism.")
    agreement_id: Mapped[str] = mapped_column(ForeignKey("core.agreement.agreement_id", ondelete="CASCADE"), index=True, comment="The agreement.")
    price_mechanism: Mapped[str] = mapped_column(String(16), comment="fixed, floor, reference_price, index_linked or take_or_pay.")
    mineral_id: Mapped[str | None] = mapped_column(ForeignKey("core.mineral.mineral_id"), comment="Mineral the term prices; null when it applies generally.")
    price_value: Mapped[Decimal | None] = mapped_column(QUANTITY, comment="The price as stated; null when the article states the mechanism but no value.")
    currency: Mapped[str | None] = mapped_column(String(3), comment="Currency of price_value (ISO 4217).")
    per_unit: Mapped[str | None] = mapped_column(String(8), comment="Mass unit the price is per (t, kg, lb): USD/kg is currency USD, per_unit kg.")
    tenor_months: Mapped[int | None] = mapped_column(Integer, comment="Length of the term in months, where stated.")
    extension_option: Mapped[str | None] = mapped_column(Text, comment="Extension options as stated, where any.")
    description: Mapped[str] = mapped_column(Text, comment="The term in a few English words (e.g. 'reference price at each production stage').")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), index=True, comment="The article stating it.")
    evidence_id: Mapped[str] = mapped_column(ForeignKey("core.evidence.evidence_id", ondelete="CASCADE"), index=True, comment="Span stating it.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")


class AgreementEvent(Base):
    __tablename__ = "agreement_event"
    __table_args__ = (
        known_values("lifecycle_event", domain.LIFECYCLE_EVENTS),
        known_values("event_precision", domain.DATE_PRECISIONS),
        known_values("review_status", domain.REVIEW_STATUSES),
        dated_check("event"),
        {"schema": "core", "comment": "A dated event in an agreement's life (announced, signed, in_force, extended, tightened, eased, suspended, lapsed, superseded), as one article states it; the latest event gives the agreement's current lifecycle state."},
    )

    event_id: Mapped[str] = mapped_column(Text, primary_key=True, comment="Stable id from the article, the evidence span and the event.")
    agreement_id: Mapped[str] = mapped_column(ForeignKey("core.agreement.agreement_id", ondelete="CASCADE"), index=True, comment="The agreement.")
    lifecycle_event: Mapped[str] = mapped_column(String(12), comment="announced, signed, in_force, extended, tightened, eased, suspended, lapsed or superseded.")
    event_on: Mapped[date | None] = mapped_column(Date, comment="When it happened (first day of the month or year when coarser); null when not stated.")
    event_precision: Mapped[str] = mapped_column(String(8), comment="Precision of event_on: day, month, year or unknown.")
    sequence: Mapped[int] = mapped_column(Integer, comment="Order of the event among the article's events of the agreement (0 first): orders undated events ('tightened, then eased').")
    article_id: Mapped[str] = mapped_column(ForeignKey("core.article.article_id", ondelete="CASCADE"), index=True, comment="The article stating it.")
    evidence_id: Mapped[str] = mapped_column(ForeignKey("core.evidence.evidence_id", ondelete="CASCADE"), index=True, comment="Span stating it.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")


class Volume(Base):
    __tablename__ = "volume"
    __table_args__ = (
        *quantity_checks(),
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
    quantity_tonnes: Mapped[Decimal | None] = mapped_column(QUANTITY, comment="Metric tonnes of the mineral itself: the stated mass, or for a product the contained mineral at the product's documented factor; null for other measures and for products without a factor.")
    amount_usd: Mapped[Decimal | None] = mapped_column(MONEY_USD, comment="Money in US dollars at the monthly rate of seeds/reference/fx.yaml for the month of the figure (else of the article); null when no rate covers that month.")
    review_status: Mapped[str] = mapped_column(String(8), server_default="curated", comment="curated (checked by a person) or auto (machine-extracted).")
    product_id: Mapped[str | None] = mapped_column(ForeignKey("core.product.product_id"), index=True, comment="The product as stated (e.g. lithium_hydroxide_monohydrate) when the figure is about a product rather than the mineral itself; quantity stays in the product's unit.")
    counting_basis: Mapped[str | None] = mapped_column(Text, comment="For counts: what was counted, when sources count differently (e.g. countries only, or countries plus the EU); figures on different bases are not conflicts.")


class MarketClaim(Base):
    __tablename__ = "market_claim"
    __table_args__ = (
        *quantity_checks(),
        known_values("topic", domain.CLAIM_TOPICS),
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
        known_values("currency", domain.CURRENCIES),
        CheckConstraint("usd_per_unit > 0", name="rate_positive"),
        CheckConstraint("extract(day from rate_on) = 1", name="rate_on_month"),
        {"schema": "core", "comment": "Monthly exchange rates to US dollars, each with its source (seeds/reference/fx.yaml): a rate converts amounts of its month only."},
    )

    currency: Mapped[str] = mapped_column(String(3), primary_key=True, comment="ISO 4217 currency code.")
    rate_on: Mapped[date] = mapped_column(Date, primary_key=True, comment="First day of the month the rate is the average of (it applies to that month only).")
    usd_per_unit: Mapped[Decimal] = mapped_column(Numeric(20, 10), comment="US dollars per one unit of the currency.")
    source: Mapped[str] = mapped_column(Text, comment="Where the rate comes from.")
