"""Numbers and quantities in running text: "3.85 million", "1,400억원", "최대 1만5000톤"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from etl.text.patterns import _norm, _tidy
from etl.text.units import UnitLexicon, _UnitDef, load_units


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    quantity: Decimal
    unit: str
    measure: str
    bound: str
    per_year: bool


def _value(num: str, lex: UnitLexicon, smult: str | None = None) -> Decimal:
    """Value of a number expression matched by the lexicon's number grammar."""
    if any(ch in lex.ko_large or ch in lex.ko_small for ch in num):
        total = Decimal(0)
        for m in lex._ko_term_re.finditer(num):
            n, s, lg = m.group("n"), m.group("s"), m.group("l")
            if not (n or s or lg):
                continue
            if n and lex._vague_re.fullmatch(n):
                raise ValueError(f"vague number (no definite value): {num!r}")
            term = Decimal(n.replace(",", "")) if n else Decimal(1)
            if s:
                term *= lex.ko_small[s]
            if lg:
                term *= lex.ko_large[lg]
            total += term
        value = total
    elif lex._vague_re.fullmatch(num.strip()):
        raise ValueError(f"vague number (no definite value): {num!r}")
    else:
        total = Decimal(0)
        current = Decimal(0)
        for tok in lex._en_token_re.findall(num):
            low = tok.lower()
            if tok[0].isdigit():
                current += Decimal(tok.replace(",", ""))
            elif low in lex.en_words:
                current += lex.en_words[low]
            elif low in lex.en_hundred:
                current = (current or Decimal(1)) * lex.en_hundred[low]
            elif low in lex.en_mult:
                if current:
                    total += current * lex.en_mult[low]
                else:  # "1 thousand million": scale what is already there
                    total *= lex.en_mult[low]
                current = Decimal(0)
            else:
                raise ValueError(f"not a number: {num!r}")
        value = total + current
    if smult:
        value *= lex.short_mult[smult.strip().lower()]
    return _tidy(value)


def parse_number(text: str, lexicon: UnitLexicon | None = None) -> Decimal:
    """"3.85 million" → 3850000, "1,400억" → 140000000000, "$2.5bn" → 2500000000, "ten" → 10.

    Raises ValueError for garbage and for vague amounts (수천억, "several").
    """
    lex = lexicon or load_units()
    if not isinstance(text, str):
        raise ValueError(f"not a number: {text!r}")
    m = lex._number_re.fullmatch(text)
    if not m:
        raise ValueError(f"not a number: {text!r}")
    return _value(m.group("num"), lex, m.group("smult"))


def parse_quantities(text: str, lexicon: UnitLexicon | None = None) -> list[Quantity]:
    """Every quantity expression in ``text``, in order, non-overlapping.

    A number becomes a quantity only with a unit, a currency or a counted noun next to it;
    vague amounts, unsupported currencies and percentage points are consumed but dropped.
    """
    lex = lexicon or load_units()
    out: list[Quantity] = []
    if not text:
        return out
    floor = 0  # end of the last quantity: nothing may overlap it
    for m in lex._quantity_re.finditer(text):
        if m.start() < floor:
            continue
        pre = lex._pre_re.search(text, max(floor, m.start() - _PREFIX_WINDOW), m.start())
        q = _build(text, m, pre, lex)
        if q is not None:
            out.append(q)
            floor = q.end
    return out


_PREFIX_WINDOW = 64  # longest run of bound / per-year words looked at before a number


def _build(text: str, m: re.Match[str], pre: re.Match[str] | None,
           lex: UnitLexicon) -> Quantity | None:
    num = m.group("num")
    bound = None
    per_year = False
    for w in lex._prefix_word_re.findall(pre.group() if pre else ""):
        key = _norm(w)
        if key in lex._py_prefix:
            per_year = True
        elif bound is None:
            bound = lex._bound_prefix.get(key)
    start = pre.start() if pre else m.start()
    if m.group("lo") and bound is None:
        bound = "up_to"  # a range "10~20%" is stored as its upper end
    inf = m.group("inf")
    if inf and bound is None:
        bound = lex._bound_infix.get(_norm(inf) or inf)

    cur = m.group("cur")
    if cur:  # the symbol decides ("US$5 million dollars", "A$5 million")
        code = lex._cur_prefix[_norm(cur)]
        unit = code if code in lex.allowed_units else None
        d = _UnitDef(unit, "money" if unit else None, Decimal(1), False)
    else:
        d = lex.unit_def(m.group("unit") or m.group("noun"))
    if d.unit is None or d.unit not in lex.allowed_units:
        return None
    if d.measure == "count" and lex._year_like.fullmatch(num.strip()):
        return None  # "by 2030 countries…": a year, not a count

    end = m.end()
    s = lex._suffix_re.match(text, end)
    if s and s.end() > end:
        end = s.end()
        if s.group("py"):
            per_year = True
        for g in ("b1", "b2"):
            if s.group(g) and bound is None:
                bound = lex._bound_suffix.get(_norm(s.group(g)))
    try:
        value = _value(num, lex, m.group("smult"))
    except (ValueError, InvalidOperation):
        return None
    return Quantity(
        start=start,
        end=end,
        text=text[start:end],
        quantity=_tidy(value * d.scale),
        unit=d.unit,
        measure=d.measure or "count",
        bound=bound or "exact",
        per_year=per_year or d.per_year,
    )


def to_tonnes(quantity: Decimal, unit: str, lexicon: UnitLexicon | None = None) -> Decimal | None:
    """Mass in tonnes for quantity_tonnes; None for money, shares and counts."""
    lex = lexicon or load_units()
    factor = lex.tonnes_per_unit.get(unit)
    if factor is None:
        return None
    return _tidy(Decimal(quantity) * factor)
