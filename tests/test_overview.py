"""The home page's data (history.overview) and its text form ``econn status``: « Mise à jour des réceptions »,
open errors, last send."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from econn.cli import main
from econn.config import connectors
from econn.history.overview import connector_overview, pending_warning


def _by_code(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(r["code"]): r for r in rows}


def test_only_connectors_updated_at_opening_are_analysed_and_warn(demo_workspace: Path) -> None:
    """The manual: « Manuellement (Aucun avertissement de données en attente de réception ne s'affiche) »,
    « A l'ouverture de l'application (Avertissement indiquant que les données sont en attente de réception) »."""
    opening = _by_code(connector_overview(demo_workspace, at_opening=True))
    assert (opening["FACIL"]["refresh"], opening["CSV"]["refresh"]) == ("manuel", "ouverture")
    assert opening["FACIL"]["pending_files"] is None and not opening["FACIL"]["pending_warning"]
    assert opening["CSV"]["pending_files"] == 2 and opening["CSV"]["pending_warning"]
    assert pending_warning(list(opening.values())) == "Des données sont en attente de réception : CSV (2 fichiers)."
    refreshed = _by_code(connector_overview(demo_workspace))      # « Actualiser les réceptions »
    assert refreshed["FACIL"]["pending_files"] == 1 and not refreshed["FACIL"]["pending_warning"]
    connectors.update(demo_workspace, "CSV", refresh="manuel")
    connectors.update(demo_workspace, "FACIL", refresh="ouverture")
    opening = _by_code(connector_overview(demo_workspace, at_opening=True))
    assert opening["CSV"]["pending_files"] is None and opening["FACIL"]["pending_warning"]
    assert pending_warning(list(opening.values())) == "Des données sont en attente de réception : FACIL (1 fichier)."


def test_status_text_has_what_json_has(demo_workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Open errors and the last send were only in ``--json``."""
    assert main(["status", "--workspace", str(demo_workspace), "--json"]) == 0
    rows = _by_code(json.loads(capsys.readouterr().out))
    assert main(["status", "--workspace", str(demo_workspace)]) == 0
    text = capsys.readouterr().out
    for code, r in rows.items():
        part = text[text.index(f"{code} ("):]
        part = part[:part.index("48 h")]
        assert f"{r['open_errors']} erreurs non traitées" in part
        last_send = str(r["last_send"])        # 2026-12-06 13:08:42 → 06/12/2026 13:08
        assert f"dernier envoi : {last_send[8:10]}/{last_send[5:7]}/{last_send[:4]} {last_send[11:16]}" in part
    assert "CSV (Autre, CSV, mise à jour des réceptions : à l'ouverture)" in text
    assert "en attente : non analysés" in text.split("FACIL (")[1]
    assert text.strip().endswith("Avertissement : Des données sont en attente de réception : CSV (2 fichiers).")
    assert main(["status", "--workspace", str(demo_workspace), "--refresh"]) == 0
    text = capsys.readouterr().out
    assert "en attente : 1 fichier ;" in text.split("FACIL (")[1]
    assert "FACIL (1" not in text.split("Avertissement")[1]     # manual mode: counted, never a warning


def test_home_page_at_opening_and_after_refresh(demo_workspace: Path) -> None:
    from econn.ui.home import HomePage

    home = HomePage(demo_workspace)
    assert "CSV (2 fichiers)" in home.pending_warning.value and "FACIL" not in home.pending_warning.value
    facil = home.table.value.split('data-code="FACIL"')[1].split("</tr>")[0]
    assert "Dossier non analysé (mise à jour manuelle)" in facil and "en attente" not in facil
    home.refresh()                                            # « Actualiser les réceptions »
    facil = home.table.value.split('data-code="FACIL"')[1].split("</tr>")[0]
    assert "1 fichier en attente" in facil
    assert "FACIL" not in home.pending_warning.value
    connectors.update(demo_workspace, "CSV", refresh="manuel")
    assert HomePage(demo_workspace).pending_warning.value == ""
