"""Honest metadata: dates with their precision only from what the page states, the publisher,
the language by its share of Hangul letters, and a stable slug id.

Every value comes with a `how` (page metadata, a date line in the text, a photo stamp next to a
day-of-month in the lede, the URL, a flag) so `critmin add` can say where it came from.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from anyascii import anyascii

from etl.text.language import KOREAN_ABOVE, hangul_share
from etl.text.language import detect_language as language_of

PRECISIONS = ("day", "month", "year", "unknown")
MAX_ID = 80


@dataclass(frozen=True)
class Found:
    """A metadata value and how it was found."""

    value: object
    how: str


@dataclass(frozen=True)
class PublishedOn:
    on: date | None          # first day of the month/year when the precision is coarser
    precision: str           # day | month | year | unknown
    how: str

    @staticmethod
    def unknown(how: str = "the page states no date") -> PublishedOn:
        return PublishedOn(None, "unknown", how)


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_EN_MDY = re.compile(r"\b(?:(?P<wd>mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})\b", re.I)
_EN_DMY = re.compile(r"\b(?:(?P<wd>mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?P<d>\d{1,2})\s+(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?P<y>\d{4})\b", re.I)
_NUMERIC = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s?[.\-/]\s?(?P<m>\d{1,2})\s?[.\-/]\s?(?P<d>\d{1,2})(?!\d)")
_KO = re.compile(r"(?P<y>(?:19|20)\d{2})년\s?(?P<m>\d{1,2})월\s?(?P<d>\d{1,2})일")


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date_line(line: str) -> tuple[date | None, str]:
    """The date a date line states, or None with the reason (no date, impossible, wrong weekday)."""
    for rx in (_EN_MDY, _EN_DMY):
        m = rx.search(line)
        if m:
            found = _make(int(m["y"]), _MONTHS[m["mon"][:3].lower()], int(m["d"]))
            if found is None:
                return None, f"{m.group()!r} is not a real date"
            if m["wd"]:
                wd = next(i for name, i in _WEEKDAYS.items() if name.startswith(m["wd"].lower()))
                if found.weekday() != wd:
                    return None, f"{m.group()!r}: the weekday does not match the date"
            return found, m.group()
    for rx in (_NUMERIC, _KO):
        m = rx.search(line)
        if m:
            found = _make(int(m["y"]), int(m["m"]), int(m["d"]))
            return (found, m.group()) if found else (None, f"{m.group()!r} is not a real date")
    return None, "no date in the line"


_LEDE_DAY = re.compile(r"(?<![\d지난])(?<!지난 )(?P<d>[1-3]?\d)일(?=\s|,|에|\b)")


_EN_MY = re.compile(r"^(?:(?:published|updated|posted)\s*:?\s*)?(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?P<y>(?:19|20)\d{2})$", re.I)
_KO_MY = re.compile(r"^(?:(?:입력|수정|발행)\s*[:：]?\s*)?(?P<y>(?:19|20)\d{2})년\s?(?P<m>\d{1,2})월(?:호)?$")


def published_from_date_line(line: str) -> PublishedOn | None:
    """A date line's date with its precision: a full date (day), or a month and year only
    ("September 2025", "2025년 9월": month); None when the line states no usable date."""
    found, _ = parse_date_line(line)
    if found is not None:
        return PublishedOn(found, "day", f"a date line in the text: {line!r}")
    m = _EN_MY.match(line.strip())
    if m:
        return PublishedOn(date(int(m["y"]), _MONTHS[m["mon"][:3].lower()], 1), "month", f"a month-and-year line in the text: {line!r}")
    m = _KO_MY.match(line.strip())
    if m and 1 <= int(m["m"]) <= 12:
        return PublishedOn(date(int(m["y"]), int(m["m"]), 1), "month", f"a month-and-year line in the text: {line!r}")
    return None


def date_from_stamp_and_lede(stamps: list[str], lede: list[str]) -> PublishedOn | None:
    """A dated photo stamp (2025.09.19) next to a day-of-month in the lede ("22일 업계에 따르면").

    The newest stamp gives the year and month; the lede's day must fall on or after the stamp's
    day in that month, within a week (a photo is taken before its story runs). A day before the
    stamp's day would be in another month: unknown, not guessed. "지난 18일" (last 18th) is a past
    event, not the publication day, and is skipped."""
    dates = [d for d in (parse_date_line(s)[0] for s in stamps) if d]
    if not dates:
        return None
    stamp = max(dates)
    for para in lede:
        m = _LEDE_DAY.search(para)
        if not m:
            continue
        day = int(m["d"])
        found = _make(stamp.year, stamp.month, day)
        if found and 0 <= (found - stamp).days <= 7:
            return PublishedOn(found, "day", f"day {m.group()!r} in the lede with the photo stamp {stamp:%Y.%m.%d}")
        return None
    return None


_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/\-]?(0[1-9]|1[0-2])[/\-]?(0[1-9]|[12]\d|3[01])(?:/|[^\d])")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")


def date_from_url(url: str | None) -> PublishedOn | None:
    if not url:
        return None
    path = urlsplit(url).path + "/"
    m = _URL_DAY.search(path)
    if m:
        found = _make(int(m[1]), int(m[2]), int(m[3]))
        if found:
            return PublishedOn(found, "day", f"the date in the URL path ({m.group().strip('/')})")
    m = _URL_MONTH.search(path)
    if m:
        return PublishedOn(date(int(m[1]), int(m[2]), 1), "month", f"the year and month in the URL path ({m[1]}/{m[2]})")
    return None


def parse_flag_date(value: str) -> PublishedOn:
    """--published-on YYYY-MM-DD | YYYY-MM | YYYY | unknown (ValueError otherwise)."""
    v = value.strip()
    if v.lower() == "unknown":
        return PublishedOn.unknown("--published-on unknown")
    for rx, prec in ((r"(\d{4})-(\d{2})-(\d{2})", "day"), (r"(\d{4})-(\d{2})", "month"), (r"(\d{4})", "year")):
        m = re.fullmatch(rx, v)
        if m:
            parts = [int(x) for x in m.groups()] + [1] * (3 - len(m.groups()))
            found = _make(*parts)
            if found is None:
                raise ValueError(f"--published-on {value!r} is not a real date")
            if found > date.today():
                raise ValueError(f"--published-on {value!r} is in the future")
            return PublishedOn(found, prec, "the --published-on flag")
    raise ValueError(f"--published-on {value!r}: use YYYY-MM-DD, YYYY-MM, YYYY or unknown")


# ---------------------------------------------------------------------------- language


def detect_language(text: str) -> Found:
    """ko or en by the rule of etl/text/language.py, with the share that decided it."""
    share = hangul_share(text)
    if share is None:
        return Found("en", "no letters: en by default")
    return Found(language_of(text), f"Hangul is {share:.0%} of the letters (Korean above {KOREAN_ABOVE:.0%})")


# ---------------------------------------------------------------------------- publisher


def publisher_name(raw: str) -> str:
    """A readable outlet name: 'NEWSIS.COM' → 'Newsis', 'www.asiae.co.kr' → 'Asiae', 'YTN' stays."""
    name = re.sub(r"^(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?\s+", "", raw.strip()).strip(".,;:")
    host = re.fullmatch(r"(?:https?://)?(?:www\.)?([a-z0-9\-]+)\.(?:com|co\.kr|kr|net|org|co\.uk|io|news|co)", name, re.I)
    if host:
        label = host[1]
        return label.upper() if len(label) <= 3 else label.capitalize()
    if name.islower() and " " not in name:
        return name.capitalize()
    return name


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


# ---------------------------------------------------------------------------- id


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (Hangul and other scripts romanised by anyascii)."""
    ascii_text = anyascii(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def make_id(publisher: str | None, published: PublishedOn, title: str | None, fallback: str) -> str:
    """publisher-date-title, cut at a word boundary to at most 80 characters."""
    parts = [slug(publisher or "") or "unknown"]
    if published.on is not None:
        fmt = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[published.precision]
        parts.append(published.on.strftime(fmt))
    head = "-".join(parts)
    words = (slug(title or "") or slug(fallback) or "article").split("-")
    out = head
    for w in words:
        if len(out) + 1 + len(w) > MAX_ID:
            break
        out = f"{out}-{w}"
    if out == head:  # the first word alone is too long
        out = f"{head}-{words[0]}"[:MAX_ID].rstrip("-")
    return out[:MAX_ID].rstrip("-")


def with_suffix(base: str, n: int) -> str:
    suffix = f"-{n}"
    return base[:MAX_ID - len(suffix)].rstrip("-") + suffix
