"""Text primitives shared by the transform stage and the extractor: numbers, units, periods.

Bilingual (Korean / English) quantity, unit, bound and period parsing. One parser serves the
transform stage (checking that an evidence quote agrees with a curated volume) and the automatic
extractor (finding volumes in raw text), so both read numbers the same way. All words come from
``seeds/reference/units.yaml``. Everything is pure: no database, no I/O apart from reading the
lexicon (:func:`load_units`, cached per path).

Modules: :mod:`~etl.text.patterns` (regex pieces), :mod:`~etl.text.units` (the unit lexicon),
:mod:`~etl.text.numbers` (numbers and quantities), :mod:`~etl.text.periods` (period phrases).
"""

from etl.text.numbers import Quantity, parse_number, parse_quantities, to_tonnes
from etl.text.periods import Period, find_periods, resolve_period
from etl.text.units import UnitLexicon, load_units

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
