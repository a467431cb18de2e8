"""A problem found in the input: where it is (file, record, field) and why, in one line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str                 # path relative to the seed folder
    reason: str
    record: str | None = None  # e.g. "agreements[2].volumes[0]"
    field: str | None = None
    raw: str | None = None     # the offending value, shortened
    article_id: str | None = None

    def line(self) -> str:
        where = self.file
        if self.record:
            where += f": {self.record}"
        if self.field:
            where += f" field {self.field}"
        return f"{where}: {self.reason}"


def shorten(value: object, limit: int = 200) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"
