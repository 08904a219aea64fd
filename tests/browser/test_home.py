"""The home page « Synchro e-connecteur » as a user sees it."""

from __future__ import annotations

from econn.overview import connector_overview
from econn.ui.common import available_dashboards

from .conftest import open_dashboard, screenshot


def test_home_shows_the_demo_connectors(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "00_accueil.ipynb", ".econn-home .econn-connectors table")
    table = pg.locator(".econn-connectors")
    expected = connector_overview(voila_server.workspace)
    assert {r["code"] for r in expected} == {"CSV", "FACIL"}
    for r in expected:
        row = table.locator(f'tr[data-code="{r["code"]}"]')
        assert row.count() == 1
        assert f"{r['pending_files']} fichier(s) en attente" in row.inner_text()
    counts = pg.locator(".econn-counts").inner_text()
    assert "succès" in counts and "alertes" in counts and "erreurs" in counts
    links = pg.locator(".econn-links a")
    expected_links = [f for f, _, _ in available_dashboards() if f != "00_accueil.ipynb"]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == expected_links
    screenshot(pg, "00_accueil")
    problems.assert_clean()


def test_refresh_sees_a_new_pending_file(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "00_accueil.ipynb", ".econn-home .econn-connectors table")
    row = pg.locator('.econn-connectors tr[data-code="FACIL"]')
    before = connector_overview(voila_server.workspace)
    n = next(r["pending_files"] for r in before if r["code"] == "FACIL")
    new = voila_server.workspace / "connecteurs" / "FACIL" / "import" / "zz_nouveau.csv"
    new.write_text("N° commande;Référence article\nX1;MIEL\n", encoding="utf-8")
    try:
        pg.locator(".econn-refresh").click()
        pg.wait_for_function(
            "([sel, txt]) => document.querySelector(sel).innerText.includes(txt)",
            arg=['.econn-connectors tr[data-code="FACIL"]', f"{n + 1} fichier(s) en attente"], timeout=20000)
        assert f"{n + 1} fichier(s) en attente" in row.inner_text()
    finally:
        new.unlink()
    problems.assert_clean()
