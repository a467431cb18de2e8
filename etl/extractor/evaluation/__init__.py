"""Scoring the extractor: against the curated seeds (``critmin eval``) and a gold file (``--gold``)."""

from etl.extractor.evaluation.gold import evaluate_gold
from etl.extractor.evaluation.gold_report import GOLD_TARGETS, format_gold_table
from etl.extractor.evaluation.seeds import TARGETS, evaluate, format_table

__all__ = ["GOLD_TARGETS", "TARGETS", "evaluate", "evaluate_gold", "format_gold_table", "format_table"]
