"""The Korean morphological analyser (kiwipiepy), loaded once per process on first use."""

from __future__ import annotations

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
                kiwi = Kiwi(num_workers=-1)
                _STATE["load_seconds"] = time.perf_counter() - t0
                _STATE["kiwi"] = kiwi
    return kiwi


def load_seconds() -> float | None:
    """How long building the analyser took in this process (None before first use)."""
    return _STATE.get("load_seconds")


def proper_noun_words(words: list[str]) -> list[bool]:
    """For each word (a particle-free Korean word), whether it reads as a name.

    A name starts with a proper noun (NNP), a Latin word (SL) or an unknown word, and has no
    verb or ending inside. All words go to the analyser in one call, one per line.
    """
    if not words:
        return []
    kiwi = analyser()
    text = "\n".join(words)
    tokens = kiwi.tokenize(text)
    starts = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    out = [False] * len(words)
    first: list[Any] = [None] * len(words)
    bad = [False] * len(words)
    import bisect

    for tok in tokens:
        i = bisect.bisect_right(starts, tok.start) - 1
        if i < 0:
            continue
        if first[i] is None:
            first[i] = tok
        if tok.tag[:1] in ("V", "E") or tok.tag in ("XSV", "XSA", "MAG", "JKS", "JKO"):
            bad[i] = True
    for i, tok in enumerate(first):
        if tok is not None and not bad[i]:
            out[i] = tok.tag in ("NNP", "SL", "SH") or bool(getattr(tok, "oov", False))
    return out
