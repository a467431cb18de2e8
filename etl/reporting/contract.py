"""The reporting contract, defined once in sql/reporting/contract.yaml: each view of schema
`reporting`, its columns in order, their types and descriptions.

The database is checked against it (`contract_drift`, used by the tests and by `critmin doctor`);
the data dictionary and the BI descriptions are the database's COMMENTs, so they say the same.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from etl.paths import resource_dir
from etl.reporting.views import SCHEMA, list_views


class ContractColumn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    type: str = Field(description="PostgreSQL type as format_type() prints it, e.g. text, numeric(28,6)")
    description: str = Field(min_length=10)


class ContractView(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    description: str = Field(min_length=30)
    columns: tuple[ContractColumn, ...] = Field(min_length=1)


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    views: tuple[ContractView, ...]

    def view(self, name: str) -> ContractView:
        return next(v for v in self.views if v.name == name)


def contract_path() -> Path:
    return resource_dir("sql") / SCHEMA / "contract.yaml"


@cache
def load_contract(path: Path | None = None) -> Contract:
    """The contract file, validated (a malformed file is a programming error, not user input)."""
    path = path or contract_path()
    return Contract.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def contract_drift(url: str, contract: Contract | None = None) -> list[str]:
    """Each difference between the database's reporting views and the contract, as one line."""
    contract = contract or load_contract()
    actual = {v.name: v for v in list_views(url)}
    wanted = {v.name: v for v in contract.views}
    out = [f"reporting.{name}: in the database, not in the contract" for name in sorted(set(actual) - set(wanted))]
    out += [f"reporting.{name}: in the contract, not in the database" for name in sorted(set(wanted) - set(actual))]
    for name in sorted(set(actual) & set(wanted)):
        have, want = actual[name], wanted[name]
        if (have.comment or "") != want.description:
            out.append(f"reporting.{name}: its COMMENT differs from the contract's description")
        got = [(c.name, c.data_type, c.comment or "") for c in have.columns]
        expected = [(c.name, c.type, c.description) for c in want.columns]
        if [g[0] for g in got] != [e[0] for e in expected]:
            out.append(f"reporting.{name}: columns {[g[0] for g in got]} differ from the contract's {[e[0] for e in expected]}")
            continue
        for g, e in zip(got, expected, strict=True):
            if g[1] != e[1]:
                out.append(f"reporting.{name}.{g[0]}: type {g[1]} in the database, {e[1]} in the contract")
            if g[2] != e[2]:
                out.append(f"reporting.{name}.{g[0]}: its COMMENT differs from the contract's description")
    return out
