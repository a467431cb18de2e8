"""The unit lexicon: units.yaml parsed once into lookup tables and the quantity regexes.

All words come from ``seeds/reference/units.yaml``; this module arranges them into the regex
skeleton that :mod:`etl.text.numbers` and :mod:`etl.text.periods` run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from etl.paths import resource_dir
from etl.text.patterns import (
    _ARAB,
    _HANGUL,
    _LB_ASCII,
    _NUM_START,
    _YEAR,
    _alt,
    _decimal,
    _form_re,
    _form_re_tail,
    _norm,
)
from etl.text.periods import _PeriodGrammar


@dataclass(frozen=True)
class _UnitDef:
    unit: str | None  # None: recognised but never returned (30%p, A$)
    measure: str | None
    scale: Decimal
    per_year: bool


class UnitLexicon:
    """The parsed units.yaml plus the regexes built from it (build once, reuse)."""

    def __init__(self, data: Mapping[str, Any], source: str = "<dict>") -> None:
        self.source = source
        self.allowed_units: frozenset[str] = frozenset(data["allowed_units"])
        self.tonnes_per_unit = {k: _decimal(v) for k, v in data["tonnes_per_unit"].items()}
        self._ci: dict[str, _UnitDef] = {}  # lower-cased form → definition
        self._cs: dict[str, _UnitDef] = {}  # exact form → definition (Mt vs mt)
        pieces = self._read_units(data)
        self._read_numbers(data)
        self._build_regexes(data, pieces)
        self._periods = _PeriodGrammar(data["periods"], self.en_words)

    def _read_units(self, data: Mapping[str, Any]) -> dict[str, list[tuple[str, str]]]:
        """Unit, currency and counter forms into the lookup tables; their regex pieces."""
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
        return {"units": unit_pieces, "non_count": non_count, "prefixes": prefix_pieces,
                "words": word_pieces, "en_nouns": [(w, _form_re(w)) for w in en_nouns]}

    def _read_numbers(self, data: Mapping[str, Any]) -> None:
        """Number words, bound words and per-year words."""
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

    def _build_regexes(self, data: Mapping[str, Any], pieces: Mapping[str, list[tuple[str, str]]]) -> None:
        """The number grammar and the quantity, suffix and number regexes."""
        counts = data["counts"]
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
        units_alt = _alt(pieces["units"])
        stops = _alt((w, _form_re(w)) for w in counts["modifier_stopwords"])
        # A modifier is any word that is not a stop word or a unit ("100 t EV motors" is mass).
        modifier = f"(?!(?:{stops}|{_alt(pieces['non_count'])})\\s)[A-Za-z][A-Za-z-]*"
        en_noun = _alt(pieces["en_nouns"])
        self._currency_words = _alt(pieces["words"])
        cur_prefix = _alt(pieces["prefixes"])
        self._build_quantity_re(data, prefix_words, infix, cur_prefix, units_alt, modifier, en_noun, short, low)
        self._build_side_res(cur_prefix, short, vague, ko_small, ko_large)

    def _build_quantity_re(self, data: Mapping[str, Any], prefix_words: str, infix: str, cur_prefix: str,
                           units_alt: str, modifier: str, en_noun: str, short: str, low: str) -> None:
        nums = data["numbers"]
        ko_small = "".join(self.ko_small)

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
            f"(?(cur)(?:\\s*(?P<ccy>{self._currency_words}))?"
            f"|(?:\\s+(?P<mods>(?:{modifier}\\s+){{0,2}})(?P<noun>{en_noun})"
            f"|\\s*(?P<unit>{units_alt})))",
            re.IGNORECASE,
        )

    def _build_side_res(self, cur_prefix: str, short: str, vague: str, ko_small: str, ko_large: str) -> None:
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

    # -- lookups ---------------------------------------------------------------------------

    def unit_def(self, surface: str) -> _UnitDef:
        norm = " ".join(surface.split())
        return self._cs.get(norm) or self._ci[norm.lower()]


def load_units(path: str | Path | None = None) -> UnitLexicon:
    """The unit lexicon of a units.yaml (default: the bundled one), parsed once per version of the
    file: an edited file is read again, even in a long-running process."""
    path = Path(path) if path is not None else resource_dir("seeds") / "reference" / "units.yaml"
    stat = path.stat()
    return _parse_units(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _parse_units(path: str, _mtime_ns: int, _size: int) -> UnitLexicon:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return UnitLexicon(data, path)
