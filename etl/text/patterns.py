"""Regex building blocks shared by the number, unit and period grammars."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

_HANGUL = "가-힣"


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
