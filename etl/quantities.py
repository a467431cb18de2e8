"""Bilingual (Korean / English) quantity, unit, bound and period parser.

One parser serves the ETL transform stage (checking that an evidence quote agrees with a
curated volume) and the automatic extractor (finding volumes in raw text), so both read
numbers the same way. All words come from ``seeds/reference/units.yaml``; this module only
holds the regex skeleton that arranges them. Everything is pure: no database, no I/O apart
from reading the lexicon once (cached).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from etl.paths import resource_dir

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


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    text: str


@dataclass(frozen=True)
class _UnitDef:
    unit: str | None  # None: recognised but never returned (30%p, A$)
    measure: str | None
    scale: Decimal
    per_year: bool


_HANGUL = "가-힣"
# A number may not start inside a word, an id, a decimal, a date, a time or a phone number
# ("G7", "NISI2025…", "2025.09.19", "5:37", "02-398-8585").
_NUM_START = r"(?<![0-9A-Za-z_.,/:\-])"
_ARAB = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)(?!,\d)"
_YEAR = r"(?<!\d)(?:19|20)\d{2}(?!\d)"


def _decimal(value: Any) -> Decimal:
    # YAML numbers arrive as int or str; str() keeps them exact (never via float).
    return Decimal(str(value))


def _norm(s: str) -> str:
    return " ".join(s.split()).lower()


def _tidy(d: Decimal) -> Decimal:
    # 3.85 * 10^6 gives Decimal('3850000.00'); show it as 3850000, keep real decimals.
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


_LB_ASCII = r"(?<![A-Za-z])"
_LB_HANGUL = f"(?<![{_HANGUL}])"


def _form_re(form: str, case_sensitive: bool = False, not_followed: Iterable[str] = (),
             hangul_left: bool = True, left: bool = True) -> str:
    """Regex for one surface form with the boundaries its script needs.

    ``hangul_left`` guards Korean words that start a phrase (약 is not the tail of 계약);
    words that follow something (까지 in 6월까지, 이상 in 240톤이상) are glued, so no guard.
    ``left=False`` drops the left guard entirely (units glued to a number: 100t, 100톤).
    """
    body = r"\s+".join(re.escape(part) for part in form.split(" "))
    if case_sensitive:
        body = f"(?-i:{body})"
    if left and form[:1].isascii() and form[:1].isalpha():
        body = _LB_ASCII + body
    elif left and hangul_left and re.match(f"[{_HANGUL}]", form[:1]):
        body = _LB_HANGUL + body
    if form[-1:].isascii() and form[-1:].isalpha():
        body += r"(?![A-Za-z])"
    blockers = sorted(not_followed, key=len, reverse=True)
    if blockers:
        body += "(?!" + "|".join(re.escape(b) for b in blockers) + ")"
    return body


def _form_re_tail(form: str, case_sensitive: bool = False,
                  not_followed: Iterable[str] = ()) -> str:
    """Words glued to a number (톤 in 100톤, t in 100t): no left boundary."""
    return _form_re(form, case_sensitive, not_followed, left=False)


def _alt(pieces: Iterable[tuple[str, str]]) -> str:
    """Alternation, longest surface form first so 개국 wins over 개 and tonnes over t.

    The shared left guards are factored out of the alternatives: a lookbehind in front of
    every branch stops the regex engine's literal fast path and made scanning ~5x slower.
    """
    ordered = sorted(set(pieces), key=lambda p: (-len(p[0]), p[0]))
    groups: dict[str, list[str]] = {_LB_ASCII: [], _LB_HANGUL: [], "": []}
    for _, rx in ordered:
        for lb in (_LB_ASCII, _LB_HANGUL):
            if rx.startswith(lb):
                groups[lb].append(rx[len(lb):])
                break
        else:
            groups[""].append(rx)
    branches = [f"{lb}(?:{'|'.join(rs)})" for lb, rs in groups.items() if rs]
    return "(?:" + "|".join(branches) + ")"


class UnitLexicon:
    """The parsed units.yaml plus the regexes built from it (build once, reuse)."""

    def __init__(self, data: Mapping[str, Any], source: str = "<dict>") -> None:
        self.source = source
        self.allowed_units: frozenset[str] = frozenset(data["allowed_units"])
        self.tonnes_per_unit = {k: _decimal(v) for k, v in data["tonnes_per_unit"].items()}
        self._ci: dict[str, _UnitDef] = {}  # lower-cased form → definition
        self._cs: dict[str, _UnitDef] = {}  # exact form → definition (Mt vs mt)
        unit_pieces: list[tuple[str, str]] = []

        non_count: list[tuple[str, str]] = []  # unit words that cannot modify a noun

        def add(form: str, d: _UnitDef, cs: bool, blockers: Iterable[str] = ()) -> None:
            (self._cs if cs else self._ci)[form if cs else _norm(form)] = d
            piece = (form, _form_re_tail(form, cs, blockers))
            unit_pieces.append(piece)
            if d.measure != "count":
                non_count.append(piece)

        for entry in data["units"]:
            d = _UnitDef(entry.get("unit"), entry.get("measure"),
                         _decimal(entry.get("scale", 1)), bool(entry.get("per_year", False)))
            cs_forms = set(entry.get("case_sensitive_forms", []))
            nf = entry.get("not_followed_by", {}) or {}
            for form in entry["forms"]:
                add(str(form), d, str(form) in cs_forms, nf.get(form, ()))

        self._cur_prefix: dict[str, str] = {}
        prefix_pieces: list[tuple[str, str]] = []
        word_pieces: list[tuple[str, str]] = []  # currency words: the only unit after "$5"
        for cur in data["currencies"]:
            code = cur["code"]
            unit = code if code in self.allowed_units else None
            d = _UnitDef(unit, "money" if unit else None, Decimal(1), False)
            nf = cur.get("not_followed_by", {}) or {}
            for form in cur.get("words", []):
                add(str(form), d, False, nf.get(form, ()))
                word_pieces.append((str(form), _form_re_tail(str(form), False, nf.get(form, ()))))
            for form in cur.get("prefixes", []):
                self._cur_prefix[_norm(str(form))] = code
                prefix_pieces.append((str(form), _form_re(str(form))))

        counts = data["counts"]
        count_def = _UnitDef("count", "count", Decimal(1), False)
        cnf = counts.get("not_followed_by", {}) or {}
        for form in counts["ko_counters"]:
            add(str(form), count_def, False, cnf.get(form, ()))
        en_nouns = [str(n) for n in counts["en_nouns"]]
        for form in en_nouns:
            add(form, count_def, False)
        self._en_nouns = frozenset(_norm(n) for n in en_nouns)

        nums = data["numbers"]
        self.en_words = {_norm(k): _decimal(v) for k, v in nums["en_words"].items()}
        self.en_hundred = {_norm(k): _decimal(v) for k, v in nums["en_hundred"].items()}
        self.en_mult = {_norm(k): _decimal(v) for k, v in nums["en_multipliers"].items()}
        self.short_mult = {_norm(k): _decimal(v) for k, v in nums["short_multipliers"].items()}
        self.ko_small = {k: _decimal(v) for k, v in nums["ko_small"].items()}
        self.ko_large = {k: _decimal(v) for k, v in nums["ko_large"].items()}
        self.ko_vague = [str(v) for v in nums["ko_vague"]]

        # Bounds and per-year words: one table surface → role, regexes for each slot.
        b = data["bounds"]
        self._bound_prefix = {_norm(w): k for k, ws in b["prefix"].items() for w in ws}
        self._bound_infix = {_norm(w) or w: k for k, ws in b["infix"].items() for w in ws}
        self._bound_suffix = {_norm(w): k for k, ws in b["suffix"].items() for w in ws}
        py = data["per_year"]
        self._py_prefix = {_norm(w) for w in py["prefix"]}
        self._py_suffix = {_norm(w) for w in py["suffix"]}

        ko_small = "".join(self.ko_small)
        ko_large = "".join(self.ko_large)
        vague = "(?:" + "|".join(re.escape(v) for v in sorted(self.ko_vague, key=len,
                                                               reverse=True)) + ")"
        en_word = _alt((w, _form_re(w)) for w in self.en_words)
        en_scale = _alt((w, _form_re_tail(w)) for w in [*self.en_mult, *self.en_hundred])
        short = _alt((w, _form_re_tail(w)) for w in self.short_mult)
        # Korean digit groups: 10만, 1,400억, 2천억, 1조 2,000억, 수천억 (vague, skipped later).
        k_term = (f"(?:{_ARAB}\\s?[{ko_small}]?|(?<![{_HANGUL}]){vague}?[{ko_small}]"
                  f"|(?<![{_HANGUL}]){vague})\\s?[{ko_large}]")
        k_num = (f"(?:{k_term}(?:\\s?{k_term})*(?:\\s?{_ARAB}(?![{ko_small}{ko_large}]))?"
                 f"|{_ARAB}[{ko_small}](?![{ko_large}])"
                 f"|(?<![{_HANGUL}]){vague}[{ko_small}]?(?![{ko_large}]))")
        arab_en = f"{_ARAB}(?:[\\s-]*{en_scale})*"
        en_num = f"{en_word}(?:(?:\\s+|-){en_word}|\\s+{en_scale})*"
        self._num_body = f"(?:{k_num}|{arab_en}|{en_num})"
        low = f"{_ARAB}(?:\\s?[{ko_large}]|\\s*{en_scale})?"

        prefix_words = _alt((w, _form_re(w)) for w in [*self._bound_prefix, *self._py_prefix])
        infix = _alt((w, re.escape(w) + (r"(?![A-Za-z])" if w[-1].isalpha() and w.isascii()
                                          else "")) for w in self._bound_infix)
        self._prefix_word_re = re.compile(prefix_words, re.IGNORECASE)
        units_alt = _alt(unit_pieces)
        stops = _alt((w, _form_re(w)) for w in counts["modifier_stopwords"])
        # A modifier is any word that is not a stop word or a unit ("100 t EV motors" is mass).
        modifier = f"(?!(?:{stops}|{_alt(non_count)})\\s)[A-Za-z][A-Za-z-]*"
        en_noun = _alt((w, _form_re(w)) for w in en_nouns)
        cur_prefix = _alt(prefix_pieces)

        # Where a quantity can start: a digit, a currency symbol, a Korean number syllable,
        # or the start of an English word. Checked first so the engine skips other text fast.
        starts = {"0"} | {str(f)[0] for c in data["currencies"] for f in c.get("prefixes", [])}
        starts |= {v[0] for v in self.ko_vague} | set(ko_small)
        starts = {c for c in starts if not (c.isascii() and c.isalpha())} - {"0"}
        first = "[0-9" + "".join(re.escape(c) for c in sorted(starts)) + "]"
        # A match that starts with a letter starts with a number word or a currency prefix: look
        # for the first word of one of those (a filter only; the full pattern still decides).
        lead_words = {re.split(r"[\s-]", str(w))[0] for w in nums["en_words"]}
        lead_words |= {re.split(r"[\s$-]", str(f))[0] for c in data["currencies"] for f in c.get("prefixes", [])
                       if str(f)[:1].isascii() and str(f)[:1].isalpha()}
        lead = "|".join(re.escape(w) for w in sorted(lead_words - {""}, key=len, reverse=True))
        # Bound / per-year words before the number are found by a short backward search.
        self._pre_re = re.compile(f"(?:{prefix_words}\\s*)+\\Z", re.IGNORECASE)
        self._quantity_re = re.compile(
            f"(?={first}|{_LB_ASCII}(?:{lead}))"
            f"(?:(?P<lo>{_NUM_START}{low})\\s?(?:[-–~]|\\s+to\\s+)\\s?)?"
            f"(?:(?P<cur>{cur_prefix})\\s?)?"
            f"(?P<num>(?(lo)|{_NUM_START}){self._num_body})"
            f"(?(cur)(?:\\s?(?P<smult>{short}))?)"
            f"(?P<inf>{infix})?"
            f"(?(cur)(?:\\s*(?P<ccy>{_alt(word_pieces)}))?"
            f"|(?:\\s+(?P<mods>(?:{modifier}\\s+){{0,2}})(?P<noun>{en_noun})"
            f"|\\s*(?P<unit>{units_alt})))",
            re.IGNORECASE,
        )
        bound_suffix = _alt((w, _form_re(w, hangul_left=False)) for w in self._bound_suffix)
        py_suffix = _alt((w, _form_re(w, hangul_left=False)) for w in self._py_suffix)
        self._suffix_re = re.compile(
            f"(?:\\s*(?P<b1>{bound_suffix}))?"
            f"(?:(?:\\s+of\\s+(?:[A-Za-z][\\w-]*\\s+){{0,2}}?[A-Za-z][\\w-]*)?\\s*"
            f"(?P<py>{py_suffix}))?"
            f"(?:\\s*(?P<b2>{bound_suffix}))?",
            re.IGNORECASE,
        )
        self._number_re = re.compile(
            f"\\s*(?:(?P<cur>{cur_prefix})\\s?)?(?P<num>{self._num_body})"
            f"(?:\\s?(?P<smult>{short}))?\\s*",
            re.IGNORECASE,
        )
        self._vague_re = re.compile(f"{vague}")
        self._ko_term_re = re.compile(
            f"(?P<n>{_ARAB}|{vague})?\\s?(?P<s>[{ko_small}])?\\s?(?P<l>[{ko_large}])?")
        self._en_token_re = re.compile(f"{_ARAB}|[A-Za-z]+")
        self._year_like = re.compile(f"{_YEAR}")
        self._periods = _PeriodGrammar(data["periods"], self.en_words)

    # -- lookups ---------------------------------------------------------------------------

    def unit_def(self, surface: str) -> _UnitDef:
        norm = " ".join(surface.split())
        return self._cs.get(norm) or self._ci[norm.lower()]

    def is_en_noun(self, word: str) -> bool:
        return _norm(word) in self._en_nouns


@lru_cache(maxsize=8)
def load_units(path: str | Path | None = None) -> UnitLexicon:
    """Read units.yaml once; prefer the copy bundled in an installed wheel."""
    path = Path(path) if path is not None else resource_dir("seeds") / "reference" / "units.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return UnitLexicon(data, str(path))


# -- numbers -------------------------------------------------------------------------------


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


# -- quantities ----------------------------------------------------------------------------


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


# -- periods -------------------------------------------------------------------------------


def _year_span(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February in a non-leap target year
        return d.replace(year=d.year + n, day=28)


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


class _PeriodGrammar:
    """Period phrase patterns built from the `periods` section of units.yaml."""

    def __init__(self, p: Mapping[str, Any], en_words: Mapping[str, Decimal]) -> None:
        self.rel_years = {_norm(k): int(v) for k, v in p["relative_years"].items()}
        self.rel_months = {_norm(k): int(v) for k, v in p["relative_months"].items()}
        self.months = {_norm(k): int(v) for k, v in p["month_names"].items()}
        self.weekdays = {_norm(k): int(v) for k, v in p["weekdays"].items()}
        self.dur_years = {_norm(k): int(v) for k, v in p["duration_years"].items()}
        self.en_words = en_words
        self.from_words = {_norm(w) for w in [*p["from_words"], *p["from_suffixes"]]}
        self.until_words = {_norm(w) for w in [*p["until_words"], *p["until_suffixes"]]}
        self.past_words = {_norm(w) for w in p["past_day_words"]}

        def alt(ws: Iterable[str], cs_title: bool = False) -> str:
            forms = [str(w) for w in ws]
            if cs_title:  # in running text only "May" (not "may") is a month
                return _alt((f, f"(?-i:{_form_re(f.title())})") for f in forms)
            return _alt((f, _form_re(f)) for f in forms)

        y1, y2 = f"(?P<y1>{_YEAR})", f"(?P<y2>{_YEAR})"
        kmonth = r"(?P<m>1[0-2]|0?[1-9])\s*월"
        role_en = (f"(?:(?P<fr>{alt(p['from_words'])})|(?P<un>{alt(p['until_words'])})"
                   f"|(?P<inw>{alt(p['in_words'])}))")
        ksufs = [*p["from_suffixes"], *p["until_suffixes"], *p["in_suffixes"]]
        ksuf = "(?P<ks>" + _alt((w, _form_re(w, hangul_left=False)) for w in ksufs) + ")"
        join = alt(p["range_joiners"])
        num = f"(?P<n>\\d{{1,3}}|{alt(en_words)})"
        dur_noun = alt(self.dur_years)
        kdur_suf = _alt((w, _form_re(w, hangul_left=False)) for w in p["duration_ko_suffixes"])
        kdur_pre = alt(p["duration_ko_prefixes"])
        dur_next = alt(p["duration_next"])
        day_words = alt([*p["past_day_words"], *p["next_day_words"]])
        wd_en = [w for w in self.weekdays if w.isascii()]
        wd_ko = [w for w in self.weekdays if not w.isascii()]

        def patterns(scan: bool) -> list[tuple[str, str]]:
            mn = f"(?P<mn>{alt(self.months, cs_title=scan)})\\.?"
            wd = f"(?P<wd>{alt(wd_en, cs_title=scan)}|{alt(wd_ko)})"
            out = [
                ("range", f"(?:{alt(p['range_starts'])}\\s+)?{y1}\\s*년?\\s*"
                          f"(?:{join}|부터)\\s*{y2}\\s*(?:년)?(?:\\s*까지)?"),
                ("ym", f"{y1}\\s*년\\s*{kmonth}(?:\\s*{ksuf})?"),
                ("ym", f"(?:{role_en}\\s+)?{mn}\\s*,?\\s+{y1}"),
                ("year", f"{y1}\\s*년(?:\\s*{ksuf})?"),
                ("year", f"{role_en}\\s+{y1}"),
                ("month", f"{kmonth}(?:\\s*{ksuf})?"),
                ("month", f"{role_en}\\s+{mn}"),
                ("dur", f"(?:{alt(p['duration_words'])})\\s+(?:{dur_next}\\s+)?(?:{num}[\\s-]+)?"
                        f"(?P<du>{dur_noun})"),
                ("dur", f"(?:{kdur_pre}\\s*)?(?P<kn>\\d{{1,2}})\\s*년\\s*(?:{kdur_suf})"),
                ("dur", f"{kdur_pre}\\s*(?P<kn>\\d{{1,2}})\\s*년"),
                ("rely", f"(?:{role_en}\\s+)?(?P<rel>{alt(self.rel_years)})(?:\\s*{ksuf})?"),
                ("relm", f"(?:{role_en}\\s+)?(?P<relm>{alt(self.rel_months)})(?:\\s*{ksuf})?"),
                ("day", f"(?P<dw>{day_words})\\s*(?P<d>[1-9]|[12]\\d|3[01])\\s*일"),
                ("wday", f"(?:(?P<dw>{alt(['last', 'this', 'next', 'coming', 'this coming'])}|"
                         f"{day_words})\\s+)?{wd}"),
            ]
            if not scan:  # too common in running text to scan for, fine as a whole phrase
                out += [("year", y1), ("day", r"(?P<d>[1-9]|[12]\d|3[01])\s*일")]
            return out

        self.resolvers = [(kind, re.compile(rx, re.IGNORECASE)) for kind, rx in patterns(False)]
        plain = [re.sub(r"\(\?P<\w+>", "(?:", rx) for _, rx in patterns(True)]
        self.scanner = re.compile(
            r"(?<![\w])(?:" + "|".join(f"(?:{rx})" for rx in plain) + r")(?![0-9])",
            re.IGNORECASE)

    def resolve(self, phrase: str, article: date | None) -> Period:
        text = " ".join(phrase.split())
        for kind, rx in self.resolvers:
            m = rx.fullmatch(text)
            if m:
                start, end = self._dates(kind, m, article, phrase)
                return Period(start, end, phrase)
        raise ValueError(f"unknown period phrase: {phrase!r}")

    def _role(self, m: re.Match[str]) -> str:
        g = m.groupdict()
        word = g.get("fr") or g.get("un") or g.get("ks") or ""
        word = _norm(word)
        if g.get("fr") or word in self.from_words:
            return "from"
        if g.get("un") or word in self.until_words:
            return "until"
        return "in"

    @staticmethod
    def _need(article: date | None, phrase: str) -> date:
        if article is None:
            raise ValueError(
                f"article date is unknown: cannot resolve relative period {phrase!r}")
        return article

    def _dates(self, kind: str, m: re.Match[str], article: date | None,
               phrase: str) -> tuple[date | None, date | None]:
        g = m.groupdict()
        if kind == "range":
            a, b = int(g["y1"]), int(g["y2"])
            if b < a:
                raise ValueError(f"period ends before it starts: {phrase!r}")
            return date(a, 1, 1), date(b, 12, 31)
        if kind in ("year", "rely"):
            if kind == "year":
                y = int(g["y1"])
            else:
                y = self._need(article, phrase).year + self.rel_years[_norm(g["rel"])]
            return self._apply_role(_year_span(y), self._role(m))
        if kind in ("ym", "month", "relm"):
            if kind == "relm":
                a = self._need(article, phrase)
                y, mo = _shift_month(a.year, a.month, self.rel_months[_norm(g["relm"])])
            else:
                mo = int(g["m"]) if g.get("m") else self.months[_norm(g["mn"])]
                # No year given: the article's year (as the design asks for 6월까지).
                y = int(g["y1"]) if g.get("y1") else self._need(article, phrase).year
            return self._apply_role(_month_span(y, mo), self._role(m))
        if kind == "dur":
            a = self._need(article, phrase)
            if g.get("kn"):
                n = int(g["kn"])
            else:
                raw = _norm(g["n"]) if g.get("n") else ""
                n = (int(raw) if raw.isdigit() else int(self.en_words[raw])) if raw else 1
                n *= self.dur_years[_norm(g["du"])]
            if n <= 0:
                raise ValueError(f"empty duration: {phrase!r}")
            return a, _add_years(a, n) - timedelta(days=1)
        if kind == "day":
            a = self._need(article, phrase)
            d = int(g["d"])
            forward = bool(g.get("dw")) and _norm(g["dw"]) not in self.past_words
            y, mo = a.year, a.month
            for _ in range(13):  # the nearest month that has that day, in the right direction
                if d <= calendar.monthrange(y, mo)[1]:
                    cand = date(y, mo, d)
                    if (cand >= a) if forward else (cand <= a):
                        return cand, cand
                y, mo = _shift_month(y, mo, 1 if forward else -1)
            raise ValueError(f"no such day: {phrase!r}")
        if kind == "wday":
            a = self._need(article, phrase)
            wd = self.weekdays[_norm(g["wd"])]
            dw = _norm(g.get("dw") or "")
            if dw and dw not in self.past_words and dw != "last":
                delta = (wd - a.weekday()) % 7
                day = a + timedelta(days=delta or (7 if dw in ("next", "다음") else 0))
            else:  # news "on Wednesday" = the most recent Wednesday up to the article date
                delta = (a.weekday() - wd) % 7
                day = a - timedelta(days=delta or (7 if dw in ("last", "지난") else 0))
            return day, day
        raise ValueError(f"unknown period phrase: {phrase!r}")  # pragma: no cover

    @staticmethod
    def _apply_role(span: tuple[date, date], role: str) -> tuple[date | None, date | None]:
        if role == "from":
            return span[0], None
        if role == "until":
            return None, span[1]
        return span


def resolve_period(phrase: str, article_date: date | None,
                   lexicon: UnitLexicon | None = None) -> Period:
    """Resolve a period phrase (올해, "from 2028", "6월까지", "over five years") to dates.

    Open ends are None. Raises ValueError("unknown period phrase: …") when not understood
    and ValueError("article date is unknown …") for relative phrases without a date.
    """
    lex = lexicon or load_units()
    if not isinstance(phrase, str) or not phrase.strip():
        raise ValueError(f"unknown period phrase: {phrase!r}")
    return lex._periods.resolve(phrase, article_date)


def find_periods(text: str, article_date: date | None,
                 lexicon: UnitLexicon | None = None) -> list[tuple[int, int, Period]]:
    """Period phrases in running text with their spans; unresolvable ones are skipped."""
    lex = lexicon or load_units()
    out: list[tuple[int, int, Period]] = []
    for m in lex._periods.scanner.finditer(text or ""):
        try:
            period = lex._periods.resolve(m.group(), article_date)
        except ValueError:
            continue
        out.append((m.start(), m.end(), Period(period.start, period.end, m.group())))
    return out
