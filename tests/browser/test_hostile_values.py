"""Hostile client values are text on every dashboard and in the Excel report (issue #8).

Before any page opens, the workspace gets customers named ``<img src=x onerror=alert(1)>`` and
``<script>alert(2)</script>`` (two tiers sharing an e-mail, so « doublons simple » reports them), a history
row carrying them, and a pending CSV file with them in the name, article and country cells. Every dashboard
is then opened: the literal text shows where the page displays that data, no ``img[src=x]`` element exists,
and no dialog or console error occurs (``problems.assert_clean``).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from econn import history, store

from .conftest import choose_connector, load_pending_file, open_dashboard, run_diagnostic

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
WAIT = 90000
FILE_NAME = "zz_commandes_hostiles.csv"
LAYOUT = ["N° commande", "Date commande", "Code client", "Société", "Civilité", "Nom", "Prénom", "E-mail", "Téléphone", "Mobile", "Adresse 1", "Adresse 2", "Code postal", "Ville", "Pays", "Mode de règlement", "Référence article", "Déclinaison", "Désignation", "Quantité", "Unité", "PU HT", "Remise %", "TVA", "Frais de port HT", "Total HT", "Total TTC"]


def _pending_file(folder: Path) -> Path:
    rows = [LAYOUT]
    for i, (name, other) in enumerate([(IMG, SCRIPT), (SCRIPT, IMG)]):
        row = {c: "" for c in LAYOUT}
        row.update({"N° commande": f"CW_XSS_{i}", "Date commande": "21/11/2026", "Code client": f"C_XSS_{i}",
                    "Civilité": "M.", "Nom": name, "Prénom": other, "E-mail": f"xss{i}@example.org",
                    "Adresse 1": other, "Code postal": "75001", "Ville": "Paris", "Pays": SCRIPT,
                    "Mode de règlement": "CB", "Référence article": IMG, "Désignation": SCRIPT, "Quantité": "1",
                    "Unité": "UNI", "PU HT": "10,00", "Remise %": "0", "TVA": "V2 - 20 %",
                    "Frais de port HT": "0,00", "Total HT": "10,00", "Total TTC": "12,00"})
        rows.append([row[c] for c in LAYOUT])
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = folder / FILE_NAME
    path.write_bytes(buf.getvalue().encode("cp1252"))
    return path


@pytest.fixture(scope="module", autouse=True)
def hostile_workspace(voila_server, fresh_workspace) -> Path:  # type: ignore[no-untyped-def]
    ws = voila_server.workspace
    with store.transaction(ws) as con:
        for code, nom, prenom in (("XSS01", IMG, SCRIPT), ("XSS02", IMG, SCRIPT)):
            con.execute("INSERT INTO tiers (code, type, civilite, nom, prenom, email, adresse1, code_postal, ville, "
                        "pays) VALUES (?, 'client', 'M.', ?, ?, ?, ?, '75001', 'Paris', 'FR')",
                        [code, nom, prenom, "xss.doublon@example.org", SCRIPT])
        history.add(con, "CSV", "erreur", "erreur", data_type="document", origin_number="CW_XSS_H",
                    name=IMG, message=SCRIPT, code="COR-ART", reference=IMG)
    _pending_file(ws / "connecteurs" / "CSV" / "import")
    return ws


def _no_injected_markup(pg) -> None:  # type: ignore[no-untyped-def]
    assert pg.locator("img[src=x]").count() == 0, "a client value became an <img> element"
    scripts = pg.locator("script").all_text_contents()
    assert not any("alert(2)" in s for s in scripts), "a client value became a <script> element"


def _wait_text(pg, css: str, text: str) -> None:  # type: ignore[no-untyped-def]
    pg.wait_for_function("([c, t]) => { const e = document.querySelector(c); return e && e.innerText.includes(t); }",
                         arg=[css, text], timeout=WAIT)


def test_home(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "00_accueil.ipynb", ".econn-home .econn-connectors table", timeout_ms=WAIT)
    _no_injected_markup(pg)
    problems.assert_clean()


def test_reception_sample_shows_the_literal_values(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "01_reception.ipynb", ".econn-reception .econn-load", timeout_ms=WAIT)
    choose_connector(pg, "CSV")
    load_pending_file(pg, FILE_NAME)
    pg.wait_for_selector(".econn-sample table", state="visible", timeout=WAIT)
    sample = pg.locator(".econn-sample").inner_text()
    assert IMG in sample and SCRIPT in sample
    _no_injected_markup(pg)
    problems.assert_clean()


def test_correspondences_list_the_literal_values(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "02_correspondances.ipynb", ".econn-correspondences .econn-suggest",
                   timeout_ms=WAIT)
    choose_connector(pg, "CSV")
    for domain, value in (("Pays", SCRIPT), ("Articles", IMG)):  # values of the pending file, unmapped
        pg.locator(".econn-domain button", has_text=domain).first.click()
        _wait_text(pg, ".econn-table", value)
        _no_injected_markup(pg)
    _no_injected_markup(pg)
    problems.assert_clean()


def test_duplicates_show_the_literal_name(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "03_diagnostics.ipynb", ".econn-diagnostics button.econn-diag-run",
                   timeout_ms=WAIT)
    run_diagnostic(pg, "Doublons clients simple")
    _wait_text(pg, ".econn-diagnostics", "XSS01")
    assert IMG in pg.locator(".econn-diagnostics").inner_text()
    _no_injected_markup(pg)
    problems.assert_clean()


def test_history_shows_the_literal_name_and_message(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "04_historique.ipynb", ".econn-history .econn-history-table table",
                   timeout_ms=WAIT)
    pg.locator("button.econn-count-erreur").click()
    _wait_text(pg, ".econn-history-table", "CW_XSS_H")
    text = pg.locator(".econn-history-table").inner_text()
    assert IMG in text and SCRIPT in text
    _no_injected_markup(pg)
    problems.assert_clean()


def test_settings(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "06_parametrage.ipynb", ".econn-settings .econn-connector-list table",
                   timeout_ms=WAIT)
    _no_injected_markup(pg)
    problems.assert_clean()


def test_excel_report_holds_the_literal_text(voila_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "doublons.xlsx"
    proc = subprocess.run([sys.executable, "-m", "econn.cli", "diagnose", "doublons-simple",
                           "--workspace", str(voila_server.workspace), "--xlsx", str(out)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    hits = [c for c in cells if IMG in c.value or SCRIPT in c.value]
    assert hits, "the hostile names are missing from the report"
    assert all(c.data_type == "s" for c in hits)
