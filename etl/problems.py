"""A problem found in the input: where it is (file, record, field) and why, in one line."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str                 # path relative to the seed folder
    reason: str
    record: str | None = None  # e.g. "agreements[2].volumes[0]"
    field: str | None = None
    raw: str | None = None     # the offending value, shortened
    article_id: str | None = None

    def __post_init__(self) -> None:
        # Printable and storable whatever the input held: no NUL, no unpaired surrogate
        # (a file name with invalid UTF-8 bytes) can reach a terminal or etl.rejected_row.
        for name in ("file", "reason", "record", "field", "raw"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, _printable(value))

    def line(self) -> str:
        where = self.file
        if self.record:
            where += f": {self.record}"
        if self.field:
            where += f" field {self.field}"
        return _BREAKS.sub(" ", f"{where}: {self.reason}")  # one line, whatever the input held


_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 200
_REPR.maxlevel = 3


def _printable(text: str) -> str:
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def shorten(value: object, limit: int = 200) -> str:
    # reprlib: a huge or deeply nested value is never rendered in full
    text = _REPR.repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"
