"""The home page « Synchro e-connecteur » as a user sees it."""

from __future__ import annotations

from econn.history.overview import connector_overview, level_counts, pending_warning
from econn.ui.common import available_dashboards
from econn.ui.format import fr_count

from .conftest import END_STATE_MS, open_dashboard, screenshot


def test_home_shows_the_demo_connectors(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "00_accueil.ipynb", ".econn-home .econn-connectors table")
    table = pg.locator(".econn-connectors")
    expected = connector_overview(voila_server.workspace, at_opening=True)
    assert {r["code"] for r in expected} == {"CSV", "FACIL"}
    for r in expected:
        row = table.locator(f'tr[data-code="{r["code"]}"]')
        assert row.count() == 1
        if r["pending_files"] is None:    # « Mise à jour des réceptions : Manuellement »: not analysed at opening
            assert "Dossier non analysé" in row.inner_text()
        else:
            assert f"{fr_count(r['pending_files'], 'fichier')} en attente" in row.inner_text()
    warning = pending_warning(expected)
    assert warning and warning in pg.locator(".econn-pending-warning").inner_text()
    counts = pg.locator(".econn-counts").inner_text()
    levels = level_counts(voila_server.workspace)
    for level in ("succès", "alerte", "erreur"):   # « 1 alerte », « 2 erreurs »: French agreement
        assert fr_count(levels[level], level) in counts, (level, counts)
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
            arg=['.econn-connectors tr[data-code="FACIL"]', f"{fr_count(n + 1, 'fichier')} en attente"], timeout=END_STATE_MS)
        assert f"{fr_count(n + 1, 'fichier')} en attente" in row.inner_text()
    finally:
        new.unlink()
    problems.assert_clean()


def test_connector_choice_follows_the_links(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    """The header's connector travels in the links (?connecteur=), breadcrumbs included (issue #9)."""
    pg, problems = page
    selector = ".econn-header-connector select"
    open_dashboard(pg, voila_server, "01_reception.ipynb?connecteur=FACIL", ".econn-reception .econn-load")
    pg.wait_for_function("s => !document.querySelector(s).disabled", arg=selector, timeout=END_STATE_MS)
    assert pg.locator(selector).input_value().startswith("FACIL")
    assert pg.locator(".econn-connector select").count() == 1          # one « Connecteur », in the header
    crumb = pg.locator(".econn-breadcrumbs a")
    assert crumb.get_attribute("href") == "00_accueil.ipynb?connecteur=FACIL"
    pg.locator(selector).select_option(label=pg.locator(f"{selector} option", has_text="CSV").first.inner_text())
    pg.wait_for_function("() => document.querySelector('.econn-breadcrumbs a').href.endsWith('connecteur=CSV')",
                         timeout=END_STATE_MS)
    crumb.click()
    pg.wait_for_selector(".econn-home .econn-connectors table", state="visible", timeout=60000)
    pg.wait_for_function("s => !document.querySelector(s).disabled", arg=selector, timeout=END_STATE_MS)
    assert pg.locator(selector).input_value().startswith("CSV")
    pg.locator('.econn-links a[href="04_historique.ipynb?connecteur=CSV"]').click()
    pg.wait_for_selector(".econn-history .econn-history-table table", state="visible", timeout=60000)
    assert pg.locator(selector).input_value().startswith("CSV")
    pg.wait_for_function("() => { const rows = [...document.querySelectorAll('tr.econn-history-row')];"
                         " return rows.length > 0 && rows.every(r => r.cells[1].innerText.trim() === 'CSV'); }",
                         timeout=END_STATE_MS)
    problems.assert_clean()
