"""``econn ui``: serve the dashboards with Voilà, as ``make run`` does."""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from ..errors import WorkspaceError

DEFAULT_PORT = 8866


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ui", help="ouvrir les tableaux de bord (Voilà sur 127.0.0.1)",
                       description="Sert les tableaux de bord econn avec Voilà sur 127.0.0.1, avec les réglages "
                                   "voila.json du dépôt. Nécessite une copie du dépôt (dossier notebooks/).")
    p.add_argument("--workspace", metavar="DIR", default=None,
                   help="espace de travail (défaut : $ECONN_WORKSPACE, sinon data/demo du dépôt)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (défaut : {DEFAULT_PORT})")
    p.set_defaults(func=_ui)


def app_root() -> Path:
    """The checkout holding ``notebooks/`` and ``voila.json`` next to the package; refused otherwise."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "notebooks" / "00_accueil.ipynb").exists():
        raise WorkspaceError(
            f"notebooks/ not found next to the econn package ({root})",
            "Tableaux de bord introuvables : « econn ui » doit être lancé depuis une copie du dépôt econn "
            "(installation « pip install -e . » dans le dossier cloné), qui contient notebooks/ et voila.json.",
        )
    return root


def voila_command(root: Path, port: int) -> list[str]:
    """The Voilà command line (run with ``cwd=root`` so that voila.json is read, and :func:`voila_env`).

    Voilà runs through :mod:`econn.server.app` (Voilà with a Host check on every request, a token required
    when exposed, no contents API).
    """
    if importlib.util.find_spec("voila") is None:
        raise WorkspaceError("voila is not installed", "Voilà n'est pas installé : pip install voila.")
    return [sys.executable, "-m", "econn.server.app", "notebooks/", "--Voila.ip=127.0.0.1", f"--Voila.port={port}", "--Voila.port_retries=0",
            "--no-browser", f"--Voila.config_file_paths={root}"]


def voila_env(root: Path, workspace: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Voilà's environment: the workspace, and the checkout's ``share/jupyter`` first in ``JUPYTER_PATH``.

    voila.json names econn's own template (``share/jupyter/voila/templates/econn``); Voilà looks for
    templates in the Jupyter data folders, and an editable install does not copy data files there.
    """
    env = dict(os.environ if base is None else base, ECONN_WORKSPACE=str(workspace))
    env.pop("QUERY_STRING", None)   # a page's address reaches its kernel from Voilà, never from here
    known = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    paths = [str(root / "share" / "jupyter"), *known]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def _ui(args: argparse.Namespace) -> int:
    from ..store import db_path
    from ..store.workspace import resolve_workspace

    if not 0 < args.port < 65536:
        raise WorkspaceError(f"bad port {args.port}", f"Port invalide : {args.port} (1 à 65535).")
    root = app_root()
    ws = resolve_workspace(args.workspace).resolve()
    if not db_path(ws).exists():
        raise WorkspaceError(
            f"no econn workspace at {ws}",
            f"Aucun espace de travail econn dans {ws}. Créez-le avec « econn demo --out {ws} ».",
        )
    env = voila_env(root, ws)
    cmd = voila_command(root, args.port)
    print(f"econn : tableaux de bord sur http://127.0.0.1:{args.port}/voila/render/00_accueil.ipynb "
          f"(espace de travail : {ws}) ; Ctrl+C pour arrêter.", flush=True)
    try:
        return subprocess.call(cmd, cwd=root, env=env)
    except KeyboardInterrupt:
        return 0
