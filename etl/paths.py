"""Where the project's resource folders are: the repository checkout, or the copy bundled in the wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "_bundled"
_REPO = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """`migrations`, `sql` or `seeds`: the bundled copy in an installed wheel, else the checkout's."""
    bundled = _BUNDLED / name
    return bundled if bundled.is_dir() else _REPO / name


def default_seeds_dir(cwd: Path | None = None) -> Path:
    """`./seeds` when the current directory has one, else the seeds shipped with the package."""
    here = (cwd or Path.cwd()) / "seeds"
    if (here / "articles").is_dir():
        return here
    return resource_dir("seeds")


def reference_file(seeds_dir: Path, name: str) -> Path:
    """`seeds_dir/reference/name`, or the bundled copy when the seed folder has none."""
    path = Path(seeds_dir) / "reference" / name
    return path if path.exists() else resource_dir("seeds") / "reference" / name
