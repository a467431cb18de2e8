"""Period phrases (올해, "from 2028", "6월까지", "over five years") resolved to dates."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from etl.text.patterns import _YEAR, _alt, _form_re, _norm

if TYPE_CHECKING:
    from etl.text.units import UnitLexicon


def _lexicon(lexicon: UnitLexicon | None) -> UnitLexicon:
    from etl.text.units import load_units

    return lexicon or load_units()


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    text: str


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


_EN_DAY_WORDS = ["last", "this", "next", "coming", "this coming"]


def _strings(x: Any) -> Iterable[str]:
    if isinstance(x, Mapping):
        for k, v in x.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)
    elif isinstance(x, str) and x.strip():
        yield x.strip()


def _head_gate(sources: list[Any]) -> str:
    """A lookahead on the first two letters of every word a period phrase may start with (or a
    digit): each branch of the scanner is then tried only where one could match, which makes the
    scan about twice as fast. Every word comes from the lists the patterns are built of."""
    def cls(c: str) -> str:
        return f"[{re.escape(c.lower())}{re.escape(c.upper())}]" if c.lower() != c.upper() else re.escape(c)

    heads = {w.lower()[:2] for w in _strings(sources)}
    return r"(?=\d|" + "|".join(sorted("".join(cls(c) for c in h) for h in heads)) + ")"


def _alt_words(ws: Iterable[str], cs_title: bool = False) -> str:
    forms = [str(w) for w in ws]
    if cs_title:  # in running text only "May" (not "may") is a month
        return _alt((f, f"(?-i:{_form_re(f.title())})") for f in forms)
    return _alt((f, _form_re(f)) for f in forms)


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

        self.resolvers = [(kind, re.compile(rx, re.IGNORECASE)) for kind, rx in self._patterns(p, False)]
        plain = [re.sub(r"\(\?P<\w+>", "(?:", rx) for _, rx in self._patterns(p, True)]
        self.scanner = re.compile(
            r"(?<![\w])" + _head_gate([p, _EN_DAY_WORDS]) + r"(?:" + "|".join(f"(?:{rx})" for rx in plain)
            + r")(?![0-9])", re.IGNORECASE)

    def _patterns(self, p: Mapping[str, Any], scan: bool) -> list[tuple[str, str]]:
        """(kind, regex) per period phrase form; `scan`: the forms safe to look for in running text."""
        alt = _alt_words
        en_words = self.en_words
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
            ("wday", f"(?:(?P<dw>{alt(_EN_DAY_WORDS)}|"
                     f"{day_words})\\s+)?{wd}"),
        ]
        if not scan:  # too common in running text to scan for, fine as a whole phrase
            out += [("year", y1), ("day", r"(?P<d>[1-9]|[12]\d|3[01])\s*일")]
        return out

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
            return self._duration(g, self._need(article, phrase), phrase)
        if kind == "day":
            return self._day(g, self._need(article, phrase), phrase)
        if kind == "wday":
            return self._weekday(g, self._need(article, phrase))
        raise ValueError(f"unknown period phrase: {phrase!r}")  # pragma: no cover

    def _duration(self, g: Mapping[str, Any], a: date, phrase: str) -> tuple[date, date]:
        if g.get("kn"):
            n = int(g["kn"])
        else:
            raw = _norm(g["n"]) if g.get("n") else ""
            n = (int(raw) if raw.isdigit() else int(self.en_words[raw])) if raw else 1
            n *= self.dur_years[_norm(g["du"])]
        if n <= 0:
            raise ValueError(f"empty duration: {phrase!r}")
        return a, _add_years(a, n) - timedelta(days=1)

    def _day(self, g: Mapping[str, Any], a: date, phrase: str) -> tuple[date, date]:
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

    def _weekday(self, g: Mapping[str, Any], a: date) -> tuple[date, date]:
        wd = self.weekdays[_norm(g["wd"])]
        dw = _norm(g.get("dw") or "")
        if dw and dw not in self.past_words and dw != "last":
            delta = (wd - a.weekday()) % 7
            day = a + timedelta(days=delta or (7 if dw in ("next", "다음") else 0))
        else:  # news "on Wednesday" = the most recent Wednesday up to the article date
            delta = (a.weekday() - wd) % 7
            day = a - timedelta(days=delta or (7 if dw in ("last", "지난") else 0))
        return day, day

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
    lex = _lexicon(lexicon)
    if not isinstance(phrase, str) or not phrase.strip():
        raise ValueError(f"unknown period phrase: {phrase!r}")
    return lex._periods.resolve(phrase, article_date)


def find_periods(text: str, article_date: date | None, lexicon: UnitLexicon | None = None,
                 spans: Iterable[tuple[int, int]] | None = None) -> list[tuple[int, int, Period]]:
    """Period phrases in running text with their spans; unresolvable ones are skipped.
    ``spans`` (start, end), in order: look only there (the scan is the costly part)."""
    lex = _lexicon(lexicon)
    out: list[tuple[int, int, Period]] = []
    text = text or ""
    for a, b in spans if spans is not None else [(0, len(text))]:
        for m in lex._periods.scanner.finditer(text, a, b):
            try:
                period = lex._periods.resolve(m.group(), article_date)
            except ValueError:
                continue
            out.append((m.start(), m.end(), Period(period.start, period.end, m.group())))
    return out
