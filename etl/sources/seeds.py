"""Extract: read seed files into plain records (articles, curated facts, reference lexicons).

Nothing here interprets the facts; it only reads files safely and reports what cannot be read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from etl.problems import Problem, shorten

MAX_FILE_BYTES = 5 * 1024 * 1024  # a seed article is a few KB; anything this big is a mistake
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?", re.S)


@dataclass
class ArticleFile:
    path: Path
    rel: str                  # path relative to the seed folder, for messages
    meta: dict[str, Any]
    body: str
    raw_bytes: bytes


@dataclass
class EntityFile:
    path: Path
    rel: str
    data: dict[str, Any]
    raw_bytes: bytes


@dataclass
class Reference:
    minerals: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    fx: list[dict[str, Any]]
    products: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SeedSet:
    root: Path
    articles: list[ArticleFile] = field(default_factory=list)
    entities: dict[str, EntityFile] = field(default_factory=dict)   # by article id
    reference: Reference | None = None
    problems: list[Problem] = field(default_factory=list)


def content_hash(article_bytes: bytes, entity_bytes: bytes | None, salt: bytes = b"") -> str:
    """SHA-256 of an article file and its facts file (`salt` marks auto-extracted facts)."""
    digest = hashlib.sha256(article_bytes)
    digest.update(b"\0")
    if entity_bytes is not None:
        digest.update(entity_bytes)
    digest.update(salt)
    return digest.hexdigest()


# libyaml's parser when PyYAML has it (10× faster on big seed sets), the pure-Python one otherwise.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):
    """SafeLoader that refuses duplicate keys (YAML silently keeps the last one otherwise)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings: the transform parses them and reports an impossible date (2025-02-30)
# with its file and field, instead of YAML failing on the whole file.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_bytes(path: Path, rel: str, problems: list[Problem]) -> bytes | None:
    try:
        # One open, fstat and read per file: a reload hashes every seed file.
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            # size + 1 sizes the buffer; a device or pipe says 0 and is read up to the limit only
            data = fh.read((size + 1) if size else (MAX_FILE_BYTES + 1)) if size <= MAX_FILE_BYTES else b""
        if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
            size = max(size, len(data))
            problems.append(Problem(rel, f"file is {size // 1024 // 1024} MB, over the 5 MB limit for a seed file"))
            return None
    except OSError as exc:
        if path.is_symlink() and not path.exists():
            problems.append(Problem(rel, "broken or looping symbolic link"))
        else:
            problems.append(Problem(rel, f"cannot read file: {exc.strerror or exc}"))
        return None
    if not data.strip():
        problems.append(Problem(rel, "file is empty"))
        return None
    return data


def _decode(data: bytes, rel: str, problems: list[Problem]) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8"))
        return None
    if "\x00" in text:  # PostgreSQL text cannot hold it; a seed file is never binary
        problems.append(Problem(rel, f"contains a NUL byte (character {text.index(chr(0))}): save the file as plain text"))
        return None
    return text.removeprefix("\ufeff")


_MAY_HAVE_ALIAS = re.compile(r"\*[^\s*]")


def _refuse_collection_aliases(text: str) -> None:
    """An alias of a list or mapping can expand without bound ("billion laughs"): refuse it.

    Aliases of plain values are harmless and allowed; seed files need neither."""
    if not _MAY_HAVE_ALIAS.search(text):
        return  # the usual case: no alias, no second pass
    collections: set[str] = set()
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) and event.anchor:
            collections.add(event.anchor)
        elif isinstance(event, yaml.AliasEvent) and event.anchor in collections:
            raise yaml.composer.ComposerError(
                None, None, f"alias *{event.anchor} repeats a list or mapping: write it out (aliases of "
                "collections can expand without bound)", event.start_mark)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _DuplicateKey(ValueError):
    pass


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _parse_json(text: str) -> tuple[bool, Any]:
    """(True, value) when the text is a JSON document; JSON is YAML, and C-parsed ~15× faster.

    Machine-written entity files (the extractor's drafts, bulk imports, the bench) are JSON;
    anything that is not valid JSON goes to the YAML parser and gets its messages."""
    if not text.lstrip().startswith(("{", "[")) or _SURROGATE_ESCAPE.search(text):
        return False, None  # not JSON, or escapes the YAML parser must judge
    try:
        return True, json.loads(text, object_pairs_hook=_unique_object)
    except json.JSONDecodeError:
        return False, None


