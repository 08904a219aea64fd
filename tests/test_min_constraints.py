"""tools/min_constraints.py pins each declared dependency to the lowest version its range allows."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("min_constraints", ROOT / "tools" / "min_constraints.py")
assert _spec and _spec.loader
min_constraints = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(min_constraints)


def test_lower_bounds_become_pins() -> None:
    requirements = ["duckdb>=1.4,<3", "voila >= 0.5.8, <0.6", "pkg[extra]>=2 ; python_version>'3'"]
    assert min_constraints.lowest_pins(requirements) == ["duckdb==1.4", "voila==0.5.8", "pkg==2"]


@pytest.mark.parametrize("requirement", ["pandas", "pandas<3", "pandas==2.2", "pandas>=2.2,>=2.3"])
def test_a_requirement_without_one_lower_bound_is_refused(requirement: str) -> None:
    with pytest.raises(ValueError, match="lower bound"):
        min_constraints.lowest_pins([requirement])


def test_every_declared_dependency_is_pinned() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "min_constraints.py"), "test"],
                         capture_output=True, text=True, timeout=60, check=True)
    pins = [line for line in run.stdout.splitlines() if line and not line.startswith("#")]
    assert len(pins) == len(declared)
    assert all("==" in pin for pin in pins)
