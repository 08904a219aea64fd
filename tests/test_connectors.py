"""Connector settings: validation (French messages per field), all-or-nothing CRUD, duplicate, delete rules, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from econn.config import connectors as c
from econn import store

VALID = dict(partner="Prestashop", depot="DEP1", entreprise="VIGNE", site="SITE1", transporteur="DANZA",
             client_family="PARTF")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "econn.cli", *args], capture_output=True, text=True, timeout=120)


def _codes(ws: Path) -> list[str]:
    return [s.code for s in c.list_connectors(ws)]


def test_demo_connectors_are_read_as_settings(demo_workspace: Path) -> None:
    facil = c.get(demo_workspace, "FACIL")
    assert facil.partner == "SuiviETA" and facil.articles_send == "filtre" and facil.articles_filter == "PUB"
    assert facil.send_contacts is True and facil.doc_type == "livraisons"
    assert facil.articles_label() == "Filtre : PUB" and facil.clients_label() == "Tous les clients + Contacts"
    assert c.validate(facil, demo_workspace) == {}
    assert set(facil.step("envois")) == {"articles_send", "articles_filter", "price_category", "unit", "depot",
                                         "clients_send", "clients_filter", "send_contacts"}
    df = c.summary(demo_workspace)
    assert list(df["code"]) == ["CSV", "FACIL"] and df.iloc[1]["envoi_articles"] == "Filtre : PUB"


def test_every_field_belongs_to_a_step_and_to_the_table(workspace: Path) -> None:
    assert {f.step for f in c.FIELDS} == set(c.STEPS)
    assert [f.name for f in c.FIELDS] == list(c.COLUMNS)
    with store.connect(workspace, read_only=True) as con:
        cols = {r[0] for r in con.execute("DESCRIBE connectors").fetchall()}
    assert set(c.COLUMNS) <= cols


def test_create_with_defaults_creates_the_folders(workspace: Path) -> None:
    s = c.create(workspace, code="PRESTA", **VALID)
    assert _codes(workspace) == ["PRESTA"] and c.get(workspace, "PRESTA") == s
    assert (workspace / "connecteurs" / "PRESTA" / "import").is_dir()
    assert (workspace / "connecteurs" / "PRESTA" / "export").is_dir()


def test_required_fields_and_formats(workspace: Path) -> None:
    s = c.ConnectorSettings(code="bad code", partner="", file_encoding="ebcdic", file_delimiter=";;",
                            articles_send="filtre", mode="webservice")
    errors = c.validate(s, workspace)
    assert errors["code"].startswith("Code invalide")
    for name in ("partner", "depot", "entreprise", "site", "transporteur", "client_family"):
        assert errors[name] == "Champ obligatoire.", name
    assert errors["site_url"] == errors["ws_key"] == "Champ obligatoire en mode webservice."
    assert errors["file_encoding"].startswith("Encodage « ebcdic » non pris en charge")
    assert errors["file_delimiter"].startswith("Le séparateur doit être un seul caractère")
    assert errors["articles_filter"].startswith("Indiquez le filtre")


def test_invalid_folder_is_refused_in_french_and_nothing_is_saved(workspace: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nulle-part" / "export"
    with pytest.raises(c.ConnectorValidationError) as ei:
        c.create(workspace, code="PRESTA", export_dir=str(missing), **VALID)
    assert ei.value.errors == {"export_dir": f"Dossier introuvable : {missing}. Créez-le ou choisissez un dossier "
                                             "existant."}
    assert "Chemin d'export des fichiers" in ei.value.message_fr
    assert _codes(workspace) == []
    assert not (workspace / "connecteurs" / "PRESTA").exists()  # the default import folder was not created either


def test_folder_that_is_a_file_or_not_writable(workspace: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    a_file = tmp_path / "fichier.txt"
    a_file.write_text("x")
    s = c.ConnectorSettings(code="PRESTA", import_dir=str(a_file), **VALID)
    assert c.validate(s, workspace)["import_dir"] == f"{a_file} existe mais n'est pas un dossier."
    folder = tmp_path / "lecture-seule"
    folder.mkdir()

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # root may write anywhere: simulate the refusal
    s = c.ConnectorSettings(code="PRESTA", export_dir=str(folder), **VALID)
    assert c.validate(s, workspace)["export_dir"] == f"Le dossier {folder} n'est pas accessible en écriture."


def test_price_category_and_unit_must_exist_in_the_gc(demo_workspace: Path) -> None:
    s = c.get(demo_workspace, "CSV").replace(price_category="VIP", unit="XXX")
    assert c.validate(s, demo_workspace) == {"price_category": "Catégorie tarifaire « VIP » absente de la GC.",
                                             "unit": "Unité « XXX » absente de la GC."}


def test_entreprise_site_transporteur_and_family_are_checked_against_the_gc(demo_workspace: Path) -> None:
    """« --entreprise NOPE » was stored as is (issue #19): once the GC tables are loaded, a value must be one
    of theirs, and the message names the valid ones."""
    s = c.get(demo_workspace, "CSV").replace(entreprise="NOPE", site="SITE9", transporteur="UPS",
                                             client_family="ZZ", default_client="NOBODY")
    assert c.validate(s, demo_workspace) == {
        "entreprise": "Entreprise « NOPE » inconnue de la GC : choisissez parmi NEGOCE, VIGNE.",
        "site": "Site « SITE9 » inconnu de la GC : choisissez parmi SITE1, SITE2.",
        "transporteur": "Transporteur « UPS » inconnu de la GC : choisissez parmi CHRONO, COLISS, DANZA, ENLEV.",
        "client_family": "Famille client « ZZ » inconnue des clients de la GC : choisissez parmi PARTF, PRO, REV.",
        "default_client": "Client « NOBODY » absent de la GC, en sommeil ou fournisseur : indiquez le code d'un "
                          "client actif (par exemple ADAAN, ADADI, ADAET).",
    }
    assert c.validate(s.replace(entreprise="NEGOCE", site="SITE2", transporteur="COLISS", client_family="PRO",
                                default_client="PROSPEC"), demo_workspace) == {}
    with pytest.raises(c.ConnectorValidationError):
        c.update(demo_workspace, "CSV", entreprise="NOPE")
    assert c.get(demo_workspace, "CSV").entreprise == "VIGNE"


def test_gc_tables_not_loaded_check_nothing(workspace: Path) -> None:
    s = c.ConnectorSettings(code="PRESTA", **{**VALID, "entreprise": "ANY", "client_family": "ANYF"})
    assert c.validate(s, workspace) == {}
    with store.transaction(workspace) as con:
        con.execute("INSERT INTO entreprises (code, libelle) VALUES ('VIGNE', 'Les Vignes')")
    assert c.validate(s, workspace) == {"entreprise": "Entreprise « ANY » inconnue de la GC : choisissez parmi VIGNE."}


def test_cli_refuses_an_unknown_entreprise_naming_the_valid_ones(demo_workspace: Path) -> None:
    r = cli("connectors", "set", "CSV", "entreprise=NOPE", "--workspace", str(demo_workspace))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "Entreprise « NOPE » inconnue de la GC : choisissez parmi NEGOCE, VIGNE." in r.stderr
    r = cli("import", "entreprises", str(_entreprises(demo_workspace)), "--workspace", str(demo_workspace))
    assert r.returncode == 0, r.stderr
    assert cli("connectors", "set", "CSV", "entreprise=NOPE", "--workspace", str(demo_workspace)).returncode == 0


def _entreprises(ws: Path) -> Path:
    path = ws / "entreprises.csv"
    path.write_text("Code;Libellé\nNOPE;Nouvelle entreprise\n", encoding="utf-8")
    return path


def test_encodings_and_delimiters_are_normalised() -> None:
    assert c.parse_value("file_encoding", "UTF8") == "utf-8"
    assert c.parse_value("file_encoding", "ANSI") == "cp1252"
    assert c.parse_value("file_delimiter", "\\t") == "\t"
    assert c.parse_value("send_contacts", "oui") is True and c.parse_value("hidden", "non") is False
    with pytest.raises(c.ConnectorValidationError):
        c.parse_value("send_contacts", "peut-être")


def test_bad_filter_is_a_field_message(demo_workspace: Path) -> None:
    s = c.get(demo_workspace, "FACIL").replace(articles_filter="poids>3")
    assert c.validate(s, demo_workspace)["articles_filter"].startswith("Filtre : champ « poids » inconnu")


def test_update_is_all_or_nothing(demo_workspace: Path) -> None:
    before = c.get(demo_workspace, "CSV")
    with pytest.raises(c.ConnectorValidationError) as ei:
        c.update(demo_workspace, "CSV", depot="DEP2", unit="XXX")
    assert set(ei.value.errors) == {"unit"}
    assert c.get(demo_workspace, "CSV") == before  # depot not half-saved
    after = c.update(demo_workspace, "CSV", depot="DEP2", send_contacts="oui")
    assert after.depot == "DEP2" and after.send_contacts is True and c.get(demo_workspace, "CSV") == after
    with pytest.raises(c.ConnectorValidationError):
        c.update(demo_workspace, "CSV", code="CSV2")
    with pytest.raises(c.ConnectorError, match="no connector"):
        c.update(demo_workspace, "NOPE", depot="X")


def test_duplicate(demo_workspace: Path, tmp_path: Path) -> None:
    shared = tmp_path / "partage"
    shared.mkdir()
    c.update(demo_workspace, "FACIL", import_dir=str(shared))
    copy = c.duplicate(demo_workspace, "FACIL", "FACIL2")
    assert copy.code == "FACIL2" and copy.partner == "SuiviETA" and copy.articles_filter == "PUB"
    assert copy.import_dir is None  # never two connectors on one import folder
    assert (demo_workspace / "connecteurs" / "FACIL2" / "import").is_dir()
    with store.connect(demo_workspace, read_only=True) as con:
        assert store.first(con.execute("SELECT count(*) FROM correspondences WHERE connector = 'FACIL2'"))[0] == 0
    with pytest.raises(c.ConnectorValidationError) as ei:
        c.duplicate(demo_workspace, "FACIL", "CSV")
    assert ei.value.errors == {"code": "Le connecteur CSV existe déjà."}
    with pytest.raises(c.ConnectorValidationError):
        c.duplicate(demo_workspace, "FACIL", "pas bon")
    assert _codes(demo_workspace) == ["CSV", "FACIL", "FACIL2"]


def test_delete_rules(demo_workspace: Path) -> None:
    with pytest.raises(c.ConnectorError) as ei:
        c.delete(demo_workspace, "FACIL")
    assert ei.value.message_fr.startswith("Suppression refusée : le connecteur FACIL a ")
    assert "FACIL" in _codes(demo_workspace)
    dep = c.delete(demo_workspace, "FACIL", force=True)
    assert dep.correspondences > 0 and dep.documents > 0 and dep.history > 0
    assert _codes(demo_workspace) == ["CSV"]
    with store.connect(demo_workspace, read_only=True) as con:
        q = "SELECT (SELECT count(*) FROM correspondences WHERE connector = 'FACIL'), " \
            "(SELECT count(*) FROM documents WHERE connector = 'FACIL'), " \
            "(SELECT count(*) FROM history WHERE connector = 'FACIL')"
        assert store.first(con.execute(q)) == (0, dep.documents, dep.history)
    c.duplicate(demo_workspace, "CSV", "NEUF")
    assert c.delete(demo_workspace, "NEUF").correspondences == 0  # nothing refers to it: plain delete
    with pytest.raises(c.ConnectorError, match="no connector"):
        c.delete(demo_workspace, "NEUF")


def test_cli_create_refused_then_accepted(workspace: Path, tmp_path: Path) -> None:
    r = cli("connectors", "create", "PRESTA", "--partner", "Prestashop", "--import-dir", str(tmp_path / "absent"),
            "--workspace", str(workspace))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "rien n'a été enregistré" in r.stderr and "Dossier introuvable" in r.stderr
    assert "Dépôt" not in r.stderr or "Sélection du dépôt (depot) : Champ obligatoire." in r.stderr
    r = cli("connectors", "create", "PRESTA", "--workspace", str(workspace), "--json", "--partner", "Prestashop",
            "--import-dir", str(tmp_path / "absent"))
    assert r.returncode == 2 and "import_dir" in json.loads(r.stdout)["errors"]
    args = [x for k, v in VALID.items() for x in ("--" + k.replace("_", "-"), v)]
    r = cli("connectors", "create", "PRESTA", *args, "--send-contacts", "oui", "--workspace", str(workspace))
    assert r.returncode == 0, r.stderr
    r = cli("connectors", "set", "PRESTA", "file_delimiter=\\t", "clients_send=tous", "--workspace", str(workspace))
    assert r.returncode == 0, r.stderr
    r = cli("connectors", "show", "PRESTA", "--json", "--workspace", str(workspace))
    shown = json.loads(r.stdout)
    assert shown["file_delimiter"] == "\t" and shown["send_contacts"] is True and shown["clients_send"] == "tous"
    r = cli("connectors", "list", "--workspace", str(workspace))
    assert r.returncode == 0 and "PRESTA" in r.stdout and "Tous les clients + Contacts" in r.stdout


def test_cli_delete_refused_in_one_french_line(demo_workspace: Path) -> None:
    r = cli("connectors", "delete", "FACIL", "--workspace", str(demo_workspace))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("econn : Suppression refusée")
