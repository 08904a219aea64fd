"""Shared fixtures: a fresh empty workspace, the demo workspace, a tiny-CSV writer."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from econn import store

# Property tests in `make test` replay the same examples on every run (a red CI is then a change, not a
# lucky draw); `make soak` explores with new random examples (HYPOTHESIS_PROFILE=explore) and more of them.
settings.register_profile("suite", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A new, empty, migrated workspace."""
    ws = tmp_path / "ws"
    store.init_store(ws)
    return ws


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace, built once per test session (read it, do not modify it)."""
    from econn.demo.build import build_demo

    out = tmp_path_factory.mktemp("demo-template") / "demo"
    build_demo(out)
    return out


@pytest.fixture
def demo_workspace(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo workspace that a test may modify."""
    dst = tmp_path / "demo"
    shutil.copytree(demo_template, dst)
    return dst


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write text to a CSV file in the given encoding and return its path."""

    def _write(text: str, name: str = "file.csv", encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return p

    return _write
