"""Regex building blocks for literal lexicons: trie-shaped alternations with word guards."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Any

from etl.transform.lexicon import alias_key

_HANGUL = "가-힣"


_IS_HANGUL = re.compile(f"[{_HANGUL}]")


_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def _tok(ch: str, ci: bool) -> str:
    if ch == " ":
        return r"\s+"
    if ci and ch.lower() != ch.upper() and len(ch.lower()) == 1 and len(ch.upper()) == 1:
        return "[" + re.escape(ch.lower()) + re.escape(ch.upper()) + "]"
    return re.escape(ch)


def _trie_regex(entries: Iterable[tuple[str, bool, str]]) -> str:
    """One regex for many literal forms, shaped as a trie (fast: no long alternation).

    Each entry is (form, case_insensitive, end_assertion); longer forms are preferred and a
    form only ends where its assertion holds (so "Korea" is not found inside "Korean").
    """
    trie: dict[str, Any] = {}
    for form, ci, end in entries:
        node = trie
        for tok in (_tok(c, ci) for c in " ".join(form.split())):
            node = node.setdefault(tok, {})
        node.setdefault("", set()).add(end)

    def emit(node: dict[str, Any]) -> str:
        alts = [tok + emit(child) for tok, child in sorted((k, v) for k, v in node.items() if k)]
        if "" in node:
            ends = sorted(node[""])
            alts.append(ends[0] if len(ends) == 1 else "(?:" + "|".join(ends) + ")")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(trie) if trie else "(?!)"


def _guarded_union(entries: list[tuple[str, bool, str]], hangul_left: bool) -> re.Pattern[str]:
    """Trie regexes grouped by the left boundary their first character needs."""
    ascii_e = [e for e in entries if _ASCII_ALNUM.match(e[0][:1])]
    hangul_e = [e for e in entries if _IS_HANGUL.match(e[0][:1])]
    other_e = [e for e in entries if e not in ascii_e and e not in hangul_e]
    parts = []
    if ascii_e:
        parts.append(r"(?<![A-Za-z0-9])" + _trie_regex(ascii_e))
    if hangul_e:
        parts.append((f"(?<![{_HANGUL}])" if hangul_left else "") + _trie_regex(hangul_e))
    if other_e:
        parts.append(_trie_regex(other_e))
    return re.compile("|".join(parts) if parts else "(?!)")


def _end_assert(form: str, particles: str | None) -> str:
    last = form[-1:]
    if _ASCII_ALNUM.match(last):
        return r"(?![A-Za-z0-9])"
    if particles is not None and _IS_HANGUL.match(last):
        return f"(?:(?![{_HANGUL}])|(?={particles}))"
    return ""


def _note_case(alias: str, exact: dict[str, set[str]]) -> None:
    """Acronyms (no lower-case letter: US, EU, POSCO, G7) must match exactly; names need not."""
    key = alias_key(alias)
    if any(c.isascii() and c.isalpha() for c in alias) and not any(c.islower() for c in alias):
        exact.setdefault(key, set()).add(" ".join(alias.split()))
    else:
        exact[key] = set()  # some spelling of this key is case-insensitive


def _case_ok(text: str, exact: dict[str, set[str]]) -> bool:
    forms = exact.get(alias_key(text))
    return not forms or " ".join(text.split()) in forms


def _words_re(words: Iterable[str]) -> str:
    forms = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in forms)


def _overlaps(s: int, e: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, e)
    for j in range(max(0, i - 8), i):
        a, b = spans[j]
        if a < e and s < b:
            return True
    return False


def _in_spans(pos: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]
