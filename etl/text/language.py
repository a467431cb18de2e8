"""Which language a text is in: the one rule used by ingest (`critmin add`), transform and the extractor.

Korean when more than 30% of the letters in the first 4,000 characters are Hangul syllables.
A share rather than a majority, because Korean articles carry many Latin letters (company
names, tickers, units); counted in C (a regex and str.isalpha), several times faster than a loop per character.
"""

from __future__ import annotations

import re

KOREAN_ABOVE = 0.3
HEAD_CHARS = 4000
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")


def hangul_share(text: str) -> float | None:
    """Share of Hangul syllables among the letters of the text's head; None when it has no letters."""
    head = text[:HEAD_CHARS]
    letters = sum(map(str.isalpha, head))  # counted in C
    return len(_HANGUL_SYLLABLE.findall(head)) / letters if letters else None


def detect_language(text: str) -> str:
    """ko or en (en when the text has no letters)."""
    share = hangul_share(text)
    return "ko" if share is not None and share > KOREAN_ABOVE else "en"
