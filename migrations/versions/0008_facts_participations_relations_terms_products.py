"""facts: participations, agreement relations, terms, products, lifecycle events, party identifiers, article provenance, monthly FX

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:31:42.960877

New core tables (participation, agreement_relation, agreement_term, agreement_event, product,
product_alias, party_identifier), new columns (article provenance, volume product and counting
basis), monthly FX rates (a rate converts its month only), two vocabulary additions (party role
destination, claim topic import_share), five new reporting views and additive changes to
timeline, conflicts, volumes and sources; reporting.agreements gains lifecycle_state, the latest
lifecycle event; intermediate.compared_volumes gains the counting basis (counts on different bases
do not conflict). The views are applied from this revision's frozen texts
(migrations/frozen/0008/<schema>.<name>.sql); the downgrade restores the texts of the revisions
before it (0007 for agreements, conflicts and compared_volumes; 0003, 0005, 0005 for sources,
timeline, volumes).
"""
import re
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from alembic_utils.pg_view import PGView

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_VIEWS = ("agreement_relations", "agreement_terms", "participations", "party_identifiers", "products")
# Existing views this revision changes additively (no other view reads them).
CHANGED = ("agreements", "conflicts", "sources", "timeline", "volumes")
# the frozen text each of them had before this revision: (revision folder, file name)
BEFORE = {"agreements": ("0007", "reporting.agreements.sql"), "conflicts": ("0007", "reporting.conflicts.sql"),
          "sources": ("0003", "sources.sql"), "timeline": ("0005", "timeline.sql"), "volumes": ("0005", "volumes.sql")}
FROZEN = Path(__file__).resolve().parents[1] / "frozen"
# Unchanged texts that read `select *` of core.article or core.volume: re-created so that their
# column lists take in the new columns (and dropped before the downgrade drops those columns).
RECREATED = (("intermediate", "agreement_sources"), ("intermediate", "counted_volumes"), ("reporting", "evidence"))
# Intermediate views the downgrade drops and restores from revision 0007 (dependency order).
INTERMEDIATE_0007 = ("agreement_sources", "compared_volumes", "counted_volumes", "volume_schedule_parts",
                     "mineral_summary_parts")

ROLES_BEFORE = ('buyer', 'seller', 'supplier', 'investor', 'partner', 'host', 'chair', 'member', 'target', 'issuer')
TOPICS_BEFORE = ('processing_share', 'demand_growth', 'market_growth', 'other')


# Downgrade keeps what the dropped tables and columns hold in etl.*_0008 tables, so that upgrading
# again loses nothing (as revision 0003 does); the upgrade restores and drops them.
BACKUP = "etl.backup_0008_"
NEW_TABLES = ("product", "product_alias", "party_identifier", "participation", "agreement_relation",
              "agreement_term", "agreement_event")  # in foreign-key order
COLUMN_BACKUPS = {
    "article": ("article_id", "original_publisher, is_ai_generated, published_not_before"),
    "volume": ("volume_id", "product_id, counting_basis"),
}


def _exists(table: str) -> bool:
    return op.get_bind().execute(sa.text(f"select to_regclass('{table}')")).scalar() is not None


def _backup() -> None:
    for table in NEW_TABLES:
        op.execute(f"create table {BACKUP}{table} as select * from core.{table}")  # noqa: S608 - module constants only
    for table, (key, columns) in COLUMN_BACKUPS.items():
        op.execute(f"create table {BACKUP}{table} as select {key}, {columns} from core.{table}")  # noqa: S608 - module constants only
    op.execute(f"create table {BACKUP}agreement_party as select * from core.agreement_party where role = 'destination'")  # noqa: S608 - module constants only
    op.execute(f"create table {BACKUP}market_claim as select claim_id from core.market_claim where topic = 'import_share'")  # noqa: S608 - module constants only
    for table in (*NEW_TABLES, *COLUMN_BACKUPS, "agreement_party", "market_claim"):
        op.execute(f"comment on table {BACKUP}{table} is 'Kept by the downgrade of revision 0008; restored and dropped by its upgrade.'")


