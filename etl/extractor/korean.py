"""The Korean morphological analyser (kiwipiepy), loaded once per process on first use."""

from __future__ import annotations

import bisect
import threading
import time
from typing import Any

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}


def analyser() -> Any:
    """The process's Kiwi instance (built lazily: about a second, once)."""
    kiwi = _STATE.get("kiwi")
    if kiwi is None:
        with _LOCK:
            kiwi = _STATE.get("kiwi")
            if kiwi is None:
                from kiwipiepy import Kiwi

                t0 = time.perf_counter()
                kiwi = Kiwi(num_workers=-1)  # -1: analyse in the calling thread, no pool
                kiwi.tokenize("한국")  # the language model loads on first use: load it now
                _STATE["load_seconds"] = time.perf_counter() - t0
                _STATE["kiwi"] = kiwi
    return kiwi


def load_seconds() -> float | None:
    """How long building the analyser took in this process (None before first use)."""
    return _STATE.get("load_seconds")


_NOUNISH = ("NNP", "NNG", "NNB", "NR", "SL", "SH", "SN", "XPN", "XSN", "W_SERIAL")


def proper_noun_words(words: list[str]) -> list[tuple[bool, bool]]:
    """For each word (a particle-free Korean word): whether the analyser finds only nouns and
    foreign words in it (no verb, ending or particle), and whether one of them is a proper noun,
    a Latin word or a word it does not know. All words go to the analyser in one call.
    """
    if not words:
        return []
    kiwi = analyser()
    starts = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    ok = [True] * len(words)
    seen = [False] * len(words)
    proper = [False] * len(words)
    for tok in kiwi.tokenize("\n".join(words)):
        i = bisect.bisect_right(starts, tok.start) - 1
        if i < 0:
            continue
        seen[i] = True
        if tok.tag not in _NOUNISH:
            ok[i] = False
        if tok.tag in ("NNP", "SL", "SH") or getattr(tok, "oov", False):
            proper[i] = True
    return [(a and b, c) for a, b, c in zip(ok, seen, proper, strict=True)]
