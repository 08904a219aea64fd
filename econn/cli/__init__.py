"""``econn`` command line: thin commands over the library.

Each command module exposes ``register(subparsers)``; handlers import what they
need lazily so that ``econn preview`` starts fast. Exit codes: 0 clean, 1 the
data has errors, 2 the run failed. No Python traceback reaches a user: errors
become one French line on stderr (and the English detail in the log).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from ..errors import EconnError

log = logging.getLogger("econn")

# Add a module here when it gains commands; order is the order of `econn --help`.
COMMAND_MODULES = [
    "econn.cli.workspace_cmds",
    "econn.cli.preview_cmds",
    "econn.cli.mappings_cmds",
    "econn.cli.receive_cmds",
    "econn.cli.connectors_cmds",
    "econn.cli.send_cmds",
    "econn.cli.history_cmds",
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
        print(f"econn : {exc.message_fr}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("econn : interrompu.", file=sys.stderr)
        return 2
    except Exception as exc:  # last resort: one line for the user, the traceback only in verbose logs
        log.debug("unexpected error", exc_info=True)
        if args.verbose:
            logging.getLogger("econn").exception("unexpected error in %s", args.command)
        print(f"econn : erreur inattendue ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 2


def add_workspace_arg(p: argparse.ArgumentParser) -> None:
    """``--workspace DIR`` (default ``$ECONN_WORKSPACE``, else ``data/demo``)."""
    p.add_argument("--workspace", metavar="DIR", default=None,
                   help="dossier de l'espace de travail (défaut : $ECONN_WORKSPACE, sinon data/demo)")
