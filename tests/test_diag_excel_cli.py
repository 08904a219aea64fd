"""Excel report (formula neutralisation) and the ``econn diagnose`` / ``econn securite`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from econn.cli import build_parser, main
from econn.diagnostics import registry
from econn.diagnostics.base import DiagnosticResult
from econn.diagnostics.excel import write_report
from econn.findings import make


def test_excel_report_neutralises_formulas(tmp_path: Path) -> None:
    res = DiagnosticResult("doublons-simple", [
        make("CLI-INVALID", subject="=cmd()", column="E-mail", value="=HYPERLINK(\"http://x\")"),
        make("CLI-SHARED", subject="<script>alert(1)</script>", kind="Téléphone", value="+33 6",
             relation="des tiers sans lien", detail="-1"),
    ], clusters=[{"id": "S0001", "members": ["A", "B"], "score": 1.0, "evidence": "@x", "keep": "A"}])
    path = write_report(res, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Résumé", "Constats", "Groupes"]
    ws = wb["Constats"]
    assert [c.value for c in ws[1]] == ["code", "niveau", "message", "conseil", "sujet", "fichier", "ligne",
                                        "document", "colonne", "valeur"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    sujet, valeur = ws.cell(row=2, column=5), ws.cell(row=2, column=10)
    assert (sujet.value, sujet.data_type, sujet.quotePrefix) == ("=cmd()", "s", True)
    assert valeur.data_type == "s" and valeur.quotePrefix
    assert ws.cell(row=3, column=5).value == "<script>alert(1)</script>"
    assert wb["Groupes"].cell(row=2, column=4).quotePrefix


def test_every_command_has_help() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in ("diagnose", "securite"):
        assert sub.choices[name].description


def test_cli_json_and_exit_codes(demo_workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(demo_workspace)
    assert main(["diagnose", "grilles-prix", "--workspace", ws, "--json", "--today", "2026-11-23",
                 "--xlsx", str(tmp_path / "g.xlsx")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["diagnostic"] == "grilles-prix"
    assert {"code", "level", "message", "hint", "subject"} <= set(data["findings"][0])
    assert openpyxl.load_workbook(tmp_path / "g.xlsx")["Constats"].max_row == len(data["findings"]) + 1
    assert main(["diagnose", "doublons-simple", "--workspace", ws]) == 1
    out = capsys.readouterr().out
    assert "CLI-DUP-TEL" in out and "constat" in out


def test_cli_cleanup_blocked_then_lifted(demo_workspace: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from econn import store
    from econn.diagnostics import safety

    ws = str(demo_workspace)
    with store.transaction(ws) as con:
        store.set_setting(con, safety.setting_key("grilles_suppression"), "0,5")
    args = ["diagnose", "nettoyage-grilles", "--workspace", ws, "--today", "2026-11-23", "--apply",
            "--backup-dir", str(tmp_path / "bk")]
    assert main(args) == 1
    assert "mode de sécurité" in capsys.readouterr().out
    assert main(["securite", "lever", "--operation", "grilles_suppression", "--justification", "x",
                 "--workspace", ws]) == 2
    assert "justification" in capsys.readouterr().err
    assert main(["securite", "lever", "--operation", "grilles_suppression", "--justification",
                 "nettoyage validé par la direction", "--workspace", ws]) == 0
    assert main(args) == 0
    assert "6 règle(s) supprimée(s)" in capsys.readouterr().out


def test_missing_diagnostic_module_is_a_french_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.DIAGNOSTICS, "doublons-complet",
                        ("econn.diagnostics.nonexistent_module", "run", "Doublon de clients complet"))
    with pytest.raises(registry.UnknownDiagnosticError) as exc:
        registry.get("doublons-complet")
    assert "pas encore disponible" in exc.value.message_fr