def _restore() -> None:
    if not _exists(f"{BACKUP}product"):
        return
    for table in NEW_TABLES:
        op.execute(f"insert into core.{table} select * from {BACKUP}{table} on conflict do nothing")  # noqa: S608 - module constants only
    for table, (key, columns) in COLUMN_BACKUPS.items():
        names = [c.strip() for c in columns.split(",")]
        assignments = ", ".join(f"{c} = b.{c}" for c in names)
        op.execute(f"update core.{table} t set {assignments} from {BACKUP}{table} b where b.{key} = t.{key}")  # noqa: S608 - module constants only
    op.execute(f"insert into core.agreement_party select * from {BACKUP}agreement_party on conflict do nothing")  # noqa: S608 - module constants only
    op.execute(f"update core.market_claim t set topic = 'import_share' from {BACKUP}market_claim b where b.claim_id = t.claim_id")  # noqa: S608 - module constants only
    for table in (*NEW_TABLES, *COLUMN_BACKUPS, "agreement_party", "market_claim"):
        op.execute(f"drop table {BACKUP}{table}")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


def _replace_check(table: str, name: str, column: str, values: tuple[str, ...]) -> None:
    op.drop_constraint(op.f(name), table, schema="core", type_="check")
    op.create_check_constraint(op.f(name), table, _in(column, values), schema="core")


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('party_identifier',
    sa.Column('party_id', sa.Text(), nullable=False, comment='The party.'),
    sa.Column('scheme', sa.String(length=10), nullable=False, comment='wikidata (Q-id), lei (ISO 17442), opendart (OpenDART corp code), ticker (EXCHANGE:SYMBOL) or isin (ISO 6166).'),
    sa.Column('value', sa.Text(), nullable=False, comment='The identifier as the register writes it.'),
    sa.Column('source', sa.Text(), nullable=False, comment='Where the identifier comes from; outside knowledge is marked as such.'),
    sa.CheckConstraint("scheme in ('wikidata', 'lei', 'opendart', 'ticker', 'isin')", name=op.f('ck_party_identifier_scheme_known')),
    sa.ForeignKeyConstraint(['party_id'], ['core.party.party_id'], name=op.f('fk_party_identifier_party_id_party'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('party_id', 'scheme', 'value', name=op.f('pk_party_identifier')),
    schema='core',
    comment='An identifier of a party in an outside register (Wikidata, LEI, OpenDART, exchange ticker, ISIN), each with its source; LEI and ISIN check digits are validated on load.'
    )
    op.create_table('product',
    sa.Column('product_id', sa.Text(), nullable=False, comment='Canonical slug, e.g. lithium_hydroxide_monohydrate.'),
    sa.Column('name_en', sa.Text(), nullable=False, comment='English name.'),
    sa.Column('name_ko', sa.Text(), nullable=True, comment='Korean name.'),
    sa.Column('mineral_id', sa.Text(), nullable=False, comment='The mineral the product contains or is made of.'),
    sa.Column('contained_factor', sa.Numeric(precision=12, scale=6), nullable=True, comment='Tonnes of contained mineral per tonne of product; null when no documented factor exists (then its tonnes are never counted as tonnes of the mineral).'),
    sa.Column('lce_factor', sa.Numeric(precision=12, scale=6), nullable=True, comment='Tonnes of lithium carbonate equivalent per tonne of product (lithium products only); null when none is documented.'),
    sa.Column('factor_source', sa.Text(), nullable=True, comment='Where the factors come from (e.g. stoichiometry with the IUPAC standard atomic weights).'),
    sa.CheckConstraint("product_id ~ '^[a-z0-9]+(_[a-z0-9]+)*$'", name=op.f('ck_product_product_id_slug')),
    sa.CheckConstraint('(contained_factor is null and lce_factor is null) or factor_source is not null', name=op.f('ck_product_factor_has_source')),
    sa.CheckConstraint('contained_factor is null or (contained_factor > 0 and contained_factor <= 1)', name=op.f('ck_product_contained_factor_fraction')),
    sa.CheckConstraint('lce_factor is null or lce_factor > 0', name=op.f('ck_product_lce_factor_positive')),
    sa.ForeignKeyConstraint(['mineral_id'], ['core.mineral.mineral_id'], name=op.f('fk_product_mineral_id_mineral')),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_product')),
    schema='core',
    comment='What is traded, as stated (lithium hydroxide, NdPr oxide, magnets), with its mineral and, where a documented factor exists, its conversion to contained mineral and to lithium carbonate equivalent (seeds/reference/products.yaml).'
    )
    op.create_index(op.f('ix_product_mineral_id'), 'product', ['mineral_id'], unique=False, schema='core')
    op.create_table('agreement_event',
    sa.Column('event_id', sa.Text(), nullable=False, comment='Stable id from the article, the evidence span and the event.'),
    sa.Column('agreement_id', sa.Text(), nullable=False, comment='The agreement.'),
    sa.Column('lifecycle_event', sa.String(length=12), nullable=False, comment='announced, signed, in_force, extended, tightened, eased, suspended, lapsed or superseded.'),
    sa.Column('event_on', sa.Date(), nullable=True, comment='When it happened (first day of the month or year when coarser); null when not stated.'),
    sa.Column('event_precision', sa.String(length=8), nullable=False, comment='Precision of event_on: day, month, year or unknown.'),
    sa.Column('sequence', sa.Integer(), nullable=False, comment="Order of the event among the article's events of the agreement (0 first): orders undated events ('tightened, then eased')."),
    sa.Column('article_id', sa.Text(), nullable=False, comment='The article stating it.'),
    sa.Column('evidence_id', sa.Text(), nullable=False, comment='Span stating it.'),
    sa.Column('review_status', sa.String(length=8), server_default='curated', nullable=False, comment='curated (checked by a person) or auto (machine-extracted).'),
    sa.CheckConstraint("(event_on is null) = (event_precision = 'unknown')", name=op.f('ck_agreement_event_event_on_matches_precision')),
    sa.CheckConstraint("event_precision in ('day', 'month', 'year', 'unknown')", name=op.f('ck_agreement_event_event_precision_known')),
    sa.CheckConstraint("lifecycle_event in ('announced', 'signed', 'in_force', 'extended', 'tightened', 'eased', 'suspended', 'lapsed', 'superseded')", name=op.f('ck_agreement_event_lifecycle_event_known')),
    sa.CheckConstraint("review_status in ('curated', 'auto')", name=op.f('ck_agreement_event_review_status_known')),
    sa.ForeignKeyConstraint(['agreement_id'], ['core.agreement.agreement_id'], name=op.f('fk_agreement_event_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['article_id'], ['core.article.article_id'], name=op.f('fk_agreement_event_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['core.evidence.evidence_id'], name=op.f('fk_agreement_event_evidence_id_evidence'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_agreement_event')),
    schema='core',
    comment="A dated event in an agreement's life (announced, signed, in_force, extended, tightened, eased, suspended, lapsed, superseded), as one article states it; the latest event gives the agreement's current lifecycle state."
    )
    op.create_index(op.f('ix_agreement_event_agreement_id'), 'agreement_event', ['agreement_id'], unique=False, schema='core')
    op.create_index(op.f('ix_agreement_event_article_id'), 'agreement_event', ['article_id'], unique=False, schema='core')
    op.create_index(op.f('ix_agreement_event_evidence_id'), 'agreement_event', ['evidence_id'], unique=False, schema='core')
    op.create_table('agreement_relation',
    sa.Column('relation_id', sa.Text(), nullable=False, comment='Stable id from the article, the evidence span and the two agreements.'),
    sa.Column('agreement_id', sa.Text(), nullable=False, comment="The agreement the relation starts from (FORGE in 'FORGE succeeds MSP')."),
    sa.Column('relation_kind', sa.String(length=12), nullable=False, comment='succeeds, part_of, amends or implements.'),
    sa.Column('related_agreement_id', sa.Text(), nullable=False, comment="The other agreement's id (MSP in 'FORGE succeeds MSP'); not a foreign key, since another article may be the one that reports it."),
    sa.Column('article_id', sa.Text(), nullable=False, comment='The article stating it.'),
    sa.Column('evidence_id', sa.Text(), nullable=False, comment='Span stating it.'),
    sa.Column('review_status', sa.String(length=8), server_default='curated', nullable=False, comment='curated (checked by a person) or auto (machine-extracted).'),
    sa.CheckConstraint("related_agreement_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_agreement_relation_related_agreement_id_slug')),
    sa.CheckConstraint("relation_kind in ('succeeds', 'part_of', 'amends', 'implements')", name=op.f('ck_agreement_relation_relation_kind_known')),
    sa.CheckConstraint("review_status in ('curated', 'auto')", name=op.f('ck_agreement_relation_review_status_known')),
    sa.CheckConstraint('related_agreement_id <> agreement_id', name=op.f('ck_agreement_relation_not_self')),
    sa.ForeignKeyConstraint(['agreement_id'], ['core.agreement.agreement_id'], name=op.f('fk_agreement_relation_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['article_id'], ['core.article.article_id'], name=op.f('fk_agreement_relation_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['core.evidence.evidence_id'], name=op.f('fk_agreement_relation_evidence_id_evidence'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('relation_id', name=op.f('pk_agreement_relation')),
    schema='core',
    comment='A relation between two agreements as one article states it: agreement_id succeeds, is part_of, amends or implements related_agreement_id.'
    )
    op.create_index(op.f('ix_agreement_relation_agreement_id'), 'agreement_relation', ['agreement_id'], unique=False, schema='core')
    op.create_index(op.f('ix_agreement_relation_article_id'), 'agreement_relation', ['article_id'], unique=False, schema='core')
    op.create_index(op.f('ix_agreement_relation_evidence_id'), 'agreement_relation', ['evidence_id'], unique=False, schema='core')
    op.create_index(op.f('ix_agreement_relation_related_agreement_id'), 'agreement_relation', ['related_agreement_id'], unique=False, schema='core')
    op.create_table('agreement_term',
    sa.Column('term_id', sa.Text(), nullable=False, comment='Stable id from the article, the evidence span and the mechanism.'),
    sa.Column('agreement_id', sa.Text(), nullable=False, comment='The agreement.'),
    sa.Column('price_mechanism', sa.String(length=16), nullable=False, comment='fixed, floor, reference_price, index_linked or take_or_pay.'),
    sa.Column('mineral_id', sa.Text(), nullable=True, comment='Mineral the term prices; null when it applies generally.'),
    sa.Column('price_value', sa.Numeric(precision=28, scale=6), nullable=True, comment='The price as stated; null when the article states the mechanism but no value.'),
    sa.Column('currency', sa.String(length=3), nullable=True, comment='Currency of price_value (ISO 4217).'),
    sa.Column('per_unit', sa.String(length=8), nullable=True, comment='Mass unit the price is per (t, kg, lb): USD/kg is currency USD, per_unit kg.'),
    sa.Column('tenor_months', sa.Integer(), nullable=True, comment='Length of the term in months, where stated.'),
    sa.Column('extension_option', sa.Text(), nullable=True, comment='Extension options as stated, where any.'),
    sa.Column('description', sa.Text(), nullable=False, comment="The term in a few English words (e.g. 'reference price at each production stage')."),
    sa.Column('article_id', sa.Text(), nullable=False, comment='The article stating it.'),
    sa.Column('evidence_id', sa.Text(), nullable=False, comment='Span stating it.'),
    sa.Column('review_status', sa.String(length=8), server_default='curated', nullable=False, comment='curated (checked by a person) or auto (machine-extracted).'),
    sa.CheckConstraint("currency in ('USD', 'KRW', 'EUR', 'JPY', 'CNY')", name=op.f('ck_agreement_term_currency_known')),
    sa.CheckConstraint("per_unit in ('t', 'kg', 'lb')", name=op.f('ck_agreement_term_per_unit_known')),
    sa.CheckConstraint("price_mechanism in ('fixed', 'floor', 'reference_price', 'index_linked', 'take_or_pay')", name=op.f('ck_agreement_term_price_mechanism_known')),
    sa.CheckConstraint("review_status in ('curated', 'auto')", name=op.f('ck_agreement_term_review_status_known')),
    sa.CheckConstraint('price_value is null or (price_value > 0 and currency is not null)', name=op.f('ck_agreement_term_value_has_currency')),
    sa.CheckConstraint('tenor_months is null or tenor_months > 0', name=op.f('ck_agreement_term_tenor_positive')),
    sa.ForeignKeyConstraint(['agreement_id'], ['core.agreement.agreement_id'], name=op.f('fk_agreement_term_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['article_id'], ['core.article.article_id'], name=op.f('fk_agreement_term_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['core.evidence.evidence_id'], name=op.f('fk_agreement_term_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mineral_id'], ['core.mineral.mineral_id'], name=op.f('fk_agreement_term_mineral_id_mineral')),
    sa.PrimaryKeyConstraint('term_id', name=op.f('pk_agreement_term')),
    schema='core',
    comment='A price term of an agreement (fixed, floor, reference price, index-linked, take-or-pay), with its value, currency and unit where stated, tenor and extension options.'
    )
    op.create_index(op.f('ix_agreement_term_agreement_id'), 'agreement_term', ['agreement_id'], unique=False, schema='core')
    op.create_index(op.f('ix_agreement_term_article_id'), 'agreement_term', ['article_id'], unique=False, schema='core')
    op.create_index(op.f('ix_agreement_term_evidence_id'), 'agreement_term', ['evidence_id'], unique=False, schema='core')
    op.create_table('participation',
    sa.Column('participation_id', sa.Text(), nullable=False, comment='Stable id from the article, the evidence span, the party and the role.'),
    sa.Column('agreement_id', sa.Text(), nullable=False, comment='The initiative (an agreement, usually of kind initiative).'),
    sa.Column('party_id', sa.Text(), nullable=False, comment='The participating party.'),
    sa.Column('participation_role', sa.String(length=16), nullable=False, comment='member, chair, attendee, observer or founding_member.'),
    sa.Column('valid_from_on', sa.Date(), nullable=True, comment='First day of the role (first day of the month or year when coarser); null when not stated.'),
    sa.Column('valid_from_precision', sa.String(length=8), nullable=False, comment='Precision of valid_from_on: day, month, year or unknown.'),
    sa.Column('valid_to_on', sa.Date(), nullable=True, comment="When the role ends (first day of the month or year when coarser: 2026-06-01 with precision month is 'until June 2026'); null when open or not stated."),
    sa.Column('valid_to_precision', sa.String(length=8), nullable=False, comment='Precision of valid_to_on: day, month, year or unknown.'),
    sa.Column('article_id', sa.Text(), nullable=False, comment='The article stating it.'),
    sa.Column('evidence_id', sa.Text(), nullable=False, comment='Span stating it.'),
    sa.Column('review_status', sa.String(length=8), server_default='curated', nullable=False, comment='curated (checked by a person) or auto (machine-extracted).'),
    sa.CheckConstraint("(valid_from_on is null) = (valid_from_precision = 'unknown')", name=op.f('ck_participation_valid_from_on_matches_precision')),
    sa.CheckConstraint("(valid_to_on is null) = (valid_to_precision = 'unknown')", name=op.f('ck_participation_valid_to_on_matches_precision')),
    sa.CheckConstraint("participation_role in ('member', 'chair', 'attendee', 'observer', 'founding_member')", name=op.f('ck_participation_participation_role_known')),
    sa.CheckConstraint("review_status in ('curated', 'auto')", name=op.f('ck_participation_review_status_known')),
    sa.CheckConstraint("valid_from_precision in ('day', 'month', 'year', 'unknown')", name=op.f('ck_participation_valid_from_precision_known')),
    sa.CheckConstraint("valid_to_precision in ('day', 'month', 'year', 'unknown')", name=op.f('ck_participation_valid_to_precision_known')),
    sa.CheckConstraint('valid_to_on is null or valid_from_on is null or valid_to_on >= valid_from_on', name=op.f('ck_participation_valid_ordered')),
    sa.ForeignKeyConstraint(['agreement_id'], ['core.agreement.agreement_id'], name=op.f('fk_participation_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['article_id'], ['core.article.article_id'], name=op.f('fk_participation_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['core.evidence.evidence_id'], name=op.f('fk_participation_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['core.party.party_id'], name=op.f('fk_participation_party_id_party')),
    sa.PrimaryKeyConstraint('participation_id', name=op.f('pk_participation')),
    schema='core',
    comment='A party in an initiative over time (member, chair, attendee, observer, founding member), as one article states it. Attending a meeting is not membership.'
    )
    op.create_index(op.f('ix_participation_agreement_id'), 'participation', ['agreement_id'], unique=False, schema='core')
    op.create_index(op.f('ix_participation_article_id'), 'participation', ['article_id'], unique=False, schema='core')
    op.create_index(op.f('ix_participation_evidence_id'), 'participation', ['evidence_id'], unique=False, schema='core')
    op.create_index(op.f('ix_participation_party_id'), 'participation', ['party_id'], unique=False, schema='core')
    op.create_table('product_alias',
    sa.Column('alias', sa.Text(), nullable=False, comment='A spelling, as written (matching is case-insensitive).'),
    sa.Column('product_id', sa.Text(), nullable=False, comment='The product it names.'),
    sa.ForeignKeyConstraint(['product_id'], ['core.product.product_id'], name=op.f('fk_product_alias_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alias', name=op.f('pk_product_alias')),
    schema='core',
    comment='Every spelling of a product seen in sources (Korean and English).'
    )
    op.create_index(op.f('ix_product_alias_product_id'), 'product_alias', ['product_id'], unique=False, schema='core')
    op.add_column('article', sa.Column('original_publisher', sa.Text(), nullable=True, comment='Outlet that first published the text when this page republishes it (e.g. YTN for an archyde page); null when the page is the original or does not say.'), schema='core')
    op.add_column('article', sa.Column('is_ai_generated', sa.Boolean(), server_default=sa.text('false'), nullable=False, comment="True when the page labels its text, or part of it, as machine-written (e.g. 'Generated by AI')."), schema='core')
    op.add_column('article', sa.Column('published_not_before', sa.Date(), nullable=True, comment='Lower bound of the publication date, from the dated events the article reports, when published_on is coarser than a day (published_on keeps the first day of its month or year).'), schema='core')
    op.alter_column('fx_rate', 'rate_on',
               existing_type=sa.DATE(),
               comment='First day of the month the rate is the average of (it applies to that month only).',
               existing_comment='Date the rate applies from.',
               existing_nullable=False,
               schema='core')
    op.create_table_comment(
        'fx_rate',
        'Monthly exchange rates to US dollars, each with its source (seeds/reference/fx.yaml): a rate converts amounts of its month only.',
        existing_comment='Dated exchange rates to US dollars, each with its source (seeds/reference/fx.yaml).',
        schema='core'
    )
    op.add_column('volume', sa.Column('product_id', sa.Text(), nullable=True, comment="The product as stated (e.g. lithium_hydroxide_monohydrate) when the figure is about a product rather than the mineral itself; quantity stays in the product's unit."), schema='core')
    op.add_column('volume', sa.Column('counting_basis', sa.Text(), nullable=True, comment='For counts: what was counted, when sources count differently (e.g. countries only, or countries plus the EU); figures on different bases are not conflicts.'), schema='core')
    op.alter_column('volume', 'quantity_tonnes',
               existing_type=sa.NUMERIC(precision=28, scale=6),
               comment="Metric tonnes of the mineral itself: the stated mass, or for a product the contained mineral at the product's documented factor; null for other measures and for products without a factor.",
               existing_comment='Mass in metric tonnes; null for other measures.',
               existing_nullable=True,
               schema='core')
    op.alter_column('volume', 'amount_usd',
               existing_type=sa.NUMERIC(precision=24, scale=2),
               comment='Money in US dollars at the monthly rate of seeds/reference/fx.yaml for the month of the figure (else of the article); null when no rate covers that month.',
               existing_comment='Money in US dollars at the dated rate of seeds/reference/fx.yaml; null when no rate applies.',
               existing_nullable=True,
               schema='core')
    op.create_index(op.f('ix_volume_product_id'), 'volume', ['product_id'], unique=False, schema='core')
    op.create_foreign_key(op.f('fk_volume_product_id_product'), 'volume', 'product', ['product_id'], ['product_id'], source_schema='core', referent_schema='core')
    # ### end Alembic commands ###
    op.create_check_constraint(op.f("ck_article_not_before_within_period"), "article",
                               "published_not_before is null or published_not_before >= published_on", schema="core")
    # Rates used to apply from their date on, open-ended; now one rate converts one month only.
    op.execute("delete from core.fx_rate where extract(day from rate_on) <> 1")
    op.create_check_constraint(op.f("ck_fx_rate_rate_on_month"), "fx_rate", "extract(day from rate_on) = 1", schema="core")
    _replace_check("agreement_party", "ck_agreement_party_role_known", "role", (*ROLES_BEFORE, "destination"))
    _replace_check("market_claim", "ck_market_claim_topic_known", "topic",
                   ('processing_share', 'demand_growth', 'market_growth', 'import_share', 'other'))
    _restore()
    _apply_view("intermediate", "compared_volumes", replace=True)  # a column added at the end
    for schema, name in RECREATED:
        _apply_view(schema, name, replace=True)
    for name in CHANGED:
        _apply_view("reporting", name, replace=True)  # columns added at the end: grants kept
    for name in NEW_VIEWS:
        _apply_view("reporting", name, replace=False)  # the schema's default privileges grant SELECT


def downgrade() -> None:
    # The changed views read the new columns: drop them first, re-create them after.
    for name in (*CHANGED, *NEW_VIEWS, "evidence"):
        op.execute(f"drop view reporting.{name}")
    for name in reversed(INTERMEDIATE_0007):
        op.execute(f"drop view intermediate.{name}")
    _backup()
    op.execute("delete from core.agreement_party where role = 'destination'")
    op.execute("update core.market_claim set topic = 'other' where topic = 'import_share'")
    _replace_check("agreement_party", "ck_agreement_party_role_known", "role", ROLES_BEFORE)
    _replace_check("market_claim", "ck_market_claim_topic_known", "topic", TOPICS_BEFORE)
    op.drop_constraint(op.f("ck_fx_rate_rate_on_month"), "fx_rate", schema="core", type_="check")
    op.drop_constraint(op.f("ck_article_not_before_within_period"), "article", schema="core", type_="check")
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_constraint(op.f('fk_volume_product_id_product'), 'volume', schema='core', type_='foreignkey')
    op.drop_index(op.f('ix_volume_product_id'), table_name='volume', schema='core')
    op.alter_column('volume', 'amount_usd',
               existing_type=sa.NUMERIC(precision=24, scale=2),
               comment='Money in US dollars at the dated rate of seeds/reference/fx.yaml; null when no rate applies.',
               existing_comment='Money in US dollars at the monthly rate of seeds/reference/fx.yaml for the month of the figure (else of the article); null when no rate covers that month.',
               existing_nullable=True,
               schema='core')
    op.alter_column('volume', 'quantity_tonnes',
               existing_type=sa.NUMERIC(precision=28, scale=6),
               comment='Mass in metric tonnes; null for other measures.',
               existing_comment="Metric tonnes of the mineral itself: the stated mass, or for a product the contained mineral at the product's documented factor; null for other measures and for products without a factor.",
               existing_nullable=True,
               schema='core')
    op.drop_column('volume', 'counting_basis', schema='core')
    op.drop_column('volume', 'product_id', schema='core')
    op.create_table_comment(
        'fx_rate',
        'Dated exchange rates to US dollars, each with its source (seeds/reference/fx.yaml).',
        existing_comment='Monthly exchange rates to US dollars, each with its source (seeds/reference/fx.yaml): a rate converts amounts of its month only.',
        schema='core'
    )
    op.alter_column('fx_rate', 'rate_on',
               existing_type=sa.DATE(),
               comment='Date the rate applies from.',
               existing_comment='First day of the month the rate is the average of (it applies to that month only).',
               existing_nullable=False,
               schema='core')
    op.drop_column('article', 'published_not_before', schema='core')
    op.drop_column('article', 'is_ai_generated', schema='core')
    op.drop_column('article', 'original_publisher', schema='core')
    op.drop_index(op.f('ix_product_alias_product_id'), table_name='product_alias', schema='core')
    op.drop_table('product_alias', schema='core')
    op.drop_index(op.f('ix_participation_party_id'), table_name='participation', schema='core')
    op.drop_index(op.f('ix_participation_evidence_id'), table_name='participation', schema='core')
    op.drop_index(op.f('ix_participation_article_id'), table_name='participation', schema='core')
    op.drop_index(op.f('ix_participation_agreement_id'), table_name='participation', schema='core')
    op.drop_table('participation', schema='core')
    op.drop_index(op.f('ix_agreement_term_evidence_id'), table_name='agreement_term', schema='core')
    op.drop_index(op.f('ix_agreement_term_article_id'), table_name='agreement_term', schema='core')
    op.drop_index(op.f('ix_agreement_term_agreement_id'), table_name='agreement_term', schema='core')
    op.drop_table('agreement_term', schema='core')
    op.drop_index(op.f('ix_agreement_relation_related_agreement_id'), table_name='agreement_relation', schema='core')
    op.drop_index(op.f('ix_agreement_relation_evidence_id'), table_name='agreement_relation', schema='core')
    op.drop_index(op.f('ix_agreement_relation_article_id'), table_name='agreement_relation', schema='core')
    op.drop_index(op.f('ix_agreement_relation_agreement_id'), table_name='agreement_relation', schema='core')
    op.drop_table('agreement_relation', schema='core')
    op.drop_index(op.f('ix_agreement_event_evidence_id'), table_name='agreement_event', schema='core')
    op.drop_index(op.f('ix_agreement_event_article_id'), table_name='agreement_event', schema='core')
    op.drop_index(op.f('ix_agreement_event_agreement_id'), table_name='agreement_event', schema='core')
    op.drop_table('agreement_event', schema='core')
    op.drop_index(op.f('ix_product_mineral_id'), table_name='product', schema='core')
    op.drop_table('product', schema='core')
    op.drop_table('party_identifier', schema='core')
    # ### end Alembic commands ###
    for name in INTERMEDIATE_0007:
        _execute((FROZEN / "0007" / f"intermediate.{name}.sql").read_text(encoding="utf-8"))
    _execute((FROZEN / "0005" / "evidence.sql").read_text(encoding="utf-8"))
    for name in CHANGED:
        folder, file = BEFORE[name]
        _execute((FROZEN / folder / file).read_text(encoding="utf-8"))


def _execute(text: str) -> None:
    # Raw psycopg: several statements at once, no bind-parameter parsing of the SQL text.
    with op.get_bind().connection.dbapi_connection.cursor() as cur:
        cur.execute(text)


def _apply_view(schema: str, name: str, *, replace: bool) -> None:
    """The view of this revision's frozen text, then its comments."""
    text = (FROZEN / revision / f"{schema}.{name}.sql").read_text(encoding="utf-8")
    # a statement ends with ';' at the end of a line (comment texts hold '; ' inside quotes)
    create, *comments = [s.strip() for s in re.split(r";[ \t]*\n", text.strip() + "\n") if s.strip()]
    entity = PGView.from_sql(create)
    if replace:
        op.replace_entity(entity)
    else:
        op.create_entity(entity)
    for comment in comments:
        _execute(comment)
