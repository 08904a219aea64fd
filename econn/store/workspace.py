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


def display_name(name: str | os.PathLike[str]) -> str:
    """A file name (or path) as text that can be shown, stored and printed: bytes that are not UTF-8 (a name
    from another system's locale) appear escaped, ``a\\xff.csv``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def name_problem(path: Path, folder: Path | None = None) -> str | None:
    """Why econn will not read ``path`` as a pending file, as a finding code; None when it can.

    ``FIC-NOM``: the name is not valid UTF-8 (DuckDB, the history and the pages cannot hold it).
    ``FIC-LIEN``: a symbolic link whose target is missing or outside ``folder`` (the import folder); a link
    that stays inside the folder is read like the file it points to.
    """
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return "FIC-NOM"
    if folder is not None and path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):   # dangling link, or a loop
            return "FIC-LIEN"
        if not target.is_relative_to(folder.resolve()):
            return "FIC-LIEN"
    return None


def connector_dir(workspace: Path, configured: str | None, code: str, kind: str) -> Path:
    """A connector's import or export folder: as configured (relative to the workspace), else the default."""
    if configured:
        p = Path(configured).expanduser()
        return p if p.is_absolute() else (workspace / p)
    return workspace / "connecteurs" / code / kind
