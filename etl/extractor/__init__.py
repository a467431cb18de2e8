"""Automatic rule- and lexicon-based extractor for Korean and English articles.

Finds parties, minerals, agreements and volumes in an article body, each with its evidence
(an exact quote from the body) and character offsets. Everything it knows comes from data:
party and mineral aliases from ``seeds/reference/{parties,minerals}.yaml``, quantity words from
``units.yaml`` (through :mod:`etl.text`, the same parser the transform stage uses) and
trigger / status / clause words from ``seeds/reference/extraction.yaml``.

The lexicon is an explicit value (:func:`load_extraction_lexicon`); the public functions take
it as ``lexicon=`` and otherwise use :func:`lexicon_for`, the command-line edge's cache keyed by
seed folder.

Modules, in the order an article flows through them:
``patterns`` (regex pieces) → ``lexicon`` (compiled matchers) → ``sentences`` (splitter) →
``parties`` (name finding) → ``volumes`` / ``agreements`` (per sentence) → ``analysis`` (one
article) → ``output`` (extract JSON) / ``draft`` (entity-file draft); ``evaluation`` scores it.
"""

from etl.extractor.draft import draft_entities, draft_yaml
from etl.extractor.lexicon import ExtractionLexicon, lexicon_for, load_extraction_lexicon
from etl.extractor.output import extract_article

__all__ = ["ExtractionLexicon", "draft_entities", "draft_yaml", "extract_article", "lexicon_for",
           "load_extraction_lexicon"]
