"""Compatibility shim: the parser moved to :mod:`etl.text` (delete once no module imports this)."""

from etl.text import (
    Period,
    Quantity,
    UnitLexicon,
    find_periods,
    load_units,
    parse_number,
    parse_quantities,
    resolve_period,
    to_tonnes,
)

__all__ = [
    "Period",
    "Quantity",
    "UnitLexicon",
    "find_periods",
    "load_units",
    "parse_number",
    "parse_quantities",
    "resolve_period",
    "to_tonnes",
]
