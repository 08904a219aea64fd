"""Files whose customers or articles the GC has never seen: analysed and integrated, never a crash.

A one-order file from a customer with no candidate among the GC tiers, or an article whose label matches no
GC label, used to stop the reception with « erreur inattendue »: the suggestion engines built empty frames
(econn.mappings.tiers._keys, econn.mappings.articles._label_matches).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from econn import store
from econn.reception.analysis import analyze
from econn.reception.integration import integrate

HEADER = ("N° commande;Date commande;Code client;Société;Civilité;Nom;Prénom;E-mail;Téléphone;Mobile;Adresse 1;"
          "Adresse 2;Code postal;Ville;Pays;Mode de règlement;Référence article;Déclinaison;Désignation;Quantité;"
          "Unité;PU HT;Remise %;TVA;Frais de port HT;Total HT;Total TTC")


def _one_order(ws: Path, article: str, label: str) -> Path:
    imports = ws / "connecteurs" / "CSV" / "import"
    for old in imports.glob("*.csv"):
        old.unlink()
    path = imports / "nouveau.csv"
    line = (f"ZZ_1;06/12/2026;NEWCUST1;;Mme;Zyxwvut;Qqqq;qqqq.zyxwvut@example.org;;;1 rue Nulle;;99999;"
            f"Nullepart;FR;CB;{article};;{label};1;UNI;10,00;0;V2 - 20 %;0,00;10,00;12,00")
    path.write_text(HEADER + "\r\n" + line + "\r\n", encoding="utf-8-sig")
    return path


def test_new_customer_with_a_known_article_integrates(demo_workspace: Path) -> None:
    path = _one_order(demo_workspace, "AOPVEMA15B", "AOP VIN EFFERVESCENT 2015 75 cl")
    analysis = analyze(demo_workspace, "CSV", path)
    report = analysis.files[0]
    assert [t.status for t in report.tiers] == ["create"]
    integrate(demo_workspace, "CSV", path)
    with store.connect(demo_workspace, read_only=True) as con:
        doc = con.execute("SELECT tiers_code FROM documents WHERE ext_number = 'ZZ_1'").fetchone()
        assert doc is not None
        name = con.execute("SELECT nom FROM tiers WHERE code = ?", [doc[0]]).fetchone()
    assert name is not None and name[0].upper() == "ZYXWVUT"
    assert path.with_suffix(".bak").exists()


def test_unknown_article_matching_no_label_is_a_finding(demo_workspace: Path) -> None:
    path = _one_order(demo_workspace, "QQQ-UNKNOWN", "Qqqqqq xxxxx")
    report = analyze(demo_workspace, "CSV", path).files[0]
    codes = {f.code for f in report.findings}
    assert {"COR-ART", "ART-ABS-GC"} <= codes
    assert report.counts()["blocked"] == 1
    integrate(demo_workspace, "CSV", path)        # nothing to integrate, nothing crashes
    assert path.exists()                          # the file stays pending


def test_json_output_is_a_json_object_even_when_the_run_fails(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "econn.cli", "receive", "--workspace", str(tmp_path / "none"),
                          "--json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    error = json.loads(run.stdout)["error"]
    assert error["code"] == "WorkspaceError" and "espace de travail" in error["message"]


def test_a_closed_pipe_ends_quietly(demo_template: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "econn.cli", "history", "--workspace", str(demo_template)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()                            # `| head -1`
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 0, err
    assert "erreur inattendue" not in err and "BrokenPipe" not in err


def test_a_file_from_outside_the_workspace_is_copied_in_and_never_renamed(demo_workspace: Path,
                                                                          tmp_path: Path) -> None:
    inside = _one_order(demo_workspace, "AOPVEMA15B", "AOP VIN EFFERVESCENT 2015 75 cl")
    outside = tmp_path / "Téléchargements" / "commande.csv"
    outside.parent.mkdir()
    inside.rename(outside)
    before = outside.read_bytes()
    res = integrate(demo_workspace, "CSV", outside)
    assert outside.exists() and outside.read_bytes() == before      # the user's file, untouched
    copy = demo_workspace / "connecteurs" / "CSV" / "import" / "commande.bak"
    assert res.files[0].renamed_to is not None and Path(res.files[0].renamed_to) == copy
    assert copy.read_bytes() == before
