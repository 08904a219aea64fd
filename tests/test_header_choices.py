"""Remembered header choices (econn.reading.header_choices, ``econn headers``) and ``--map`` at reception."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from econn.errors import HeaderMapError
from econn.reading.header_choices import list_choices, reset_choices, set_choices
from econn.reading.headers import map_headers, remember_mapping
from econn.reception import analyze


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "econn.cli", *args], capture_output=True, text=True, timeout=120)


def test_set_list_reset(demo_workspace: Path) -> None:
    set_choices(demo_workspace, "CSV", "documents", {"designation": "declinaison", "Nom": None})
    remember_mapping(demo_workspace, "CSV", "documents", "Désignation", "libelle")   # the dashboard's writer
    rows = list_choices(demo_workspace, "CSV", "documents")
    assert [(r["header"], r["field"], r["proposal"]) for r in rows] == [("Désignation", "libelle", "libelle"),
                                                                         ("Nom", None, "nom")]
    assert list_choices(demo_workspace, "FACIL", "documents") == []
    assert reset_choices(demo_workspace, "CSV", "documents", ["DÉSIGNATION", "Prénom"]) == (["Désignation"],
                                                                                            ["Prénom"])
    assert reset_choices(demo_workspace, "CSV", "documents") == (["Nom"], [])
    with pytest.raises(HeaderMapError) as exc:
        set_choices(demo_workspace, "NOPE", "documents", {"Nom": "nom"})
    assert exc.value.message_fr.startswith("Connecteur inconnu « NOPE » (connecteurs : CSV, FACIL")
    with pytest.raises(HeaderMapError):
        set_choices(demo_workspace, "CSV", "documents", {"Nom": "nom_famille"})


def test_headers_cli(demo_workspace: Path, tmp_path: Path) -> None:
    ws = ["--workspace", str(demo_workspace), "--connector", "CSV"]
    r = _cli("headers", "set", *ws, "--flow", "articles", "Réf. interne=code_gc", "Notes=", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["saved"] == [{"header": "Réf. interne", "field": "code_gc"},
                                             {"header": "Notes", "field": None}]
    f = tmp_path / "cat.csv"
    f.write_text("Réf. interne;Désignation;Notes\nZZ-1;Bol;x\n", encoding="utf-8")
    r = _cli("headers", "show", *ws, "--flow", "articles", "--file", str(f), "--json")
    out = json.loads(r.stdout)
    assert [(x["header"], x["field"], x["proposal"]) for x in out["remembered"]] == [
        ("Notes", None, None), ("Réf. interne", "code_gc", None)]
    assert [(m["header"], m["field"], m["origin"]) for m in out["file"]["header_mapping"]] == [
        ("Réf. interne", "code_gc", "memorise"), ("Désignation", "libelle", "synonyme"), ("Notes", None, "memorise")]
    r = _cli("import", "articles", str(f), "--workspace", str(demo_workspace), "--connector", "CSV")
    assert r.returncode == 0 and "1 ajoutée(s)" in r.stdout and "colonnes ignorées : Notes" in r.stdout
    r = _cli("headers", "show", *ws, "--flow", "articles")
    assert r.stdout.splitlines() == ["Connecteur CSV, flux articles : 2 correspondance(s) mémorisée(s)",
                                     "  Notes → (ignorée)   (sans ce choix : aucune proposition)",
                                     "  Réf. interne → code_gc   (sans ce choix : aucune proposition)"]
    r = _cli("headers", "set", *ws, "Quantité=quantity")
    assert r.returncode == 2 and r.stderr.startswith("econn : Champ inconnu « quantity » pour le flux documents.")
    r = _cli("headers", "reset", *ws, "--flow", "articles")
    assert r.returncode == 0 and r.stdout == ("2 correspondance(s) oubliée(s) pour le connecteur CSV, flux articles : "
                                              "Notes, Réf. interne.\n")


def _renamed_pending_file(ws: Path) -> Path:
    """A pending order file whose « Quantité » column is called « Nb »: no quantity column for the reception."""
    path = sorted((ws / "connecteurs" / "CSV" / "import").glob("*.csv"))[-1]
    text = path.read_bytes()
    path.write_bytes(text.replace("Quantité".encode(), b"Nb", 1))
    return path


def test_receive_with_map_and_remembered_choice(demo_workspace: Path) -> None:
    path = _renamed_pending_file(demo_workspace)

    def codes(**kw: object) -> set[str]:
        res = analyze(demo_workspace, "CSV", path, **kw)   # type: ignore[arg-type]
        try:
            return {f.code for f in res.files[0].findings}
        finally:
            res.close()

    assert "FIC-COL" in codes()
    assert "FIC-COL" not in codes(header_map={"Nb": "qte"})
    assert "FIC-COL" in codes(header_map={"Nb": None})
    with pytest.raises(HeaderMapError):
        analyze(demo_workspace, "CSV", path, header_map={"Nb": "quantite"})
    set_choices(demo_workspace, "CSV", "documents", {"Nb": "qte"})
    assert "FIC-COL" not in codes()
    assert "FIC-COL" in codes(header_map={"Nb": None})   # --map wins over the remembered choice
    # the other pending files are read with the same choices (a document split across files is found by number)
    assert map_headers(["Nb"], "documents", "CSV", demo_workspace)[0].origin == "memorise"


def test_receive_cli_map(demo_workspace: Path) -> None:
    path = _renamed_pending_file(demo_workspace)
    args = ["receive", "--workspace", str(demo_workspace), "--connector", "CSV", "--file", str(path), "--dry-run",
            "--json"]
    r = _cli(*args, "--map", "Nb=qte")
    out = json.loads(r.stdout)
    assert "FIC-COL" not in {f["code"] for f in out["files"][0]["findings"]}
    r = _cli(*args, "--map", "Nb=quantite")
    assert r.returncode == 2 and json.loads(r.stdout)["error"]["message"].startswith(
        "Champ inconnu « quantite » pour le flux documents. Champs possibles : doc_ext_id, date,")
