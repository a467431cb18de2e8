"""The closed vocabularies of the domain, defined once.

The SQLAlchemy models turn them into CHECK constraints, the pandera schemas into `isin` checks,
and the seed validator into readable errors.
"""

AGREEMENT_KINDS = (
    "mou", "offtake", "supply_contract", "supply_plan", "investment", "joint_venture",
    "partnership", "initiative", "stockpile", "export_control", "funding_programme", "other",
)
AGREEMENT_STATUSES = ("proposed", "planned", "signed", "non_binding", "in_force", "cancelled")
PARTY_ROLES = (
    "buyer", "seller", "supplier", "investor", "partner", "host", "chair", "member", "target",
    "issuer", "destination",
)
PARTY_TYPES = ("company", "government", "international_org", "initiative", "research_org")
MEASURES = ("mass", "money", "share", "count")
BOUNDS = ("exact", "up_to", "at_least", "approx")
MASS_UNITS = ("t", "kg", "lb")
CURRENCIES = ("USD", "KRW", "EUR", "JPY", "CNY")
UNITS_BY_MEASURE = {
    "mass": MASS_UNITS,
    "money": CURRENCIES,
    "share": ("%",),
    "count": ("count",),
}
UNITS = tuple(u for units in UNITS_BY_MEASURE.values() for u in units)
MINERAL_GROUPS = (
    "rare_earth", "battery_metal", "minor_metal", "base_metal", "precious_metal", "other",
)
LANGUAGES = ("ko", "en")
DATE_PRECISIONS = ("day", "month", "year", "unknown")
CLAIM_TOPICS = ("processing_share", "demand_growth", "market_growth", "import_share", "other")
# A party in an initiative over time (attending a meeting is not membership).
PARTICIPATION_ROLES = ("member", "chair", "attendee", "observer", "founding_member")
# agreement_id <kind> related_agreement_id: FORGE succeeds MSP.
RELATION_KINDS = ("succeeds", "part_of", "amends", "implements")
PRICE_MECHANISMS = ("fixed", "floor", "reference_price", "index_linked", "take_or_pay")
# Dated events of an agreement; the latest one gives its current lifecycle state.
LIFECYCLE_EVENTS = (
    "announced", "signed", "in_force", "extended", "tightened", "eased", "suspended", "lapsed",
    "superseded",
)
IDENTIFIER_SCHEMES = ("wikidata", "lei", "opendart", "ticker", "isin")
REVIEW_STATUSES = ("curated", "auto")
RUN_STATUSES = ("running", "succeeded", "partial", "failed")

# Identifiers: lower-case slugs, safe in file names, URLs and SQL literals.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MINERAL_SLUG_PATTERN = r"^[a-z0-9]+(_[a-z0-9]+)*$"
# Sanity ceilings: anything above is a typo or a unit error, not a deal.
MAX_TONNES = 10**10        # ~ world mine output of all minerals in a year
MAX_AMOUNT_USD = 10**13    # ~ ten trillion dollars
