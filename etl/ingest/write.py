"""Write `seeds/articles/<id>.md` atomically (a temporary file in the same folder, then a rename
that refuses to replace an existing file), in the format of the curated articles."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

# front matter fields in the order the curated files use; the extra ones are read by nothing
# that validates (the seed validator ignores fields it does not know) and record provenance
FIELD_ORDER = ("id", "title", "publisher", "url", "published_on", "published_precision", "language",
               "source_file", "source_url", "ai_generated", "republished_from", "notes")


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def render(meta: dict[str, Any], body: str) -> str:
    ordered = {k: meta[k] for k in FIELD_ORDER if k in meta}
    ordered.update({k: v for k, v in meta.items() if k not in ordered})
    front = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                      default_flow_style=False)
    return f"---\n{front}---\n{body.strip()}\n"


class Exists(FileExistsError):
    pass


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; never half-written, never replacing an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)   # atomic, and fails if the name exists (rename would replace it)
        except FileExistsError:
            raise Exists(str(path)) from None
        except OSError:
            if path.exists():
                raise Exists(str(path)) from None
            os.replace(tmp, path)  # a file system without hard links
            return
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
