"""Reception page, steps 2–3 (no browser): analyse, correspondence modal, recap, homonyms, integration, findings."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import openpyxl
import pytest

from econn import store
from econn.reception import integration as integration_mod
from econn.ui.reception import ReceptionPage
from econn.ui.reception_steps import CREATE, LEAVE

XSS = "<script>alert(1)</script>"


def _main_file(ws: Path) -> Path:
    return min((ws / "connecteurs" / "CSV" / "import").glob("*.csv"))


@pytest.fixture
def page(demo_workspace: Path) -> ReceptionPage:
    pg = ReceptionPage(demo_workspace)
    pg.connector.value = "CSV"
    pg.file.value = _main_file(demo_workspace).name
    return pg


def _errors(pg: ReceptionPage) -> list[str]:
    return [m.value for m in pg.messages.children if "econn-msg-error" in m.value]


def _fill(pg: ReceptionPage, meursault: str = LEAVE) -> None:
    steps = pg.steps
    wanted = {("tva", "TVA 5,5%"): "V1", ("unite", "Bouteille"): "BTL", ("pays", "Hollande"): "NL",
              ("article", "ARRO"): "ARRO", ("article", "VIN-MEURSAULT-2020"): meursault}
    assert set(steps.corr_choices) == set(wanted)
    for key, value in wanted.items():
        steps.corr_choices[key].value = value


def test_analyze_shows_the_planted_problems(page: ReceptionPage) -> None:
    steps = page.steps
    assert steps.corr_modal.layout.display == "none" and steps.recap.layout.display == "none"
    steps.analyze_button.click()
    assert not _errors(page)
    assert steps.corr_modal.layout.display != "none"
    # the modal preselects the best suggestion; the unknown SKU has none
    pre = {k: dd.value for k, dd in steps.corr_choices.items()}
    assert pre == {("tva", "TVA 5,5%"): "V1", ("unite", "Bouteille"): "BTL", ("pays", "Hollande"): "NL",
                   ("article", "ARRO"): "ARRO", ("article", "VIN-MEURSAULT-2020"): LEAVE}
    assert all("econn-corr-choice" in dd._dom_classes for dd in steps.corr_choices.values())
    counts = steps.recap_counts.value
    assert re.search(r"<b>5</b> nouveau", counts) and re.search(r"<b>5</b> bloqué", counts)
    assert re.search(r"<b>1</b> en attente", counts) and re.search(r"<b>1</b> homonyme", counts)
    docs = steps.recap_documents.value
    assert "180,00\u00a0€" in docs and "Nouveau document" in docs and "Déjà intégré" in docs
    assert "Bloqué : COR-ART « ARRO »" in docs and "En attente : homonyme" in docs
    assert "VIN-MEURSAULT-2020" in steps.recap_articles.value and "ARRO" in steps.recap_articles.value
    homonym = steps.homonym_choices["C0009462"]
    labels = [lbl for lbl, _ in homonym.options]
    assert "Créer un nouveau client" in labels and any(lbl.startswith("Affecter à FONEM — ") for lbl in labels)
    codes = {f.code for f in steps.all_findings()}
    assert {"COR-TVA", "COR-UNI", "COR-PAYS", "COR-ART", "COR-CLI-HOMO", "FIC-DUPDOC"} <= codes


def test_modal_saves_and_reanalyses(page: ReceptionPage, demo_workspace: Path) -> None:
    steps = page.steps
    steps.analyze()
    _fill(page)
    steps.homonym_choices["C0009462"].value = CREATE
    steps.corr_ok.click()
    assert not _errors(page)
    with store.connect(demo_workspace, read_only=True) as con:
        got = dict(con.execute("SELECT external_value, gc_value FROM correspondences WHERE connector = 'CSV' AND "
                               "external_value IN ('TVA 5,5%', 'Bouteille', 'Hollande', 'ARRO')").fetchall())
    assert got == {"TVA 5,5%": "V1", "Bouteille": "BTL", "Hollande": "NL", "ARRO": "ARRO"}
    status = {d.number: d.status for fa in steps.files for d in fa.documents}
    assert status["CW_0000124_01"] == status["CW_0000123_01"] == "new"
    assert status["CW_0000130_01"] == "blocked"
    assert set(steps.corr_choices) == {("article", "VIN-MEURSAULT-2020")}
    assert steps.decisions() == {"C0009462": CREATE}          # the homonym choice survives the re-analysis


def test_modal_refusal_is_french(page: ReceptionPage) -> None:
    steps = page.steps
    steps.analyze()
    dd = steps.corr_choices[("unite", "Bouteille")]
    dd.options = [*dd.options, ("NOPE", "NOPE")]
    dd.value = "NOPE"
    steps.save_correspondences()
    assert any("refusée" in e for e in _errors(page))


def test_integrate_passes_the_homonym_choice_and_reports(page: ReceptionPage,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    steps = page.steps
    steps.analyze()
    _fill(page)
    steps.save_correspondences()
    steps.homonym_choices["C0009462"].value = CREATE
    seen: dict[str, object] = {}
    real = integration_mod.integrate

    def spy(*a, **k):  # noqa: ANN002, ANN003, ANN202 - test double
        seen.update(k)
        return real(*a, **k)

    monkeypatch.setattr("econn.ui.reception_steps.integrate", spy)
    steps.integrate_button.click()
    assert not _errors(page)
    assert seen["decisions"] == {"C0009462": "create"} and callable(seen["progress"])
    assert steps.integrate_progress.value == steps.integrate_progress.max
    assert steps.integrate_button.disabled and not steps.analyze_button.disabled   # analyse again first
    report = steps.report.value
    assert re.search(r"\b\d{10}\b", report)                   # GC numbers
    assert "CW_0000127_01" in report and "10 documents intégrés" in report
    assert "Le fichier reste en .csv : 1 document non intégré" in report
    assert "VIN-MEURSAULT-2020" in report
    # the file is still pending: the list keeps it, and the report stays on the page
    assert page.file.value == _main_file(page.workspace).name and steps.report.layout.display != "none"


def test_everything_mapped_renames_bak(page: ReceptionPage, demo_workspace: Path) -> None:
    steps = page.steps
    main = _main_file(demo_workspace)
    steps.analyze()
    _fill(page, meursault="CHAB22")
    steps.save_correspondences()
    steps.homonym_choices["C0009462"].value = CREATE
    steps.integrate()
    assert not _errors(page)
    assert "Le fichier a été renommé" in steps.report.value and ".bak" in steps.report.value
    assert not main.exists()
    assert main.name not in [v for _, v in page.file.options]


def test_findings_filter_and_excel_export(page: ReceptionPage, demo_workspace: Path) -> None:
    steps = page.steps
    main = _main_file(demo_workspace)
    # a hostile value in a copy of the file: escaped in the table, neutralised in Excel
    text = main.read_bytes().decode("cp1252").replace("Bouteille", "=1+2").replace("Hollande", XSS)
    main.write_bytes(text.encode("cp1252"))
    steps.analyze()
    total = len(steps.all_findings())
    assert XSS not in steps.findings_table.value and "&lt;script&gt;" in steps.findings_table.value
    steps.findings_level.value = "alerte"
    assert {f.level.value for f in steps.shown_findings()} == {"alerte"}
    steps.findings_level.value = ""
    steps.findings_code.value = "COR-ART"
    shown = steps.shown_findings()
    assert len(shown) == 2 and f"2 constats sur {total}" in steps.findings_table.value
    steps.findings_code.value = ""
    steps.export_button.click()
    link = steps.download.value
    assert 'download="constats_' in link and "data:application/vnd.openxmlformats" in link
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", link).group(1))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Constats"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "code" and len(rows) == total + 1
    values = [r[9] for r in rows[1:]]
    assert "=1+2" in values and XSS in values
    cell = next(c for c in ws["J"] if c.value == "=1+2")
    assert cell.data_type == "s"


def test_the_integration_report_lists_a_bounded_number_of_documents(tmp_path: Path) -> None:
    """20,000 integrated documents: the report shows the first ones and says where the others are."""
    from econn.reception.model import BLOCKED, INTEGRATED, DocumentRecap, FileAnalysis
    from econn.ui.reception_steps_view import REPORT_LISTED, report_html

    fa = FileAnalysis(file=tmp_path / "commandes.csv", connector="CSV")
    fa.documents = [DocumentRecap(f"W{i:05d}", INTEGRATED, f"BC{i:05d}", [], [i + 2]) for i in range(20_000)]
    fa.documents.append(DocumentRecap(f"<b>{XSS}</b>", BLOCKED, None, ["COR-ART"], [20_002]))
    html = report_html([fa])
    assert "20\u202f000 documents intégrés" in html
    assert html.count("<tr") == REPORT_LISTED + 1 + 2     # listed done rows + the blocked one + 2 header rows
    assert "19\u202f900 autres :" in html and "W00099" in html and "W00100" not in html
    assert XSS not in html and "&lt;script&gt;" in html
    assert "reste en .csv" in html
