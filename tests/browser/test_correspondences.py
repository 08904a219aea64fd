"""The correspondences page: suggestions, then bulk accept above a score."""

from __future__ import annotations

from econn.mappings import correspondences

from .conftest import END_STATE_MS, choose_connector, open_dashboard, screenshot


def _click_toggle(pg, css: str, label: str) -> None:  # type: ignore[no-untyped-def]
    pg.locator(f"{css} button", has_text=label).first.click()


def test_bulk_accept_validates_the_country_spelling(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "02_correspondances.ipynb", ".econn-correspondences .econn-suggest")
    choose_connector(pg, "CSV")
    _click_toggle(pg, ".econn-domain", "Pays")
    pg.wait_for_function("() => document.querySelector('.econn-table').innerText.includes('Hollande')", timeout=END_STATE_MS)
    pg.locator("button.econn-suggest").click()
    pg.wait_for_function(
        "() => [...document.querySelectorAll('tr.econn-row')].some(r => r.dataset.value === 'Hollande' "
        "&& r.innerText.includes('NL'))", timeout=END_STATE_MS)
    pg.locator("button.econn-bulk-accept").click()
    pg.wait_for_function("() => document.querySelector('.econn-messages').innerText.includes('débloqué')",
                         timeout=END_STATE_MS)
    df = correspondences.get(voila_server.workspace, "CSV", "pays")
    row = df[df["external_value"] == "Hollande"].iloc[0]
    assert (row["gc_value"], row["state"]) == ("NL", "valide")
    screenshot(pg, "02_correspondances")
    problems.assert_clean()
