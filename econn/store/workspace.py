"""Where the workspace is, and the folders each connector reads and writes."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_WORKSPACE = Path("data") / "demo"


def repo_root() -> Path | None:
    """The source checkout this package runs from, when it runs from one (editable install)."""
    here = Path(__file__).resolve().parent.parent.parent
    return here if (here / "pyproject.toml").exists() and (here / "notebooks").is_dir() else None


def resolve_workspace(workspace: str | os.PathLike[str] | None = None) -> Path:
    """The workspace folder: the argument, else ``$ECONN_WORKSPACE``, else ``data/demo``.

    A relative ``data/demo`` default is taken from the checkout root when econn runs from
    one, so that a dashboard kernel (whose working directory is ``notebooks/``) and the CLI
    started at the root see the same workspace.
    """
    if workspace:
        return Path(workspace).expanduser().resolve()
    env = os.environ.get("ECONN_WORKSPACE")
    if env:
        return Path(env).expanduser().resolve()
    root = repo_root()
    return (root / DEFAULT_WORKSPACE).resolve() if root else DEFAULT_WORKSPACE.resolve()


def connector_dir(workspace: Path, configured: str | None, code: str, kind: str) -> Path:
    """A connector's import or export folder: as configured (relative to the workspace), else the default."""
    if configured:
        p = Path(configured).expanduser()
        return p if p.is_absolute() else (workspace / p)
    return workspace / "connecteurs" / code / kind
