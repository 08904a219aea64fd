"""Reception page, step 1 (no browser): file choice, format, counts, rows, rejects, header mapping."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from econn.ui import reception_data
from econn.ui.reception import ReceptionPage
from econn.ui.reception_data import load_summary

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_reception.ipynb"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


def _messages(page: ReceptionPage, kind: str | None = None) -> list[str]:
    return [m.value for m in page.messages.children if kind is None or f"econn-msg-{kind}" in m.value]


def _main_file(ws: Path) -> Path:
    """The cp1252 demo file with the planted problems (commandes_<J-2>, first by name)."""
    return min((ws / "connecteurs" / "CSV" / "import").glob("*.csv"))


def _records(path: Path, encoding: str) -> int:
    with path.open(encoding=encoding, newline="") as fh:
        return sum(1 for _ in csv.reader(fh, delimiter=";")) - 1   # minus the header


@pytest.fixture
def page(demo_workspace: Path) -> ReceptionPage:
    return ReceptionPage(demo_workspace)


def _select(page: ReceptionPage, connector: str, name: str) -> None:
    page.connector.value = connector
    page.refresh_files()            # a file written after the page opened
    page.file.value = name


def test_dropdowns_list_connectors_and_pending_files(page: ReceptionPage, demo_workspace: Path) -> None:
    assert [v for _, v in page.connector.options] == ["CSV", "FACIL"]
    assert dict(page.connector.options)["FACIL — SuiviETA"] == "FACIL"
    csv_files = sorted(p.name for p in (demo_workspace / "connecteurs" / "CSV" / "import").glob("*.csv"))
    assert page.connector.value == "CSV"
    assert [v for _, v in page.file.options] == csv_files and len(csv_files) == 2
    assert page.file.value == csv_files[0]
    page.connector.value = "FACIL"
    facil = (demo_workspace / "connecteurs" / "FACIL" / "import").glob("*.csv")
    assert [v for _, v in page.file.options] == [p.name for p in facil]
    assert not page.load_button.disabled


def test_connector_without_pending_file_says_so(demo_workspace: Path) -> None:
    for p in (demo_workspace / "connecteurs" / "FACIL" / "import").glob("*.csv"):
        p.rename(p.with_suffix(".bak"))
    page = ReceptionPage(demo_workspace)
    page.connector.value = "FACIL"
    assert page.file.options == () and page.file.value is None
    assert page.load_button.disabled
    assert any("Aucun fichier en attente pour le connecteur FACIL" in m for m in _messages(page, "info"))
    page.load()   # nothing selected: a French message, no exception
    assert any("Choisissez d&#x27;abord" in m for m in _messages(page, "error"))


def test_load_main_demo_file(page: ReceptionPage, demo_workspace: Path) -> None:
    main = _main_file(demo_workspace)
    assert page.file.value == main.name
    steps: list[str] = []
    page.progress_step.observe(lambda c: steps.append(c["new"]), "value")
    page.load()
    assert not _messages(page, "error")
    res = page.result
    assert res is not None and not res.partial
    assert res.dialect.encoding == "cp1252" and res.dialect.delimiter == ";"
    assert res.rows_ok == _records(main, "cp1252") == 22
    assert res.rows_rejected == 0 and not res.rejects
    # the widgets show it
    assert "cp1252" in page.dialect_view.value and "point-virgule" in page.dialect_view.value
    assert "jj/mm/aaaa" in page.dialect_view.value and "(détecté)" in page.dialect_view.value
    assert page.encoding.value == "cp1252" and page.delimiter.value == ";"
    assert "22 lignes acceptées" in page.counts.value and "0 ligne rejetée" in page.counts.value
    assert page.details.layout.display != "none" and page.full_button.layout.display == "none"
    # first 20 rows, line numbers, the file's own headers, values shown literally
    assert len(res.sample) == 20 and res.sample[0]["_line"] == 2
    assert "<th>N° commande</th>" in page.sample.value and "<td>CW_0000121_02</td>" in page.sample.value
    assert "<td>Résidence Les Tilleuls; bât. B</td>" in page.sample.value
    assert "Coffret « Cœur de cuvée » 3 × 75 cl – prix doux 39 €" in page.sample.value
    # header mapping
    proposed = {m.header: m for m in page.mapping.matches}
    assert proposed["N° commande"].field == "doc_ext_id"
    assert page.mapping.fields["N° commande"].value == "doc_ext_id"
    assert "synonyme connu" in page.mapping.rows.children[0].children[2].value
    # progress went through the three steps and is hidden again
    assert any("Détection" in s for s in steps) and any("Lecture" in s for s in steps)
    assert any("Correspondance des en-têtes" in s for s in steps)
    assert page.progress.value == 3 and page.progress_box.layout.display == "none"
    assert any("lu (fichier complet)" in m for m in _messages(page, "info"))


def test_override_delimiter_and_back(page: ReceptionPage) -> None:
    page.load()
    good_sample, good_mapping = page.sample.value, page.mapping.chosen()
    page.delimiter.value = ","
    page.reload()
    assert page.result is not None and page.result.dialect.delimiter == ","
    assert page.result.rows_ok != 22 and page.result.rows_rejected > 0
    assert "imposé par l&#x27;utilisateur" in page.dialect_view.value and "virgule" in page.dialect_view.value
    assert page.sample.value != good_sample and "Colonnes" in page.rejects.value
    assert len(page.mapping.matches) == 1          # the whole header is one column
    page.delimiter.value = ";"
    page.reload()
    assert page.result.rows_ok == 22 and page.result.rows_rejected == 0
    assert "(détecté)" in page.dialect_view.value
    assert page.sample.value == good_sample and page.mapping.chosen() == good_mapping


def test_override_encoding(page: ReceptionPage) -> None:
    page.load()
    page.encoding.value = "utf-8"
    page.reload()
    assert page.result is not None and page.result.dialect.encoding == "utf-8"
    assert "Cœur" not in page.sample.value and "imposé" in page.dialect_view.value


def test_rejected_line_is_listed_and_escaped(demo_workspace: Path) -> None:
    folder = demo_workspace / "connecteurs" / "CSV" / "import"
    text = ("N° commande;Date commande;Désignation\r\n"
            f"CW_1;01/11/2026;{XSS_IMG}\r\n"
            f"CW_2;02/11/2026;trop;de colonnes {XSS_SCRIPT}\r\n"
            "CW_3;03/11/2026;Vin rouge\r\n"
            "\r\n"
            "CW_4;04/11/2026;Miel\r\n")
    (folder / "a_rejet.csv").write_bytes(text.encode("utf-8"))
    page = ReceptionPage(demo_workspace)
    _select(page, "CSV", "a_rejet.csv")
    page.load()
    res = page.result
    assert res is not None and res.rows_ok == 3 and res.rows_rejected == 1
    assert res.rejects[0].line == 3 and XSS_SCRIPT in res.rejects[0].raw
    assert [(s.line, s.kind) for s in res.skipped] == [(5, "vide")]
    html = page.rejects.value
    assert '<tr class="econn-reject"><td>3</td>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.sample.value and "<img" not in page.sample.value
    assert "1 ligne rejetée" in page.counts.value and "1 ligne ignorée" in page.counts.value
    assert "ligne vide" in page.skipped.value


def test_binary_file_shows_french_error(demo_workspace: Path) -> None:
    folder = demo_workspace / "connecteurs" / "CSV" / "import"
    (folder / "a_binaire.csv").write_bytes(bytes(range(256)) * 40)
    page = ReceptionPage(demo_workspace)
    _select(page, "CSV", "a_binaire.csv")
    page.load()   # raises nothing
    errors = _messages(page, "error")
    assert errors and "binaire" in errors[0] and "a_binaire.csv" in errors[0]
    assert page.result is None and page.details.layout.display == "none"
    assert page.progress_box.layout.display == "none"


def test_vanished_file_shows_french_error(page: ReceptionPage, demo_workspace: Path) -> None:
    _main_file(demo_workspace).unlink()
    page.load()
    assert any("n&#x27;est plus dans le dossier d&#x27;import" in m for m in _messages(page, "error"))
    assert page.result is None and len(page.file.options) == 1   # the list was refreshed


def test_large_file_reads_a_preview_first(page: ReceptionPage) -> None:
    page.large_file_bytes = page.preview_bytes = 1500
    page.load()
    res = page.result
    assert res is not None and res.partial and 0 < res.rows_ok < 22
    assert "Aperçu partiel" in page.counts.value and page.full_button.layout.display != "none"
    assert any("aperçu partiel" in m for m in _messages(page, "info"))
    page.load_full()
    assert page.result is not None and not page.result.partial and page.result.rows_ok == 22
    assert page.full_button.layout.display == "none"
    # hiding one button must not hide the others (no shared Layout)
    assert page.load_button.layout.display != "none" and page.reload_button.layout.display != "none"


def test_save_mapping_is_proposed_next_time(page: ReceptionPage, demo_workspace: Path) -> None:
    page.load()
    assert page.mapping.save() == 0
    assert any("rien à mémoriser" in m for m in _messages(page, "info"))
    page.mapping.fields["Mobile"].value = "liv_telephone"
    page.mapping.fields["Déclinaison"].value = ""          # (ignorer)
    assert page.mapping.changes() == [("Mobile", "liv_telephone"), ("Déclinaison", None)]
    page.mapping.save_button.click()
    saved = "2 correspondances mémorisées pour le connecteur CSV"
    assert any(saved in m for m in _messages(page, "info"))
    assert {m.header: m.origin for m in page.mapping.matches}["Mobile"] == "memorise"

    fresh = ReceptionPage(demo_workspace)
    fresh.load()
    got = {m.header: m for m in fresh.mapping.matches}
    assert (got["Mobile"].field, got["Mobile"].origin) == ("liv_telephone", "memorise")
    assert (got["Déclinaison"].field, got["Déclinaison"].origin) == (None, "memorise")
    assert fresh.mapping.fields["Mobile"].value == "liv_telephone"
    assert "mémorisée" in fresh.mapping.rows.children[9].children[2].value
    # another connector does not see it
    fresh.connector.value = "FACIL"
    fresh.load()
    assert {m.header: m for m in fresh.mapping.matches}["Mobile"].origin != "memorise"


def test_same_field_twice_is_refused(page: ReceptionPage) -> None:
    page.load()
    page.mapping.fields["Mobile"].value = "telephone"
    assert page.mapping.save() == 0
    assert any("qu&#x27;à une colonne" in m for m in _messages(page, "error"))


def test_load_summary_closes_duckdb(demo_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from econn.reading.sniffer import sniff

    seen = []
    real = reception_data.read_csv

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        res = real(*args, **kwargs)
        seen.append(res)
        return res

    monkeypatch.setattr(reception_data, "read_csv", spy)
    main = _main_file(demo_workspace)
    summary = load_summary(main, sniff(main))
    assert summary.rows_ok == 22 and len(summary.sample) == 20
    with pytest.raises(duckdb.Error):
        seen[0].con.execute("SELECT 1")


def test_missing_workspace_is_a_message(tmp_path: Path) -> None:
    page = ReceptionPage(tmp_path / "nowhere")
    assert _messages(page, "error") and page.connector.options == ()


def test_notebook_is_two_small_cells() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert [c["source"] for c in nb["cells"]] == [
        "from econn.ui.reception import ReceptionPage",
        "ReceptionPage()",
    ]
    assert all(c["cell_type"] == "code" and not c["outputs"] for c in nb["cells"])
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
