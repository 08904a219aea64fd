"""The reception page, first step: choose a pending file, see how it reads, override the dialect."""

from __future__ import annotations

import csv

from .conftest import END_STATE_MS, choose_connector, load_pending_file, open_dashboard, screenshot


def _main_file(workspace):  # type: ignore[no-untyped-def]
    folder = workspace / "connecteurs" / "CSV" / "import"
    return sorted(p for p in folder.glob("*.csv"))[0]


def test_reception_first_step_from_the_home_link(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "00_accueil.ipynb", ".econn-links a")
    pg.locator('.econn-links a[href="01_reception.ipynb"]').click()
    pg.wait_for_selector(".econn-reception .econn-load", state="visible", timeout=60000)
    path = _main_file(voila_server.workspace)
    choose_connector(pg, "CSV")
    load_pending_file(pg, path.name, timeout_ms=END_STATE_MS)
    pg.wait_for_selector(".econn-sample table", state="visible", timeout=60000)
    dialect = pg.locator(".econn-dialect").inner_text()
    assert "cp1252" in dialect.lower()
    with path.open(encoding="cp1252", newline="") as fh:
        records = list(csv.reader(fh, delimiter=";"))
    counts = pg.locator(".econn-counts").inner_text()
    assert str(len(records) - 1) in counts
    first_doc = records[1][0]
    assert first_doc in pg.locator(".econn-sample").inner_text()
    assert "doc_ext_id" in pg.locator(".econn-mapping").inner_text()
    screenshot(pg, "01_reception")

    # override the delimiter: the file no longer splits into its columns, and back
    pg.locator(".econn-delimiter select").select_option(index=1)
    pg.locator("button.econn-reload").click()
    pg.wait_for_function("t => !document.querySelector('.econn-counts').innerText.includes(t)",
                         arg=counts, timeout=END_STATE_MS)
    pg.locator(".econn-delimiter select").select_option(index=0)
    pg.locator("button.econn-reload").click()
    pg.wait_for_function("t => document.querySelector('.econn-counts').innerText === t", arg=counts, timeout=END_STATE_MS)
    problems.assert_clean()


def test_hostile_values_appear_as_text(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    folder = voila_server.workspace / "connecteurs" / "FACIL" / "import"
    bad = folder / "zz_hostile.csv"
    bad.write_text("N° commande;Nom;Quantité\nH1;<img src=x onerror=alert(1)>;1\nH2;<script>alert(2)</script>\n",
                   encoding="utf-8")
    try:
        open_dashboard(pg, voila_server, "01_reception.ipynb", ".econn-reception .econn-load")
        choose_connector(pg, "FACIL")
        load_pending_file(pg, bad.name, timeout_ms=END_STATE_MS)
        pg.wait_for_selector(".econn-rejects tr.econn-reject", timeout=60000)
        assert "<img src=x onerror=alert(1)>" in pg.locator(".econn-sample").inner_text()
        assert "<script>alert(2)</script>" in pg.locator(".econn-rejects").inner_text()
        assert pg.locator(".econn-sample img").count() == 0
    finally:
        bad.unlink()
    problems.assert_clean()
