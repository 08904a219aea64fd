"""``econn`` command line: thin commands over the library.

Each command module exposes ``register(subparsers)``; handlers import what they
need lazily so that ``econn preview`` starts fast. Exit codes: 0 clean, 1 the
data has errors, 2 the run failed. No Python traceback reaches a user: errors
become one French line on stderr (and the English detail in the log).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Sequence

from ..errors import EconnError

log = logging.getLogger("econn")

# Add a module here when it gains commands; order is the order of `econn --help`.
COMMAND_MODULES = [
    "econn.cli.workspace_cmds",
    "econn.cli.preview_cmds",
    "econn.cli.mappings_cmds",
    "econn.cli.headers_cmds",
    "econn.cli.receive_cmds",
    "econn.cli.connectors_cmds",
    "econn.cli.send_cmds",
    "econn.cli.history_cmds",
    "econn.cli.settings_cmds",
    "econn.cli.actions_cmds",
    "econn.cli.diagnose_cmds",
    "econn.cli.backup_cmds",
    "econn.cli.ui_cmds",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 with usage, as we want, in French
        self.print_usage(sys.stderr)
        self.exit(2, f"econn : argument invalide : {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser (also used by the test that checks every command is documented)."""
    parser = _Parser(prog="econn", description="Atelier local des échanges CSV e-connecteur.")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé (anglais) sur stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``econn`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except EconnError as exc:
        log.info("%s failed: %s", args.command, exc)
        return _failed(args, type(exc).__name__, exc.message_fr)
    except KeyboardInterrupt:
        return _failed(args, "Interrupted", "interrompu.")
    except BrokenPipeError:
        # `econn … | head`: the reader has gone; nothing left to say to it, and nothing to report. Python
        # would flush stdout again at exit and complain: point it at /dev/null first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # last resort: one line for the user, the traceback only in verbose logs
        log.debug("unexpected error", exc_info=True)
        if args.verbose:
            logging.getLogger("econn").exception("unexpected error in %s", args.command)
        return _failed(args, "UnexpectedError", f"erreur inattendue ({type(exc).__name__}: {exc}).")


def _failed(args: argparse.Namespace, code: str, message: str) -> int:
    """Exit 2 with one French line on stderr, and with ``--json`` a JSON object on stdout as well."""
    print(f"econn : {message}", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))
    return 2


def add_workspace_arg(p: argparse.ArgumentParser) -> None:
    """``--workspace DIR`` (default ``$ECONN_WORKSPACE``, else ``data/demo``)."""
    p.add_argument("--workspace", metavar="DIR", default=None,
                   help="dossier de l'espace de travail (défaut : $ECONN_WORKSPACE, sinon data/demo)")


def add_map_arg(p: argparse.ArgumentParser) -> None:
    """``--map "Colonne=champ"`` (repeatable): the field of a column for this run, ``"Colonne="`` to ignore it."""
    p.add_argument("--map", metavar="COLONNE=CHAMP", action="append", default=[],
                   help='champ d\'une colonne pour cette commande (répétable) ; "Colonne=" ignore la colonne ; '
                        "prime sur les choix mémorisés et le format reconnu")