MAX_NESTING = 64  # a facts file needs about 5 levels


def _depth_over(value: Any, limit: int) -> bool:
    """Whether lists and mappings nest deeper than `limit` (walked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def parse_yaml(text: str, rel: str, problems: list[Problem], record: str | None = None) -> Any:
    try:
        is_json, value = _parse_json(text)
        if is_json:
            return value
        _refuse_collection_aliases(text)
        value = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
        if _depth_over(value, MAX_NESTING):
            # Whether such a file fails inside the parser depends on the stack; refuse it here always.
            raise ValueError(f"nested more than {MAX_NESTING} levels deep")
        return value
    except _DuplicateKey as exc:
        problems.append(Problem(rel, f"malformed YAML: duplicate key {exc.args[0]!r}", record=record))
        return None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else record
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(rel, f"malformed YAML: {what}", record=where))
        return None


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(front matter YAML or None, body) of a Markdown file."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text
    return m.group(1), text[m.end():]


def read_seed_bytes(path: Path, root: Path, problems: list[Problem]) -> bytes | None:
    """The bytes of a seed file (size, emptiness and links checked), or None with the problem noted."""
    found: list[Problem] = []
    data = _read_bytes(path, "", found)
    problems += [replace(p, file=_rel(path, root)) for p in found]  # the path made readable only when needed
    return data


def _read_text(path: Path, rel: str, problems: list[Problem], data: bytes | None) -> tuple[bytes, str] | None:
    """(bytes, text) of a seed file, read unless `data` holds it already; None when unreadable."""
    data = data if data is not None else _read_bytes(path, rel, problems)
    if data is None:
        return None
    text = _decode(data, rel, problems)
    return None if text is None else (data, text)


def read_article(path: Path, root: Path, problems: list[Problem], data: bytes | None = None) -> ArticleFile | None:
    rel = _rel(path, root)
    read = _read_text(path, rel, problems, data)
    if read is None:
        return None
    data, text = read
    front, body = split_front_matter(text)
    meta: dict[str, Any] = {}
    if front is None:
        if text.startswith("---"):
            problems.append(Problem(rel, "front matter is not closed by a '---' line", record="front matter"))
            return None
    else:
        parsed = parse_yaml(front, rel, problems, record="front matter")
        if parsed is None and front.strip():
            return None
        if parsed is not None and not isinstance(parsed, dict):
            problems.append(Problem(rel, "front matter must be a mapping of fields", record="front matter", raw=shorten(parsed)))
            return None
        meta = parsed or {}
    meta.setdefault("id", path.stem)
    # Dates parsed by YAML arrive as date objects; keep strings as they are for the validator.
    return ArticleFile(path, rel, meta, body.strip("\n"), data)


def read_entity_file(path: Path, root: Path, problems: list[Problem], data: bytes | None = None) -> EntityFile | None:
    rel = _rel(path, root)
    read = _read_text(path, rel, problems, data)
    if read is None:
        return None
    data, text = read
    parsed = parse_yaml(text, rel, problems)
    if parsed is None:
        return None
    if not isinstance(parsed, dict):
        problems.append(Problem(rel, "an entity file must be a mapping with 'article', 'parties', 'agreements'", raw=shorten(parsed)))
        return None
    return EntityFile(path, rel, parsed, data)


OPTIONAL_REFERENCE = ("products",)  # a seed folder without products.yaml has no products


def read_reference(root: Path, problems: list[Problem]) -> Reference | None:
    lists: dict[str, list[dict[str, Any]]] = {"products": []}
    for name in ("minerals", "parties", "fx", "products"):
        path = root / "reference" / f"{name}.yaml"
        rel = _rel(path, root)
        if not path.exists():
            if name in OPTIONAL_REFERENCE:
                continue
            problems.append(Problem(rel, "reference file is missing"))
            return None
        data = _read_bytes(path, rel, problems)
        text = _decode(data, rel, problems) if data is not None else None
        parsed = parse_yaml(text, rel, problems) if text is not None else None
        if not isinstance(parsed, list) or not all(isinstance(x, dict) for x in parsed):
            if text is not None and parsed is not None:
                problems.append(Problem(rel, "a reference file must be a list of mappings"))
            return None
        lists[name] = parsed
    return Reference(lists["minerals"], lists["parties"], lists["fx"], lists["products"])


@dataclass
class SeedIndex:
    """The seed files of a folder, paired by name (articles/<id>.md ↔ entities/<id>.yaml), unread."""

    root: Path
    articles: dict[str, Path] = field(default_factory=dict)    # by file stem (= article id)
    entities: dict[str, Path] = field(default_factory=dict)    # paired with an article of the same stem
    orphan_entities: list[Path] = field(default_factory=list)  # no article of that stem: parsed to say why
    extra_articles: list[Path] = field(default_factory=list)   # a second file with the same stem (x.md, x.txt)
    problems: list[Problem] = field(default_factory=list)


def index_seeds(root: Path) -> SeedIndex:
    index = SeedIndex(root=root)
    article_dir = root / "articles"
    if not article_dir.is_dir():
        index.problems.append(Problem(_rel(article_dir, root), "no articles folder in the seed folder"))
        return index
    for path in _seed_files(article_dir, (".md", ".txt", ".markdown"), root, index.problems):
        if path.stem in index.articles:
            index.extra_articles.append(path)
        else:
            index.articles[path.stem] = path
    for path in _seed_files(root / "entities", (".yaml", ".yml"), root, index.problems):
        if path.stem in index.articles and path.stem not in index.entities:
            index.entities[path.stem] = path
        else:
            index.orphan_entities.append(path)
    return index


def read_seeds(root: Path) -> SeedSet:
    """Read every article, its paired entity file and the reference files under `root`
    (for tools that need all of them at once, e.g. `critmin eval`; the load uses the index)."""
    index = index_seeds(root)
    seeds = SeedSet(root=root, problems=index.problems)
    seeds.reference = read_reference(root, seeds.problems)
    for stem, path in sorted(index.articles.items()):
        art = read_article(path, root, seeds.problems)
        if art is None:
            continue
        seeds.articles.append(art)
        if stem in index.entities:
            ent = read_entity_file(index.entities[stem], root, seeds.problems)
            if ent is not None:
                seeds.entities[stem] = ent
    return seeds


def _seed_files(folder: Path, suffixes: tuple[str, ...], root: Path, problems: list[Problem]) -> list[Path]:
    if not folder.is_dir():
        return []
    out = []
    # scandir: the entry types come with the listing (no stat per file for 100k-file folders).
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name.lower() == "readme.md" or not name.lower().endswith(suffixes):
            continue
        path = folder / name
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as surrogates; no id can come of it
            problems.append(Problem(_rel(path, root), "the file name is not valid UTF-8: rename the file"))
            continue
        if entry.is_symlink():
            try:
                path.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.append(Problem(_rel(path, root), "broken or looping symbolic link", article_id=path.stem))
                continue
        if entry.is_dir():
            problems.append(Problem(_rel(path, root), "is a folder, not a seed file", article_id=path.stem))
            continue
        out.append(path)
    return out


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def as_date(value: Any) -> date | None:
    """YAML gives dates as date objects when well-formed; strings are parsed strictly."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise ValueError(f"not a date: {value!r}")
