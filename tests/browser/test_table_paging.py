"""Paged tables in the browser (issue #9): page, sort and filter a real DataTable on a served page.

The diagnostics findings (« Doublons clients complet » gives more than 100 findings) and the rejected
lines of a pending file with 130 bad lines: every reject stays reachable by paging, no « … et n autres ».
"""

from __future__ import annotations

import unicodedata

import pytest

from .conftest import choose_connector, load_pending_file, open_dashboard, screenshot, wait_disabled

WAIT = 90000
REJECTS_FILE = "zz_rejets_nombreux.csv"


def _text(pg, css: str) -> str:  # type: ignore[no-untyped-def]
    return pg.locator(css).first.inner_text().replace("\u00a0", " ").replace("\u202f", " ").strip()


def _wait_text(pg, css: str, text: str) -> None:  # type: ignore[no-untyped-def]
    pg.wait_for_function("([c, t]) => { const e = document.querySelector(c);"
                         " return e && e.innerText.replace(/[\\u00a0\\u202f]/g, ' ').includes(t); }",
                         arg=[css, text], timeout=WAIT)


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()


@pytest.fixture(scope="module", autouse=True)
def rejects_file(voila_server, fresh_workspace) -> None:  # type: ignore[no-untyped-def]
    """130 lines with one column too many among 260 good ones (lines 4, 7, … 391 are rejected)."""
    lines = ["N° commande;Date commande;Désignation"]
    for i in range(1, 391):
        lines.append(f"CW_{i:03d};01/11/2026;Éléphant_{i:03d};colonne en trop" if i % 3 == 0
                     else f"CW_{i:03d};01/11/2026;Vin rouge {i}")
    folder = voila_server.workspace / "connecteurs" / "CSV" / "import"
    (folder / REJECTS_FILE).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def test_diagnostics_findings_page_sort_and_filter(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "03_diagnostics.ipynb", ".econn-diagnostics button.econn-diag-run")
    pg.locator(".econn-diag-name select").select_option(label="Doublons clients complet")
    pg.locator("button.econn-diag-run").click()
    table = ".econn-diag-findings"
    rows = pg.locator(f"{table} tr.econn-finding")
    pg.wait_for_function("s => document.querySelectorAll(s).length === 50", arg=f"{table} tr.econn-finding",
                         timeout=WAIT)
    total = int(_text(pg, f"{table} .econn-dt-count").split(" constats")[0].replace(" ", ""))
    pages = -(-total // 50)
    assert total > 100 and _text(pg, f"{table} .econn-dt-page") == f"page 1 / {pages}"
    wait_disabled(pg, f"{table} button.econn-dt-prev")

    # paging: « Suivant » to the last page, which holds the remainder
    first = rows.first.inner_text()
    for n in range(2, pages + 1):
        pg.locator(f"{table} button.econn-dt-next").click()
        _wait_text(pg, f"{table} .econn-dt-page", f"page {n} / {pages}")
    assert rows.count() == total - 50 * (pages - 1) and rows.first.inner_text() != first
    wait_disabled(pg, f"{table} button.econn-dt-next")

    # sorting by code, then descending: back to page 1, codes in order
    pg.locator(f"{table} .econn-dt-sort select").select_option(label="Code")
    _wait_text(pg, f"{table} th.econn-dt-sorted", "Code")
    _wait_text(pg, f"{table} .econn-dt-page", f"page 1 / {pages}")
    codes = [rows.nth(i).get_attribute("data-code") for i in range(rows.count())]
    assert codes == sorted(codes, key=_fold) and len(set(codes)) > 1
    pg.locator(f"{table} button.econn-dt-order").click()
    _wait_text(pg, f"{table} th.econn-dt-sorted", "▼")
    down = [rows.nth(i).get_attribute("data-code") for i in range(rows.count())]
    assert down == sorted(down, key=_fold, reverse=True) and down[0] >= codes[-1]
    screenshot(pg, "03_diagnostics_table")

    # text filter (case-insensitive) on one of the codes
    wanted = codes[0]
    pg.locator(f"{table} .econn-dt-filter input").fill(wanted.lower())
    _wait_text(pg, f"{table} .econn-dt-count", f"sur {total}")
    shown = [rows.nth(i).inner_text().casefold() for i in range(rows.count())]
    assert shown and all(wanted.casefold() in s for s in shown)
    # the page's own « Code » filter still narrows the same table
    pg.locator(f"{table} .econn-dt-filter input").fill("")
    _wait_text(pg, f"{table} .econn-dt-count", f"{total} constats")
    pg.locator(".econn-diag-code select").select_option(label=wanted)
    _wait_text(pg, f"{table} .econn-dt-count", f"sur {total}")
    pg.wait_for_function("([sel, code]) => { const r = [...document.querySelectorAll(sel)];"
                         " return r.length > 0 && r.every(x => x.dataset.code === code); }",
                         arg=[f"{table} tr.econn-finding", wanted], timeout=WAIT)
    assert {rows.nth(i).get_attribute("data-code") for i in range(rows.count())} == {wanted}
    problems.assert_clean()


def test_every_reject_is_reachable(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "01_reception.ipynb", ".econn-reception .econn-load", timeout_ms=WAIT)
    choose_connector(pg, "CSV")
    load_pending_file(pg, REJECTS_FILE)
    table = ".econn-rejects"
    rows = pg.locator(f"{table} tr.econn-reject")
    rows.first.wait_for(state="visible", timeout=WAIT)
    assert "Lignes rejetées (130)" in _text(pg, f"{table} .econn-dt-title")
    assert rows.count() == 50 and _text(pg, f"{table} .econn-dt-page") == "page 1 / 3"
    assert "autre(s) non affichée(s)" not in pg.locator(".econn-details").inner_text()

    pg.locator(f"{table} button.econn-dt-next").click()
    pg.locator(f"{table} button.econn-dt-next").click()
    _wait_text(pg, f"{table} .econn-dt-page", "page 3 / 3")
    assert rows.count() == 30 and rows.last.locator("td").first.inner_text() == "391"

    pg.locator(f"{table} .econn-dt-sort select").select_option(label="Ligne")
    pg.locator(f"{table} button.econn-dt-order").click()
    _wait_text(pg, f"{table} th.econn-dt-sorted", "▼")
    assert rows.first.locator("td").first.inner_text() == "391"

    pg.locator(f"{table} .econn-dt-filter input").fill("ELEPHANT_078")    # accents and case ignored
    _wait_text(pg, f"{table} .econn-dt-count", "1 ligne sur 130")
    assert rows.count() == 1 and "Éléphant_078" in rows.first.inner_text()
    screenshot(pg, "01_reception_rejects")
    problems.assert_clean()
