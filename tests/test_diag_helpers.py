"""Shared helpers of the diagnostics tests: small GC data inserted with SQL into a fresh workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from econn import store
from econn.diagnostics.base import DiagnosticResult

BASE_SQL = [
    "INSERT INTO connectors (code, articles_send) VALUES ('SHOP', 'export')",
    ("INSERT INTO tva_codes VALUES ('V0', 0, 'Non soumis', 'non_soumis', 'FR', true), "
     "('V1', 5.5, 'Réduit', 'reduit', 'FR', true), ('V3', 20, 'Normal', 'normal', 'FR', true), "
     "('VEXO', 0, 'Intracom', 'exonere_intracom', 'FR', true), ('VEXP', 0, 'Export', 'export', 'FR', true)"),
    ("INSERT INTO countries VALUES ('FR', 'France', true), ('BE', 'Belgique', true), "
     "('DE', 'Allemagne', true), ('NL', 'Pays-Bas', true), ('GR', 'Grèce', true), ('GB', 'Royaume-Uni', false), "
     "('CH', 'Suisse', false)"),
    "INSERT INTO price_categories VALUES ('REV', 'Revendeurs', false), ('TTC', 'Public TTC', true)",
]


def sql(ws: Path, *statements: str | tuple[str, list[Any]]) -> None:
    """Run statements (text, or (text, params)) in one transaction."""
    with store.transaction(ws) as con:
        for st in statements:
            if isinstance(st, tuple):
                con.execute(st[0], st[1])
            else:
                con.execute(st)


def base(ws: Path) -> Path:
    """A connector, VAT codes, a few countries and price categories."""
    sql(ws, *BASE_SQL)
    return ws


def pairs(result: DiagnosticResult, code: str | None = None) -> set[tuple[str, str | None]]:
    """(code, subject) of the findings, optionally of one code."""
    return {(f.code, f.subject) for f in result.findings if code is None or f.code == code}


def subjects(result: DiagnosticResult, code: str) -> set[str | None]:
    """Subjects of the findings of one code."""
    return {f.subject for f in result.findings if f.code == code}
