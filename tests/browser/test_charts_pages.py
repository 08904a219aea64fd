"""The charts on the served pages: inline SVG, visible, with the demo's figures, nothing fetched for them."""

from __future__ import annotations

from .conftest import choose_connector, load_pending_file, open_dashboard, run_diagnostic

WAIT = 90000




def _counts(pg, selector: str, key: str = "data-label") -> dict[str, int]:  # type: ignore[no-untyped-def]
    script = "(gs, k) => Object.fromEntries(gs.map(g => [g.getAttribute(k), +g.getAttribute('data-count')]))"
    return pg.eval_on_selector_all(selector, script, key)


def test_diagnostics_charts(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "03_diagnostics.ipynb", ".econn-diagnostics button.econn-diag-run")

    run_diagnostic(pg, "Grilles de prix")
    chart = pg.locator(".econn-diag-chart svg.econn-chart-price-anomalies")
    chart.wait_for(state="visible", timeout=WAIT)
    assert chart.get_attribute("aria-label") == "Anomalies des grilles de prix"
    drawn = _counts(pg, ".econn-diag-chart svg g.econn-chart-row", "data-code")
    assert drawn["PRIX-COUT"] == 4 and len(drawn) >= 10
    assert chart.bounding_box()["height"] > 100  # type: ignore[index]

    run_diagnostic(pg, "Doublons clients complet")
    sizes = pg.locator(".econn-diag-chart svg.econn-chart-clusters")
    sizes.wait_for(state="visible", timeout=WAIT)
    evidence = pg.locator(".econn-cluster-detail svg.econn-chart-evidence").first
    evidence.wait_for(state="visible", timeout=WAIT)
    bars = _counts(pg, ".econn-diag-chart svg g.econn-chart-bar")
    # one bar count per cluster found, as many as the groups offered (none rejected in a fresh workspace)
    pg.wait_for_function("n => document.querySelectorAll('.econn-clusters select option').length === n",
                         arg=sum(bars.values()), timeout=WAIT)
    assert bars["2 tiers"] >= 1
    assert pg.locator(".econn-cluster-detail svg.econn-chart-evidence g.econn-chart-row").count() >= 3

    run_diagnostic(pg, "Configuration TVA")     # a diagnostic without a chart clears it
    pg.wait_for_function("() => !document.querySelector('.econn-diag-chart svg')", timeout=WAIT)
    problems.assert_clean()


def test_reception_recap_chart(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    folder = voila_server.workspace / "connecteurs" / "CSV" / "import"
    name = min(p.name for p in folder.glob("*.csv"))
    open_dashboard(pg, voila_server, "01_reception.ipynb", ".econn-reception .econn-load", timeout_ms=WAIT)
    choose_connector(pg, "CSV")
    load_pending_file(pg, name)
    pg.wait_for_selector(".econn-sample table", state="visible", timeout=WAIT)
    pg.locator("button.econn-analyze").click()
    chart = pg.locator(".econn-recap svg.econn-chart-documents")
    chart.wait_for(state="visible", timeout=WAIT)
    parts = _counts(pg, ".econn-recap svg.econn-chart-documents g.econn-chart-part")
    assert parts["Intégrables"] == 5 and parts["Bloqués"] == 5 and parts["En attente"] == 1
    assert "Déjà intégrés" in parts
    # above the documents table
    chart_y = chart.bounding_box()["y"]  # type: ignore[index]
    docs_y = pg.locator(".econn-recap-documents").bounding_box()["y"]  # type: ignore[index]
    assert chart_y < docs_y
    problems.assert_clean()
