"""The ERO action queue (table ``actions``): add an action, see it pending, see it done after the next
reception or ``econn actions run``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from econn import store
from econn.cli import main
from econn.history import actions
from econn.reception.integration import integrate

HEADER = ("N° commande;Date commande;Code client;Société;Civilité;Nom;Prénom;E-mail;Téléphone;Mobile;Adresse 1;"
          "Adresse 2;Code postal;Ville;Pays;Mode de règlement;Référence article;Déclinaison;Désignation;Quantité;"
          "Unité;PU HT;Remise %;TVA;Frais de port HT;Total HT;Total TTC")


def _received(ws: Path) -> Path:
    """One order integrated from ``recu.csv``, which became ``recu.bak``; nothing else pending."""
    imports = ws / "connecteurs" / "CSV" / "import"
    for old in imports.glob("*.csv"):
        old.unlink()
    path = imports / "recu.csv"
    line = ("ZZ_9;06/12/2026;PROSPEC;;;Prospect;;;;;Boutique en ligne;;59000;Lille;FR;CB;AOPVEMA15B;;"
            "AOP VIN EFFERVESCENT 2015 75 cl;2;UNI;10,00;0;V2 - 20 %;0,00;20,00;24,00")
    path.write_text(HEADER + "\r\n" + line + "\r\n", encoding="utf-8-sig")
    integrate(ws, "CSV", path)
    assert path.with_suffix(".bak").exists()
    return path.with_suffix(".bak")


def _one(ws: Path, sql: str, params: list[object]) -> object:
    with store.connect(ws, read_only=True) as con:
        row = con.execute(sql, params).fetchone()
    return row[0] if row else None


def test_add_see_pending_run_at_next_reception_see_done(demo_workspace: Path) -> None:
    ws = demo_workspace
    bak = _received(ws)
    doc_id = _one(ws, "SELECT id FROM documents WHERE ext_number = 'ZZ_9'", [])
    with store.transaction(ws) as con:
        con.execute("DELETE FROM document_lines WHERE document_id = ?", [doc_id])
    reimp = actions.add(ws, "reimporter", "CSV", params={"file": bak.name, "document": "ZZ_9"}, user="agodin")
    diag = actions.add(ws, "diagnostic", None, params={"name": "tva"}, user="agodin")
    other = actions.add(ws, "diagnostic", "FACIL", params={"name": "produits-absents"})
    pending = actions.list_actions(ws, status="en_attente")
    assert [a["id"] for a in pending] == [other, diag, reimp]
    assert pending[2]["params"] == {"file": "recu.bak", "document": "ZZ_9"} and pending[2]["created_by"] == "agodin"
    assert pending[2]["status_fr"] == "en attente" and pending[2]["done_at"] is None
    integrate(ws, "CSV")                      # the next reception of CSV runs CSV's and everyone's actions
    by_id = {a["id"]: a for a in actions.list_actions(ws)}
    assert by_id[reimp]["status"] == "termine" and by_id[reimp]["done_at"] is not None
    gc = _one(ws, "SELECT gc_number FROM documents WHERE ext_number = 'ZZ_9'", [])
    assert by_id[reimp]["result"] == f"Commande ZZ_9 réimportée depuis recu.bak : n° GC {gc}."
    assert _one(ws, "SELECT count(*) FROM document_lines WHERE document_id = ?", [doc_id]) == 1
    assert by_id[diag]["status"] == "termine" and by_id[diag]["result"].startswith("Diagnostic « Configuration TVA »")
    run_id = _one(ws, "SELECT max(id) FROM runs WHERE kind = 'diagnostic'", [])
    assert f"(exécution n° {run_id})" in by_id[diag]["result"]
    stored = _one(ws, "SELECT count(*) FROM findings WHERE run_id = ?", [run_id])
    assert by_id[diag]["result"].split(" : ")[1].startswith(f"{stored} constat(s)")
    assert by_id[other]["status"] == "en_attente"           # FACIL's waits for FACIL
    assert actions.run_pending(ws) and actions.list_actions(ws, status="en_attente") == []


def test_a_failing_action_is_recorded_and_does_not_stop_the_others(demo_workspace: Path) -> None:
    ws = demo_workspace
    bak = _received(ws)
    bad = actions.add(ws, "reimporter", "CSV", params={"file": bak.name, "document": "ABSENT"})
    good = actions.add(ws, "diagnostic", "CSV", params={"name": "grilles-prix"})
    ran = {a["id"]: a for a in actions.run_pending(ws, connector="CSV")}
    assert ran[bad]["status"] == "erreur" and ran[bad]["result"] == "Document ABSENT absent du fichier recu.bak."
    assert ran[good]["status"] == "termine"
    assert actions.run_pending(ws, connector="CSV") == []    # done once


@pytest.mark.parametrize(("kind", "connector", "params", "message"), [
    ("vider", "CSV", {}, "Action inconnue « vider » : choisissez parmi reimporter, diagnostic."),
    ("diagnostic", "NOPE", {"name": "tva"}, "Connecteur inconnu : NOPE."),
    ("diagnostic", None, {"name": "x"}, "Diagnostic inconnu « x »"),
    ("reimporter", "CSV", {"file": "absent.bak", "document": "1"}, "Fichier reçu introuvable : absent.bak"),
    ("reimporter", None, {"file": "a.bak", "document": "1"}, "demande le connecteur"),
])
def test_refused_actions_are_not_queued(demo_workspace: Path, kind: str, connector: str | None,
                                        params: dict[str, str], message: str) -> None:
    with pytest.raises(actions.ActionError) as ei:
        actions.add(demo_workspace, kind, connector, params=params)
    assert message in ei.value.message_fr
    assert actions.list_actions(demo_workspace) == []


def test_cli_add_list_run(demo_workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(demo_workspace)
    assert main(["actions", "add", "diagnostic", "--name", "tva", "--connector", "CSV", "--workspace", ws]) == 0
    assert "Action ajoutée : n° 1 [en attente] Lancer un diagnostic (name tva) — CSV" in capsys.readouterr().out
    assert main(["actions", "list", "--status", "en_attente", "--workspace", ws, "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["id"], row["kind"], row["status"]) == (1, "diagnostic", "en_attente")
    assert main(["actions", "run", "--workspace", ws]) == 0
    out = capsys.readouterr().out
    assert "n° 1 [terminée] Lancer un diagnostic" in out and "Diagnostic « Configuration TVA »" in out
    assert main(["actions", "list", "--workspace", ws]) == 0
    assert "[terminée]" in capsys.readouterr().out
    assert main(["actions", "add", "reimporter", "--connector", "CSV", "--workspace", ws]) == 2
    assert "demande le connecteur, le fichier reçu" in capsys.readouterr().err
