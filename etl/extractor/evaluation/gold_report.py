"""Counts, accuracies and the report of a gold evaluation (see :mod:`.gold` for the rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GOLD_TARGETS = {"volumes_f1": 0.90, "parties_recall": 0.85, "parties_precision": 0.80,
                "unknown_parties_recall": 0.75, "agreements_f1": 0.70, "tuple_f1": 0.55}


@dataclass
class Count:
    """Matched / extracted / required / found: precision, recall and F1 from counts."""

    matched: int = 0     # extracted items that match gold (optional gold included)
    extracted: int = 0
    found: int = 0       # required gold items found
    required: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Count) -> None:
        self.matched += other.matched
        self.extracted += other.extracted
        self.found += other.found
        self.required += other.required

    def as_dict(self) -> dict[str, Any]:
        return {"matched": self.matched, "extracted": self.extracted, "found": self.found,
                "required": self.required, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Ratio:
    """An accuracy: right / total."""

    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None

    def add(self, other: Ratio) -> None:
        self.right += other.right
        self.total += other.total

    def tick(self, ok: bool) -> None:
        self.total += 1
        self.right += bool(ok)

    def as_dict(self) -> dict[str, Any]:
        v = self.value
        return {"right": self.right, "total": self.total, "accuracy": None if v is None else round(v, 4)}


COUNTS = ("parties", "unknown_parties", "minerals", "volumes", "agreements", "tuple")
RATIOS = ("party_type", "party_country", "volume_bound", "volume_per_year", "volume_period",
          "agreement_roles", "agreement_status")


@dataclass
class GoldScores:
    counts: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in COUNTS})
    ratios: dict[str, Ratio] = field(default_factory=lambda: {k: Ratio() for k in RATIOS})

    def add(self, other: GoldScores) -> None:
        for k in COUNTS:
            self.counts[k].add(other.counts[k])
        for k in RATIOS:
            self.ratios[k].add(other.ratios[k])

    def as_dict(self) -> dict[str, Any]:
        return {**{k: self.counts[k].as_dict() for k in COUNTS},
                **{k: self.ratios[k].as_dict() for k in RATIOS}}

    def target_misses(self) -> list[str]:
        c = self.counts
        got = {"volumes_f1": c["volumes"].f1, "parties_recall": c["parties"].recall,
               "parties_precision": c["parties"].precision,
               "unknown_parties_recall": c["unknown_parties"].recall,
               "agreements_f1": c["agreements"].f1, "tuple_f1": c["tuple"].f1}
        return [f"{k} {got[k]:.3f} < {t:.2f}" for k, t in GOLD_TARGETS.items() if got[k] < t]


@dataclass
class ArticleGold:
    article_id: str
    language: str
    scores: GoldScores
    missed: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class GoldReport:
    articles: list[ArticleGold]
    by_language: dict[str, GoldScores]
    overall: GoldScores

    def target_misses(self) -> dict[str, list[str]]:
        """Targets not met, per language (the issue asks for each language separately)."""
        return {lang: s.target_misses() for lang, s in self.by_language.items()}

    def as_dict(self) -> dict[str, Any]:
        return {"articles": [{"article": a.article_id, "language": a.language, **a.scores.as_dict(),
                              "missed": a.missed, "extra": a.extra} for a in self.articles],
                "by_language": {k: v.as_dict() for k, v in self.by_language.items()},
                "overall": self.overall.as_dict(), "targets": GOLD_TARGETS,
                "target_misses": self.target_misses()}


_COLS = (("parties", "parties"), ("not-in-lex", "unknown_parties"), ("minerals", "minerals"),
         ("volumes", "volumes"), ("agreements", "agreements"), ("tuple", "tuple"))
_ACC = (("type", "party_type"), ("ctry", "party_country"), ("bound", "volume_bound"),
        ("p/yr", "volume_per_year"), ("period", "volume_period"), ("roles", "agreement_roles"),
        ("status", "agreement_status"))


def format_gold_table(report: GoldReport) -> str:
    """Plain-text table: P / R / F1 per fact type and the accuracies, per article, language, overall."""
    head = f"{'article':<14}" + "".join(f"{n:>18}" for n, _ in _COLS) + "  " + "".join(f"{n:>7}" for n, _ in _ACC)
    sub = f"{'':<14}" + "".join(f"{'P    R    F1':>18}" for _ in _COLS)
    lines = [head, sub, "-" * len(head)]

    def row(name: str, s: GoldScores) -> str:
        cells = "".join(f"{s.counts[k].precision:>6.2f}{s.counts[k].recall:>6.2f}{s.counts[k].f1:>6.2f}" for _, k in _COLS)
        accs = "".join(f"{'-' if s.ratios[k].value is None else format(s.ratios[k].value, '.2f'):>7}" for _, k in _ACC)
        return f"{name[:13]:<14}{cells}  {accs}"

    for a in report.articles:
        lines.append(row(f"{a.article_id} ({a.language})", a.scores))
    lines.append("-" * len(head))
    for lang, s in report.by_language.items():
        lines.append(row(f"language {lang}", s))
    lines.append(row("overall", report.overall))
    c = report.overall.counts["unknown_parties"]
    lines.append(f"not-in-lexicon gold parties found: {c.found}/{c.required}; "
                 f"extracted parties unknown to the lexicon: {c.extracted} ({c.matched} match gold)")
    for lang, misses in report.target_misses().items():
        lines.append(f"targets ({lang}): " + ("met" if not misses else "NOT met: " + "; ".join(misses)))
    return "\n".join(lines)
