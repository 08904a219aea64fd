"""``econn preview`` as a user runs it: a subprocess, JSON fields, clean French errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIX = Path(__file__).parent / "fixtures" / "load"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "econn.cli", "preview", *args], capture_output=True, text=True,
                          timeout=60)


def test_json_preview_of_a_cp1252_file() -> None:
    r = run(str(FIX / "semicolon_cp1252.csv"), "--json", "--rows", "2")
    assert r.returncode == 0, r.stderr
    o = json.loads(r.stdout)
    for key in ("file", "encoding", "delimiter", "quotechar", "has_header", "columns", "rows_ok", "rows_rejected",
                "rejects", "skipped_lines", "sample", "dialect", "header_mapping", "partial", "bytes_read"):
        assert key in o
    assert o["delimiter"] == ";" and o["columns"][0] == "N° commande"
    assert o["sample"] == [{"N° commande": "CW_001", "Désignation": "Bœuf bourguignon", "Prix": "12,50 €", "Quantité": "2"},
                           {"N° commande": "CW_002", "Désignation": "L’œuf; la poule", "Prix": "3,20", "Quantité": "1"}]
    assert [x["line"] for x in o["rejects"]] == [7, 8] and o["rows_ok"] == 3 and o["partial"] is False
    assert o["header_mapping"][0] == {"header": "N° commande", "field": "doc_ext_id", "score": 100.0,
                                      "origin": "synonyme"}


def test_forced_encoding_and_delimiter() -> None:
    r = run(str(FIX / "excel_utf16.txt"), "--json", "--encoding", "utf-16", "--delimiter", "\\t")
    o = json.loads(r.stdout)
    assert o["delimiter"] == "\t" and o["sample"][0] == {"code": "00123", "libellé": "Café €", "prix": "1,50"}


def test_human_output_is_french() -> None:
    r = run(str(FIX / "unterminated_quote.csv"))
    assert r.returncode == 0, r.stderr
    assert "ligne 3 rejetée : Guillemet non fermé" in r.stdout and "acceptée(s)" in r.stdout


def test_large_file_preview_is_partial(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    p.write_text("id;nom\n" + "".join(f"{i};nom {i}\n" for i in range(200_000)))
    r = run(str(p), "--json", "--rows", "20")
    o = json.loads(r.stdout)
    assert o["partial"] is True and o["bytes_read"] < p.stat().st_size and len(o["sample"]) == 20
    full = json.loads(run(str(p), "--json", "--full").stdout)
    assert full["partial"] is False and full["rows_ok"] == 200_000


@pytest.mark.parametrize("name", ["empty.csv", "binary.csv", "does-not-exist.csv"])
def test_bad_files_give_one_french_line(name: str) -> None:
    r = run(str(FIX / name))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("econn : ") and "Traceback" not in r.stderr


def test_preview_applies_remembered_choices_and_map(demo_workspace: Path) -> None:
    from econn.reading.header_choices import set_choices

    set_choices(demo_workspace, "CSV", "documents", {"Désignation": "declinaison"})
    f = str(FIX / "semicolon_cp1252.csv")

    def mapping(*args: str) -> dict[str, tuple[str | None, str]]:
        r = run(f, "--json", "--workspace", str(demo_workspace), *args)
        assert r.returncode == 0, r.stderr
        return {m["header"]: (m["field"], m["origin"]) for m in json.loads(r.stdout)["header_mapping"]}

    assert mapping()["Désignation"] == ("libelle", "synonyme")
    got = mapping("--connector", "CSV", "--map", "Prix=pu_ttc", "--map", "Quantité=")
    assert got == {"N° commande": ("doc_ext_id", "synonyme"), "Désignation": ("declinaison", "memorise"),
                   "Prix": ("pu_ttc", "option"), "Quantité": (None, "option")}
    r = run(f, "--workspace", str(demo_workspace), "--connector", "CSV", "--map", "Quantité=")
    assert "Désignation → declinaison [mémorisée]" in r.stdout and "Quantité [--map]" in r.stdout
    r = run(f, "--json", "--map", "Montant=pu_ht")
    assert r.returncode == 2 and "--map : colonne(s) absente(s) de semicolon_cp1252.csv : Montant" in r.stderr
    assert json.loads(r.stdout)["error"]["code"] == "HeaderMapError"
    r = run(f, "--workspace", str(demo_workspace), "--connector", "NOPE")
    assert r.returncode == 2 and "Connecteur inconnu « NOPE »" in r.stderr
