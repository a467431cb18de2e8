"""What `critmin add` says about an article: the notes in its front matter and the lines it prints."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from etl.ingest.candidates import Candidate
from etl.ingest.fetch import safe_url


def front_matter_notes(cand: Candidate, source: str) -> str:
    counts = Counter(kind for kind, _, _ in cand.dropped)
    dropped = ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in counts.most_common()) or "nothing"
    parts = [f"Added by critmin add from {source}."]
    if cand.title:
        parts.append(f"Title: {cand.title.how}.")
    parts.append(f"Publisher: {cand.publisher.how if cand.publisher else 'not stated'}.")
    parts.append(f"Date: {cand.published.how}.")
    parts.append(f"Language: {cand.language.how}.")
    if cand.ai_generated:
        parts.append(f"AI-generated: {cand.ai_generated.how}.")
    if cand.republished_from:
        parts.append(f"Republication of {cand.republished_from.value}: {cand.republished_from.how}.")
    parts.append(f"Dropped: {dropped}.")
    return " ".join(parts)


def report_lines(cand: Candidate, facts: str | None) -> list[str]:
    cut = [d for d in cand.dropped if d[2]]
    whole = [d for d in cand.dropped if not d[2]]
    lines = [f"kept {cand.kept} lines ({len(cand.body)} characters); dropped {len(whole)} lines"
             + (f" and cut {len(cut)} pieces from kept lines" if cut else "")]
    for kind, text, was_cut in cand.dropped:
        lines.append(f"  {'cut ' if was_cut else 'drop'} {kind:<16} {_short(text)}")
    pub = cand.published
    lines.append(f"title:        {_short(str(cand.title.value)) if cand.title else '(none)'}"
                 + (f"  [{cand.title.how}]" if cand.title else ""))
    lines.append(f"publisher:    {cand.publisher.value if cand.publisher else 'unknown'}"
                 f"  [{cand.publisher.how if cand.publisher else 'not stated'}]")
    lines.append(f"published_on: {pub.on.isoformat() if pub.on else 'unknown'} ({pub.precision})  [{pub.how}]")
    lines.append(f"language:     {cand.language.value}  [{cand.language.how}]")
    if cand.url:
        lines.append(f"url:          {safe_url(cand.url)}")
    if cand.ai_generated:
        lines.append(f"ai_generated: yes  [{cand.ai_generated.how}]")
    if cand.republished_from:
        lines.append(f"republished from: {cand.republished_from.value}  [{cand.republished_from.how}]")
    if facts:
        lines.append(f"facts (extractor): {facts}")
    return lines


def _short(text: str, n: int = 90) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= n else text[:n - 1] + "…"


def facts_summary(meta: dict[str, Any], body: str, seeds_dir: Path) -> str:
    from etl.extractor import extract_article

    try:
        r = extract_article((meta, body), seeds_dir=seeds_dir)
    except ValueError as exc:
        return f"the extractor could not read it: {exc}"
    parties = ", ".join(p["name"] for p in r["parties"][:8]) + (" …" if len(r["parties"]) > 8 else "")
    kinds = Counter(a["kind"] for a in r["agreements"])
    agreements = ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    return (f"{len(r['parties'])} parties ({parties or '-'}); minerals: {', '.join(r['minerals']) or '-'}; "
            f"{len(r['agreements'])} agreements ({agreements or '-'}); {len(r['volumes'])} volumes")
