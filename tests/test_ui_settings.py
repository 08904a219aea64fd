"""The settings page: connector list, wizard, duplicate, delete and send, driven without a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from econn.config import connectors
from econn.ui.settings import SettingsPage

# Values of the demo's GC tables: entreprise, site, transporteur and client family are checked against them.
REQUIRED = {"partner": "Prestashop", "depot": "DEP1", "entreprise": "VIGNE", "site": "SITE1",
            "transporteur": "DANZA", "client_family": "PARTF"}


@pytest.fixture
def page(demo_workspace: Path) -> SettingsPage:
    return SettingsPage(demo_workspace)


def _fill(p: SettingsPage, **values: object) -> None:
    for name, value in values.items():
        p.wizard.widgets[name].value = value


def test_lists_demo_connectors(page: SettingsPage) -> None:
    html = page.table.value
    for text in ("FACIL", "CSV", "En liaison avec", "Mode de communication", "Réception des tiers", "SuiviETA"):
        assert text in html
    assert {code for _label, code in page.selector.options} >= {"FACIL", "CSV"}
    assert "Récapitulatif" in page.recap.value


def test_invalid_import_folder_shows_field_error_and_saves_nothing(page: SettingsPage, demo_workspace: Path,
                                                                   tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-dir.txt"
    a_file.write_text("x")
    page.new_button.click()
    assert page.wizard.layout.display != "none"
    _fill(page, code="PRESTA", import_dir="/proc/econn-nope", **REQUIRED)
    page.wizard.next_button.click()
    page.wizard.next_button.click()
    page.wizard.save_button.click()
    assert "Dossier introuvable" in page.wizard.errors["import_dir"].value
    assert page.wizard.step == 0  # back to the step with the error
    assert "PRESTA" not in [c.code for c in connectors.list_connectors(demo_workspace)]
    _fill(page, import_dir=str(a_file))
    page.wizard.save_button.click()
    assert "pas un dossier" in page.wizard.errors["import_dir"].value
    assert "PRESTA" not in [c.code for c in connectors.list_connectors(demo_workspace)]
    _fill(page, import_dir="")
    page.wizard.save_button.click()
    assert page.wizard.errors["import_dir"].value == ""
    assert connectors.get(demo_workspace, "PRESTA").partner == "Prestashop"
    assert "PRESTA" in page.table.value and page.selector.value == "PRESTA"


def test_missing_required_field_is_shown_next_to_it(page: SettingsPage, demo_workspace: Path) -> None:
    page.new_button.click()
    _fill(page, code="NEW1")
    page.wizard.save_button.click()
    assert "Champ obligatoire" in page.wizard.errors["depot"].value
    assert "NEW1" not in [c.code for c in connectors.list_connectors(demo_workspace)]


def test_unknown_gc_values_are_shown_next_to_their_fields(page: SettingsPage, demo_workspace: Path) -> None:
    page.selector.value = "CSV"
    page.edit_button.click()
    _fill(page, entreprise="NOPE", transporteur="UPS", tiers_reception="aucun", default_client="BERTH")
    page.wizard.save_button.click()
    assert "choisissez parmi NEGOCE, VIGNE" in page.wizard.errors["entreprise"].value
    assert "choisissez parmi CHRONO, COLISS, DANZA, ENLEV" in page.wizard.errors["transporteur"].value
    assert "fournisseur" in page.wizard.errors["default_client"].value
    assert page.wizard.step == 2
    assert connectors.get(demo_workspace, "CSV").entreprise == "VIGNE"
    _fill(page, entreprise="NEGOCE", transporteur="COLISS", default_client="PROSPEC")
    page.wizard.save_button.click()
    saved = connectors.get(demo_workspace, "CSV")
    assert (saved.entreprise, saved.tiers_reception, saved.default_client) == ("NEGOCE", "aucun", "PROSPEC")


def test_edit_and_cancel(page: SettingsPage, demo_workspace: Path) -> None:
    page.selector.value = "CSV"
    page.edit_button.click()
    assert page.wizard.widgets["code"].disabled and page.wizard.widgets["code"].value == "CSV"
    _fill(page, depot="DEP-NEUF")
    page.wizard.save_button.click()
    assert connectors.get(demo_workspace, "CSV").depot == "DEP-NEUF"
    page.edit_button.click()
    _fill(page, depot="AUTRE")
    page.wizard.cancel_button.click()
    assert connectors.get(demo_workspace, "CSV").depot == "DEP-NEUF"


def test_duplicate_and_delete(page: SettingsPage, demo_workspace: Path) -> None:
    page.selector.value = "FACIL"
    page.duplicate_code.value = "FACIL2"
    page.duplicate_button.click()
    assert connectors.get(demo_workspace, "FACIL2").partner == "SuiviETA"
    assert page.selector.value == "FACIL2"
    page.delete_button.click()  # not confirmed
    assert "Cochez" in page.messages.children[0].value
    page.delete_confirm.value = True
    page.delete_button.click()
    assert "FACIL2" not in [c.code for c in connectors.list_connectors(demo_workspace)]
    page.selector.value = "FACIL"
    page.delete_confirm.value = True
    page.delete_button.click()
    assert "Suppression refusée" in page.messages.children[0].value
    assert "FACIL" in [c.code for c in connectors.list_connectors(demo_workspace)]


def test_send_writes_files_in_export_folder(page: SettingsPage, tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    page.selector.value = "FACIL"
    assert "Articles" in page.recap.value
    page.send_dir.value = str(out)
    page.send_button.click()
    written = sorted(p.name for p in out.iterdir())
    assert any(n.startswith("articles_") for n in written), page.messages.children[0].value
    assert any(n.startswith("clients_") for n in written)
    assert str(out) in page.send_result.value
