"""Packaging: every import is a declared dependency (deptry), and CI runs the README's commands.

A plain `pip install .` once failed for every new user (an undeclared `click`) while CI stayed
green; these tests keep the declared dependencies and the README's two commands honest.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI_MARK = "# README:"


def readme_commands() -> list[str]:
    """The fenced `bash` commands under the README's "Two commands" heading, in order (output samples are untagged)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Two commands\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert section, "README.md has no '## Two commands' section"
    blocks = re.findall(r"^```bash\n(.*?)^```", section.group(1), re.MULTILINE | re.DOTALL)
    return [block.strip() for block in blocks]


def ci_commands() -> list[str]:
    """The command part of each line of .ci/run marked as a README command."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [line.split(CI_MARK)[0].strip() for line in lines if CI_MARK in line]


def test_ci_runs_exactly_the_readme_commands():
    readme = readme_commands()
    assert len(readme) == 2, readme
    assert all("\n" not in command for command in readme), "each README command is one line"
    assert ci_commands() == readme


def test_first_readme_command_is_a_plain_install():
    """A newcomer's install: non-editable, no extras, then the main command."""
    first = readme_commands()[0]
    assert "pip install . " in first + " " and "-e" not in first.split() and "[" not in first
    assert first.endswith("critmin run")


def test_deptry_finds_no_dependency_problem():
    """No missing, transitive-only or unused dependency (settings in pyproject's [tool.deptry])."""
    result = subprocess.run([sys.executable, "-m", "deptry", "."], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_runtime_dependencies_have_both_bounds():
    """A lower bound that was tested and an upper bound below the next major release."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        assert re.search(r">=\s*[\d.]+", requirement) and re.search(r"<\s*[\d.]+", requirement), requirement
