"""Workspace settings (« Réglages »): every setting a hint names can be set, by ``econn settings`` and by the
Paramétrage page, checked field by field, and the diagnostics read what was set."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from test_diag_helpers import base, sql

from econn import history, store
from econn.cli import main
from econn.config import workspace_settings as wss
from econn.diagnostics import price_grids, safety, vat
from econn.findings import Level


def _stored(ws: Path, key: str) -> str | None:
    with store.connect(ws, read_only=True) as con:
        return store.get_setting(con, key)


def test_every_setting_a_hint_names_is_settable() -> None:
    named = {vat.SETTING_OSS, price_grids.SETTING_MAX_DISCOUNT} | {safety.setting_key(op) for op in safety.OPERATIONS}
    reg = wss.registry()
    assert named <= set(reg)
    assert all(not reg[k].internal for k in named)
    assert {k for k, s in reg.items() if s.internal} == {"demo.seed", "demo.today"}


@pytest.mark.parametrize(("key", "text", "stored"), [
    ("tva.oss", "OUI", "oui"), ("tva.oss", "non", "non"), ("grilles.remise_max", "35,5 %", "35.5"),
    ("grilles.remise_max", "100", "100"), ("tva.seuil_oss", "10 000", "10000"),
    ("securite.prix_zero.seuil", "2,5", "2.5"), ("securite.clients_reaffectation.seuil", "30", "30"),
    ("history.retention_months", "6", "6"), ("tva.oss", "", None),
])
def test_values_are_stored_normalised(workspace: Path, key: str, text: str, stored: str | None) -> None:
    wss.set_value(workspace, key, text)
    assert _stored(workspace, key) == stored


@pytest.mark.parametrize(("key", "text", "allowed"), [
    ("tva.oss", "peut-être", "oui ou non"),
    ("grilles.remise_max", "0", "un nombre de 0 (exclu) à 100 %"),
    ("grilles.remise_max", "150", "un nombre de 0 (exclu) à 100 %"),
    ("grilles.remise_max", "beaucoup", "un nombre de 0 (exclu) à 100 %"),
    ("securite.grilles_suppression.seuil", "-1", "un nombre de 0 à 100 %"),
    ("securite.clients_reaffectation.seuil", "2,5", "un nombre entier supérieur ou égal à 0"),
    ("history.retention_months", "0", "un nombre entier de 1 à 120 mois"),
    ("tva.seuil_oss", "NaN", "un nombre supérieur ou égal à 0 € HT"),
])
def test_invalid_values_are_refused_naming_the_valid_ones(workspace: Path, key: str, text: str,
                                                          allowed: str) -> None:
    with pytest.raises(wss.SettingError) as ei:
        wss.set_value(workspace, key, text)
    assert ei.value.errors == {key: f"valeur « {text} » refusée : indiquez {allowed}"}
    assert _stored(workspace, key) is None


def test_unknown_and_internal_keys_are_refused(workspace: Path) -> None:
    with pytest.raises(wss.SettingError) as ei:
        wss.set_value(workspace, "tva.oss.statut", "oui")
    assert "réglages possibles : tva.oss, tva.seuil_oss, grilles.remise_max" in ei.value.errors["tva.oss.statut"]
    with pytest.raises(wss.SettingError, match="demo.seed"):
        wss.set_value(workspace, "demo.seed", "42")


def test_several_values_are_all_or_nothing_and_logged(workspace: Path) -> None:
    with pytest.raises(wss.SettingError) as ei:
        wss.set_values(workspace, {"tva.oss": "oui", "grilles.remise_max": "120"})
    assert set(ei.value.errors) == {"grilles.remise_max"}
    assert _stored(workspace, "tva.oss") is None
    changed = wss.set_values(workspace, {"tva.oss": "oui", "grilles.remise_max": "40"}, user="agodin")
    assert {(v.setting.key, v.effective) for v in changed} == {("tva.oss", "oui"), ("grilles.remise_max", "40")}
    rows = history.query(workspace, kinds="actions", limit=10)
    assert set(rows["message"]) == {"Réglage tva.oss : défaut → oui", "Réglage grilles.remise_max : défaut → 40"}
    assert wss.set_values(workspace, {"tva.oss": "OUI"}) == []          # unchanged: nothing written


def test_cli_list_and_set(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(workspace)
    assert main(["settings", "set", "grilles.remise_max", "150", "--workspace", ws]) == 2
    err = capsys.readouterr().err
    assert err.startswith("econn : réglage grilles.remise_max : valeur « 150 » refusée : indiquez un nombre de 0")
    assert main(["settings", "set", "grilles.remise_max", "35", "--workspace", ws]) == 0
    assert capsys.readouterr().out == "Réglage grilles.remise_max = 35 % : Plafond de remise des grilles.\n"
    assert main(["settings", "set", "tva.oss", "oui", "--workspace", ws]) == 0
    capsys.readouterr()
    assert main(["settings", "list", "--workspace", ws]) == 0
    text = capsys.readouterr().out
    assert "tva.oss = oui\n" in text and "grilles.remise_max = 35 %\n" in text
    assert "securite.grilles_suppression.seuil = 20 % (défaut)" in text
    assert main(["settings", "list", "--workspace", ws, "--json"]) == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["tva.oss"]["effective"] == "oui" and rows["tva.seuil_oss"]["effective"] == "10000"
    assert rows["demo.seed"]["settable"] is False
    assert main(["settings", "set", "grilles.remise_max", "", "--workspace", ws]) == 0
    assert "= 50 % (défaut)" in capsys.readouterr().out and _stored(workspace, "grilles.remise_max") is None


def test_diagnostics_read_what_the_command_sets_and_their_hints_name_it(workspace: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    ws = base(workspace)
    sql(ws, "INSERT INTO articles (code, libelle, code_tva, prix_ht, prix_achat) VALUES ('A', 'A', 'V3', 20, 1)",
        "INSERT INTO price_grids (ref, source, article, categorie_tarifaire, remise_pct) "
        "VALUES ('R40', 'famcli_prod', 'A', 'REV', 40)",
        "INSERT INTO tiers (code, nom, pays, code_postal) VALUES ('N1', 'de Vries', 'NL', '1017 BX')",
        "INSERT INTO documents (id, connector, ext_number, gc_number, doc_type, doc_date, tiers_code, total_ht, "
        "total_ttc) VALUES (1, 'SHOP', 'D1', 'G1', 'commande', '2026-10-01', 'N1', 100, 120)",
        "INSERT INTO document_lines (document_id, line_no, article, qte, pu_ht, remise_pct, code_tva, taux_tva) "
        "VALUES (1, 1, 'A', 1, 100, 0, 'V3', 20)")
    today = dt.date(2026, 11, 23)
    [b2c] = [f for f in vat.run(ws, pending=False).findings if f.code == "TVA-B2C-UE"]
    assert "econn settings set tva.oss" in (b2c.hint or "") and "Réglages" in (b2c.hint or "")
    assert main(["settings", "set", "tva.oss", "non", "--workspace", str(ws)]) == 0
    assert [f for f in vat.run(ws, pending=False).findings if f.code == "TVA-B2C-UE"] == []
    assert [f for f in price_grids.run(ws, today=today).findings if f.code == "PRIX-REM"] == []
    assert main(["settings", "set", "grilles.remise_max", "30", "--workspace", str(ws)]) == 0
    [rem] = [f for f in price_grids.run(ws, today=today).findings if f.code == "PRIX-REM"]
    assert rem.level == Level.ALERTE and "econn settings set grilles.remise_max" in (rem.hint or "")
    assert "30 %" in (rem.hint or "")
    assert main(["settings", "set", "securite.grilles_suppression.seuil", "1", "--workspace", str(ws)]) == 0
    capsys.readouterr()
    blocked = safety.check(ws, "grilles_suppression", 5, 100)
    assert blocked is not None and "econn settings set securite.grilles_suppression.seuil" in (blocked.hint or "")
    assert safety.check(ws, "grilles_suppression", 1, 100) is None


def test_reglages_section_of_the_settings_page(demo_workspace: Path) -> None:
    from econn.ui.settings import SettingsPage
    from econn.ui.settings_workspace import css_name

    page = SettingsPage(demo_workspace)
    box = page.workspace_settings
    assert box in page.children
    assert set(box.widgets) == {k for k, s in wss.registry().items() if not s.internal}
    assert "econn-setting-grilles-remise-max" in box.widgets["grilles.remise_max"]._dom_classes
    assert box.widgets["grilles.remise_max"].placeholder == "défaut : 50"
    box.widgets["tva.oss"].value = "oui"
    box.widgets["grilles.remise_max"].value = "150"
    box.widgets["history.retention_months"].value = "deux"
    box.save_button.click()
    assert "un nombre de 0 (exclu) à 100 %" in box.errors["grilles.remise_max"].value
    assert "un nombre entier de 1 à 120 mois" in box.errors["history.retention_months"].value
    assert box.errors["tva.oss"].value == ""
    assert "Réglages non enregistrés : 2 valeur(s) à corriger" in page.messages.children[0].value
    assert _stored(demo_workspace, "tva.oss") is None                        # nothing stored
    box.widgets["grilles.remise_max"].value = "40"
    box.widgets["history.retention_months"].value = ""
    box.save_button.click()
    assert all(e.value == "" for e in box.errors.values())
    assert (_stored(demo_workspace, "tva.oss"), _stored(demo_workspace, "grilles.remise_max")) == ("oui", "40")
    assert "Réglages enregistrés" in page.messages.children[0].value
    assert SettingsPage(demo_workspace).workspace_settings.widgets["grilles.remise_max"].value == "40"
    assert css_name("securite.prix_zero.seuil") == "securite-prix-zero-seuil"
